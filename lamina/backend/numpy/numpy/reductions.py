"""NumPy reductions, scans, sorting and searching (results keep lamina's dtypes)."""

import builtins

import numpy as np

from lamina.backend.numpy.core import cast
from lamina.backend.numpy.core import convert_to_tensor
from lamina.backend.numpy.numpy._casting import accumulation_dtype
from lamina.backend.numpy.numpy._casting import as_dtype
from lamina.backend.numpy.numpy._casting import float_dtype
from lamina.backend.numpy.numpy._casting import promote
from lamina.backend.numpy.numpy._casting import to_float


def sum(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    return np.sum(x, axis=axis, keepdims=keepdims, dtype=accumulation_dtype(x.dtype))


def prod(x, axis=None, keepdims=False, dtype=None):
    x = convert_to_tensor(x)
    return np.prod(x, axis=axis, keepdims=keepdims, dtype=dtype or accumulation_dtype(x.dtype))


def mean(x, axis=None, keepdims=False):
    x = to_float(x)
    return as_dtype(np.mean(x, axis=axis, keepdims=keepdims), x.dtype)


def var(x, axis=None, keepdims=False):
    x = to_float(x)
    return as_dtype(np.var(x, axis=axis, keepdims=keepdims), x.dtype)


def std(x, axis=None, keepdims=False):
    x = to_float(x)
    return as_dtype(np.std(x, axis=axis, keepdims=keepdims), x.dtype)


def all(x, axis=None, keepdims=False):
    return np.all(convert_to_tensor(x), axis=axis, keepdims=keepdims)


def any(x, axis=None, keepdims=False):
    return np.any(convert_to_tensor(x), axis=axis, keepdims=keepdims)


def max(x, axis=None, keepdims=False, initial=None):
    x = convert_to_tensor(x)
    if initial is None:
        return np.max(x, axis=axis, keepdims=keepdims)
    return np.max(x, axis=axis, keepdims=keepdims, initial=initial)


def min(x, axis=None, keepdims=False, initial=None):
    x = convert_to_tensor(x)
    if initial is None:
        return np.min(x, axis=axis, keepdims=keepdims)
    return np.min(x, axis=axis, keepdims=keepdims, initial=initial)


def count_nonzero(x, axis=None):
    return as_dtype(np.count_nonzero(convert_to_tensor(x), axis=axis), "int32")


def average(x, axis=None, weights=None, dtype=None):
    if weights is None:
        x = convert_to_tensor(x)
        dtype = dtype or float_dtype(x.dtype)
        return as_dtype(np.mean(cast(x, dtype), axis=axis), dtype)
    x, weights = promote(x, weights)
    dtype = dtype or float_dtype(x.dtype)
    x, weights = promote(x, weights, dtype=dtype)
    return as_dtype(np.average(x, axis=axis, weights=weights), dtype)


def cumsum(x, axis=None, dtype=None):
    return np.cumsum(convert_to_tensor(x), axis=axis, dtype=dtype)


def cumprod(x, axis=None, dtype=None):
    return np.cumprod(convert_to_tensor(x), axis=axis, dtype=dtype)


def diff(a, n=1, axis=-1):
    return np.diff(convert_to_tensor(a), n=n, axis=axis)


def sort(x, axis=-1):
    return np.sort(convert_to_tensor(x), axis=axis)


def argsort(x, axis=-1):
    return as_dtype(np.argsort(convert_to_tensor(x), axis=axis, stable=True), "int32")


def argmax(x, axis=None, keepdims=False):
    return as_dtype(np.argmax(convert_to_tensor(x), axis=axis, keepdims=keepdims), "int32")


def argmin(x, axis=None, keepdims=False):
    return as_dtype(np.argmin(convert_to_tensor(x), axis=axis, keepdims=keepdims), "int32")


def median(x, axis=None, keepdims=False):
    x = to_float(x)
    return as_dtype(np.median(x, axis=axis, keepdims=keepdims), x.dtype)


def quantile(x, q, axis=None, method="linear", keepdims=False):
    x = to_float(x)
    q = convert_to_tensor(q, dtype="float64")
    result = np.quantile(x, q, axis=axis, method=method, keepdims=keepdims)
    return as_dtype(result, x.dtype)


def searchsorted(sorted_sequence, values, side="left"):
    sorted_sequence, values = promote(sorted_sequence, values)
    return as_dtype(np.searchsorted(sorted_sequence, values, side=side), "int32")


def digitize(x, bins):
    bins, x = promote(bins, x)
    return as_dtype(np.searchsorted(bins, x, side="right"), "int32")


def bincount(x, weights=None, minlength=0):
    x = convert_to_tensor(x)
    length = builtins.max(int(np.max(x)) + 1 if x.size else 0, minlength)
    if weights is not None:
        weights = convert_to_tensor(weights)
    if x.ndim == 1:
        counts = np.bincount(x, weights=weights, minlength=length)
    else:
        counts = np.stack(
            [
                np.bincount(row, weights=None if weights is None else weights[i], minlength=length)
                for i, row in enumerate(x)
            ]
        )
    return as_dtype(counts, "int32" if weights is None else weights.dtype)
