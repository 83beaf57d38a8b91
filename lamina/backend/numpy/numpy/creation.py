"""NumPy tensor creation."""

import numpy as np

from lamina.backend.common import dtypes
from lamina.backend.numpy.core import convert_to_tensor
from lamina.backend.numpy.numpy._casting import as_dtype


def zeros(shape, dtype=None):
    return np.zeros(shape, dtype=dtypes.standardize_dtype(dtype))


def ones(shape, dtype=None):
    return np.ones(shape, dtype=dtypes.standardize_dtype(dtype))


def empty(shape, dtype=None):
    return np.zeros(shape, dtype=dtypes.standardize_dtype(dtype))


def full(shape, fill_value, dtype=None):
    return np.full(shape, convert_to_tensor(fill_value), dtype=dtypes.standardize_dtype(dtype))


def zeros_like(x, dtype=None):
    return np.zeros_like(convert_to_tensor(x), dtype=dtype)


def ones_like(x, dtype=None):
    return np.ones_like(convert_to_tensor(x), dtype=dtype)


def full_like(x, fill_value, dtype=None):
    return np.full_like(convert_to_tensor(x), convert_to_tensor(fill_value), dtype=dtype)


def eye(N, M=None, k=0, dtype=None):
    return np.eye(N, M, k=k, dtype=dtypes.standardize_dtype(dtype))


def tri(N, M=None, k=0, dtype=None):
    return np.tri(N, M, k=k, dtype=dtypes.standardize_dtype(dtype))


def arange(start, stop=None, step=1, dtype=None):
    if dtype is None:
        dtype = dtypes.result_type(start, stop, step)
    return as_dtype(np.arange(start, stop, step), dtype)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    dtype = dtypes.standardize_dtype(dtype)
    values, step = np.linspace(
        convert_to_tensor(start, dtype="float64"),
        convert_to_tensor(stop, dtype="float64"),
        num,
        endpoint=endpoint,
        retstep=True,
        axis=axis,
    )
    if not dtypes.is_float(dtype):
        values = np.floor(values)
    values = as_dtype(values, dtype)
    return (values, as_dtype(step, dtype)) if retstep else values


def copy(x):
    return np.array(convert_to_tensor(x), copy=True)
