"""JAX implementations of the NumPy-like ops."""

import jax.numpy as jnp

from lamina.backend.jax.core import convert_to_tensor


def zeros(shape, dtype=None):
    return jnp.zeros(shape, dtype=dtype)


def ones(shape, dtype=None):
    return jnp.ones(shape, dtype=dtype)


def add(x1, x2):
    return jnp.add(convert_to_tensor(x1), convert_to_tensor(x2))


def subtract(x1, x2):
    return jnp.subtract(convert_to_tensor(x1), convert_to_tensor(x2))


def multiply(x1, x2):
    return jnp.multiply(convert_to_tensor(x1), convert_to_tensor(x2))


def matmul(x1, x2):
    return jnp.matmul(convert_to_tensor(x1), convert_to_tensor(x2))
