"""JAX reductions, scans, sorting and searching."""

import builtins

import jax.numpy as jnp

from lamina.backend.jax.core import cast
from lamina.backend.jax.core import convert_to_tensor
from lamina.backend.jax.numpy._casting import accumulation_dtype
from lamina.backend.jax.numpy._casting import float_dtype
from lamina.backend.jax.numpy._casting import promote
from lamina.backend.jax.numpy._casting import to_float


def sum(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    return jnp.sum(x, axis=axis, keepdims=keepdims, dtype=accumulation_dtype(x.dtype))


def prod(x, axis=None, keepdims=False, dtype=None):
    x = convert_to_tensor(x)
    return jnp.prod(x, axis=axis, keepdims=keepdims, dtype=dtype or accumulation_dtype(x.dtype))


def mean(x, axis=None, keepdims=False):
    return jnp.mean(to_float(x), axis=axis, keepdims=keepdims)


def var(x, axis=None, keepdims=False):
    return jnp.var(to_float(x), axis=axis, keepdims=keepdims)


def std(x, axis=None, keepdims=False):
    return jnp.std(to_float(x), axis=axis, keepdims=keepdims)


def all(x, axis=None, keepdims=False):
    return jnp.all(convert_to_tensor(x), axis=axis, keepdims=keepdims)


def any(x, axis=None, keepdims=False):
    return jnp.any(convert_to_tensor(x), axis=axis, keepdims=keepdims)


def max(x, axis=None, keepdims=False, initial=None):
    return jnp.max(convert_to_tensor(x), axis=axis, keepdims=keepdims, initial=initial)


def min(x, axis=None, keepdims=False, initial=None):
    return jnp.min(convert_to_tensor(x), axis=axis, keepdims=keepdims, initial=initial)


def count_nonzero(x, axis=None):
    return cast(jnp.count_nonzero(convert_to_tensor(x), axis=axis), "int32")


def average(x, axis=None, weights=None, dtype=None):
    if weights is None:
        x = convert_to_tensor(x)
        return jnp.mean(cast(x, dtype or float_dtype(x.dtype)), axis=axis)
    x, weights = promote(x, weights)
    x, weights = promote(x, weights, dtype=dtype or float_dtype(x.dtype))
    return jnp.average(x, axis=axis, weights=weights)


def cumsum(x, axis=None, dtype=None):
    return jnp.cumsum(convert_to_tensor(x), axis=axis, dtype=dtype)


def cumprod(x, axis=None, dtype=None):
    return jnp.cumprod(convert_to_tensor(x), axis=axis, dtype=dtype)


def diff(a, n=1, axis=-1):
    return jnp.diff(convert_to_tensor(a), n=n, axis=axis)


def sort(x, axis=-1):
    return jnp.sort(convert_to_tensor(x), axis=axis)


def argsort(x, axis=-1):
    return cast(jnp.argsort(convert_to_tensor(x), axis=axis, stable=True), "int32")


def argmax(x, axis=None, keepdims=False):
    return cast(jnp.argmax(convert_to_tensor(x), axis=axis, keepdims=keepdims), "int32")


def argmin(x, axis=None, keepdims=False):
    return cast(jnp.argmin(convert_to_tensor(x), axis=axis, keepdims=keepdims), "int32")


def median(x, axis=None, keepdims=False):
    return jnp.median(to_float(x), axis=axis, keepdims=keepdims)


def quantile(x, q, axis=None, method="linear", keepdims=False):
    x = to_float(x)
    q = cast(convert_to_tensor(q), x.dtype)
    return jnp.quantile(x, q, axis=axis, method=method, keepdims=keepdims)


def searchsorted(sorted_sequence, values, side="left"):
    sorted_sequence, values = promote(sorted_sequence, values)
    return cast(jnp.searchsorted(sorted_sequence, values, side=side), "int32")


def digitize(x, bins):
    bins, x = promote(bins, x)
    return cast(jnp.searchsorted(bins, x, side="right"), "int32")


def bincount(x, weights=None, minlength=0):
    x = convert_to_tensor(x)
    # The output length depends on the values, so this op runs eagerly only.
    length = builtins.max(int(jnp.max(x)) + 1 if x.size else 0, minlength)
    if weights is not None:
        weights = convert_to_tensor(weights)
    if x.ndim == 1:
        counts = jnp.bincount(x, weights=weights, length=length)
    else:
        rows = [
            jnp.bincount(row, weights=None if weights is None else weights[i], length=length)
            for i, row in enumerate(x)
        ]
        counts = jnp.stack(rows)
    return cast(counts, "int32" if weights is None else weights.dtype)
