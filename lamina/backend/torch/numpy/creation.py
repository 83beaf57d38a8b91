"""PyTorch tensor creation."""

import torch

from lamina.backend.common import dtypes
from lamina.backend.torch.core import DEFAULT_DEVICE
from lamina.backend.torch.core import cast
from lamina.backend.torch.core import convert_to_tensor
from lamina.backend.torch.core import to_torch_dtype


def zeros(shape, dtype=None):
    return torch.zeros(tuple(shape), dtype=to_torch_dtype(dtype), device=DEFAULT_DEVICE)


def ones(shape, dtype=None):
    return torch.ones(tuple(shape), dtype=to_torch_dtype(dtype), device=DEFAULT_DEVICE)


def empty(shape, dtype=None):
    return torch.zeros(tuple(shape), dtype=to_torch_dtype(dtype), device=DEFAULT_DEVICE)


def full(shape, fill_value, dtype=None):
    fill_value = convert_to_tensor(fill_value, dtype=dtypes.standardize_dtype(dtype))
    return torch.broadcast_to(fill_value, tuple(shape)).clone()


def zeros_like(x, dtype=None):
    x = convert_to_tensor(x)
    return torch.zeros_like(x, dtype=None if dtype is None else to_torch_dtype(dtype))


def ones_like(x, dtype=None):
    x = convert_to_tensor(x)
    return torch.ones_like(x, dtype=None if dtype is None else to_torch_dtype(dtype))


def full_like(x, fill_value, dtype=None):
    x = convert_to_tensor(x)
    dtype = x.dtype if dtype is None else to_torch_dtype(dtype)
    fill_value = convert_to_tensor(fill_value, dtype=dtype)
    return torch.broadcast_to(fill_value, x.shape).clone()


def eye(N, M=None, k=0, dtype=None):
    M = N if M is None else M
    rows = torch.arange(N, device=DEFAULT_DEVICE)[:, None]
    columns = torch.arange(M, device=DEFAULT_DEVICE)[None, :]
    return (columns - rows == k).to(to_torch_dtype(dtype))


def tri(N, M=None, k=0, dtype=None):
    M = N if M is None else M
    rows = torch.arange(N, device=DEFAULT_DEVICE)[:, None]
    columns = torch.arange(M, device=DEFAULT_DEVICE)[None, :]
    return (columns - rows <= k).to(to_torch_dtype(dtype))


def arange(start, stop=None, step=1, dtype=None):
    if stop is None:
        start, stop = 0, start
    if dtype is None:
        dtype = dtypes.result_type(start, stop, step)
    dtype = dtypes.standardize_dtype(dtype)
    if dtypes.is_float(dtype):
        values = torch.arange(start, stop, step, dtype=torch.float64, device=DEFAULT_DEVICE)
    else:
        values = torch.arange(start, stop, step, device=DEFAULT_DEVICE)
    return cast(values, dtype)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    dtype = dtypes.standardize_dtype(dtype)
    start = convert_to_tensor(start, dtype="float64")
    stop = convert_to_tensor(stop, dtype="float64")
    start, stop = torch.broadcast_tensors(start, stop)
    divisor = (num - 1) if endpoint else num
    step = (stop - start) / divisor if divisor > 0 else stop - start
    fractions = torch.arange(num, dtype=torch.float64, device=DEFAULT_DEVICE)
    fractions = fractions.reshape((num,) + (1,) * start.ndim)
    values = start + fractions * step
    if endpoint and num > 1:
        values[-1] = stop
    values = torch.movedim(values, 0, axis) if start.ndim else values
    if not dtypes.is_float(dtype):
        values = torch.floor(values)
    values = cast(values, dtype)
    return (values, cast(step, dtype)) if retstep else values


def copy(x):
    return convert_to_tensor(x).clone()
