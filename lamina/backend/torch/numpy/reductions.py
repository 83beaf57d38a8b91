"""PyTorch reductions, scans, sorting and searching."""

import builtins

import torch

from lamina.backend.torch.core import cast
from lamina.backend.torch.core import convert_to_tensor
from lamina.backend.torch.core import to_torch_dtype
from lamina.backend.torch.numpy._casting import accumulation_dtype
from lamina.backend.torch.numpy._casting import float_dtype
from lamina.backend.torch.numpy._casting import promote
from lamina.backend.torch.numpy._casting import reduction_dims
from lamina.backend.torch.numpy._casting import to_float


def _flatten_axes(x, axis):
    """Moves the reduced axes to the end and merges them into one; returns (tensor, kept shape)."""
    dims = reduction_dims(axis, x.ndim)
    kept = [d for d in range(x.ndim) if d not in dims]
    x = x.permute(kept + list(dims))
    return x.reshape(x.shape[: len(kept)] + (-1,)), dims


def _keep_dims_shape(x_shape, dims):
    return tuple(1 if d in dims else size for d, size in enumerate(x_shape))


# torch reads dim=() as "all dims"; NumPy reads axis=() as "no axis", so those calls
# return the element-wise identity of the reduction instead.


def sum(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    dtype = accumulation_dtype(x.dtype)
    dims = reduction_dims(axis, x.ndim)
    if not dims:
        return cast(x, dtype)
    return torch.sum(x, dim=dims, keepdim=keepdims, dtype=to_torch_dtype(dtype))


def prod(x, axis=None, keepdims=False, dtype=None):
    x = convert_to_tensor(x)
    dtype = to_torch_dtype(dtype or accumulation_dtype(x.dtype))
    flat, dims = _flatten_axes(x, axis)
    result = torch.prod(flat, dim=-1, dtype=dtype)
    return result.reshape(_keep_dims_shape(x.shape, dims)) if keepdims else result


def mean(x, axis=None, keepdims=False):
    if axis is None and not keepdims and type(x) is torch.Tensor and x.is_floating_point() and x.ndim:
        return torch.mean(x)  # the losses' final reduction, every step: nothing to convert
    x = to_float(x)
    dims = reduction_dims(axis, x.ndim)
    return torch.mean(x, dim=dims, keepdim=keepdims) if dims else x


def var(x, axis=None, keepdims=False):
    x = to_float(x)
    dims = reduction_dims(axis, x.ndim)
    return torch.var(x, dim=dims, correction=0, keepdim=keepdims) if dims else torch.zeros_like(x)


def std(x, axis=None, keepdims=False):
    x = to_float(x)
    dims = reduction_dims(axis, x.ndim)
    return torch.std(x, dim=dims, correction=0, keepdim=keepdims) if dims else torch.zeros_like(x)


def all(x, axis=None, keepdims=False):
    x = cast(convert_to_tensor(x), "bool")
    dims = reduction_dims(axis, x.ndim)
    return torch.all(x, dim=dims, keepdim=keepdims) if dims else x


def any(x, axis=None, keepdims=False):
    x = cast(convert_to_tensor(x), "bool")
    dims = reduction_dims(axis, x.ndim)
    return torch.any(x, dim=dims, keepdim=keepdims) if dims else x


def max(x, axis=None, keepdims=False, initial=None):
    x = convert_to_tensor(x)
    dims = reduction_dims(axis, x.ndim)
    result = torch.amax(x, dim=dims, keepdim=keepdims) if dims else x
    return result if initial is None else torch.clamp(result, min=initial)


def min(x, axis=None, keepdims=False, initial=None):
    x = convert_to_tensor(x)
    dims = reduction_dims(axis, x.ndim)
    result = torch.amin(x, dim=dims, keepdim=keepdims) if dims else x
    return result if initial is None else torch.clamp(result, max=initial)


def count_nonzero(x, axis=None):
    x = convert_to_tensor(x)
    dims = reduction_dims(axis, x.ndim)
    return cast(torch.count_nonzero(x, dim=dims) if dims else x != 0, "int32")


def average(x, axis=None, weights=None, dtype=None):
    if weights is None:
        x = convert_to_tensor(x)
        return mean(cast(x, dtype or float_dtype(x.dtype)), axis=axis)
    x, weights = promote(x, weights)
    x, weights = promote(x, weights, dtype=dtype or float_dtype(x.dtype))
    if weights.ndim == 1 and x.ndim > 1 and axis is not None:
        shape = [1] * x.ndim
        shape[axis] = -1
        weights = weights.reshape(shape)
    weights = torch.broadcast_to(weights, x.shape)
    dims = reduction_dims(axis, x.ndim)
    if not dims:
        return x
    return torch.sum(x * weights, dim=dims) / torch.sum(weights, dim=dims)


def _scan_input(x, axis):
    x = convert_to_tensor(x)
    return (x.reshape(-1), 0) if axis is None else (x, axis)


def cumsum(x, axis=None, dtype=None):
    x, axis = _scan_input(x, axis)
    return torch.cumsum(x, dim=axis, dtype=None if dtype is None else to_torch_dtype(dtype))


def cumprod(x, axis=None, dtype=None):
    x, axis = _scan_input(x, axis)
    return torch.cumprod(x, dim=axis, dtype=None if dtype is None else to_torch_dtype(dtype))


def diff(a, n=1, axis=-1):
    return torch.diff(convert_to_tensor(a), n=n, dim=axis)


def sort(x, axis=-1):
    x, axis = _scan_input(x, axis)
    if x.dtype == torch.bool:
        return cast(torch.sort(cast(x, "uint8"), dim=axis, stable=True).values, "bool")
    return torch.sort(x, dim=axis, stable=True).values


def argsort(x, axis=-1):
    x, axis = _scan_input(x, axis)
    if x.dtype == torch.bool:
        x = cast(x, "uint8")
    return cast(torch.argsort(x, dim=axis, stable=True), "int32")


def _arg_reduce(function, x, axis, keepdims):
    x = convert_to_tensor(x)
    if x.dtype == torch.bool:
        x = cast(x, "uint8")
    if axis is None:
        result = function(x.reshape(-1))
        return cast(result.reshape((1,) * x.ndim) if keepdims else result, "int32")
    return cast(function(x, dim=axis, keepdim=keepdims), "int32")


def argmax(x, axis=None, keepdims=False):
    return _arg_reduce(torch.argmax, x, axis, keepdims)


def argmin(x, axis=None, keepdims=False):
    return _arg_reduce(torch.argmin, x, axis, keepdims)


def median(x, axis=None, keepdims=False):
    return quantile(x, 0.5, axis=axis, keepdims=keepdims)


def quantile(x, q, axis=None, method="linear", keepdims=False):
    x = to_float(x)
    dtype = x.dtype
    if dtype in (torch.float16, torch.bfloat16):
        # torch.quantile only supports float32 and float64.
        x = x.float()
    q = cast(convert_to_tensor(q), x.dtype)
    flat, dims = _flatten_axes(x, axis)
    result = torch.quantile(flat, q, dim=-1, interpolation=method)
    if keepdims:
        result = result.reshape(tuple(q.shape) + _keep_dims_shape(x.shape, dims))
    return result.to(dtype)


def searchsorted(sorted_sequence, values, side="left"):
    sorted_sequence, values = promote(sorted_sequence, values)
    return cast(torch.searchsorted(sorted_sequence, values, side=side), "int32")


def digitize(x, bins):
    bins, x = promote(bins, x)
    return cast(torch.searchsorted(bins, x, side="right"), "int32")


def bincount(x, weights=None, minlength=0):
    x = cast(convert_to_tensor(x), "int64")
    length = builtins.max(int(x.max()) + 1 if x.numel() else 0, minlength)
    if weights is not None:
        weights = convert_to_tensor(weights)
    if x.ndim == 1:
        counts = torch.bincount(x, weights=weights, minlength=length)
    else:
        counts = torch.stack(
            [
                torch.bincount(row, weights=None if weights is None else weights[i], minlength=length)
                for i, row in enumerate(x)
            ]
        )
    return cast(counts, "int32" if weights is None else weights.dtype)
