"""JAX tensor creation."""

import jax.numpy as jnp

from lamina.backend.common import dtypes
from lamina.backend.jax.core import convert_to_tensor


def zeros(shape, dtype=None):
    return jnp.zeros(shape, dtype=dtypes.standardize_dtype(dtype))


def ones(shape, dtype=None):
    return jnp.ones(shape, dtype=dtypes.standardize_dtype(dtype))


def empty(shape, dtype=None):
    return jnp.zeros(shape, dtype=dtypes.standardize_dtype(dtype))


def full(shape, fill_value, dtype=None):
    return jnp.full(shape, convert_to_tensor(fill_value), dtype=dtypes.standardize_dtype(dtype))


def zeros_like(x, dtype=None):
    return jnp.zeros_like(convert_to_tensor(x), dtype=dtype)


def ones_like(x, dtype=None):
    return jnp.ones_like(convert_to_tensor(x), dtype=dtype)


def full_like(x, fill_value, dtype=None):
    return jnp.full_like(convert_to_tensor(x), convert_to_tensor(fill_value), dtype=dtype)


def eye(N, M=None, k=0, dtype=None):
    return jnp.eye(N, M, k=k, dtype=dtypes.standardize_dtype(dtype))


def tri(N, M=None, k=0, dtype=None):
    return jnp.tri(N, M, k=k, dtype=dtypes.standardize_dtype(dtype))


def arange(start, stop=None, step=1, dtype=None):
    if dtype is None:
        dtype = dtypes.result_type(start, stop, step)
    return jnp.arange(start, stop, step, dtype=dtypes.standardize_dtype(dtype))


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    start, stop = convert_to_tensor(start, dtype="float32"), convert_to_tensor(stop, dtype="float32")
    return jnp.linspace(
        start, stop, num, endpoint=endpoint, retstep=retstep, dtype=dtypes.standardize_dtype(dtype), axis=axis
    )


def copy(x):
    return jnp.array(convert_to_tensor(x), copy=True)
