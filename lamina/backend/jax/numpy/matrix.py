"""JAX matrix structure and products."""

import jax.numpy as jnp

from lamina.backend.jax.core import cast
from lamina.backend.jax.core import convert_to_tensor
from lamina.backend.jax.numpy._casting import accumulation_dtype
from lamina.backend.jax.numpy._casting import promote


def triu(x, k=0):
    return jnp.triu(convert_to_tensor(x), k=k)


def tril(x, k=0):
    return jnp.tril(convert_to_tensor(x), k=k)


def diag(x, k=0):
    return jnp.diag(convert_to_tensor(x), k=k)


def diagonal(x, offset=0, axis1=0, axis2=1):
    return jnp.diagonal(convert_to_tensor(x), offset=offset, axis1=axis1, axis2=axis2)


def trace(x, offset=0, axis1=0, axis2=1):
    x = convert_to_tensor(x)
    return jnp.trace(x, offset=offset, axis1=axis1, axis2=axis2, dtype=accumulation_dtype(x.dtype))


def matmul(x1, x2):
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    # int8 x int8 products accumulate in int32, as in Keras.
    both_int8 = x1.dtype == "int8" and x2.dtype == "int8"
    x1, x2 = promote(x1, x2, dtype="int32" if both_int8 else None)
    return jnp.matmul(x1, x2)


def dot(x1, x2):
    x1, x2 = promote(x1, x2)
    return jnp.dot(x1, x2)


def tensordot(x1, x2, axes=2):
    x1, x2 = promote(x1, x2)
    return jnp.tensordot(x1, x2, axes=axes)


def outer(x1, x2):
    x1, x2 = promote(x1, x2)
    return jnp.outer(x1, x2)


def inner(x1, x2):
    x1, x2 = promote(x1, x2)
    return jnp.inner(x1, x2)


def vdot(x1, x2):
    x1, x2 = promote(x1, x2)
    return jnp.vdot(x1, x2)


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1):
    x1, x2 = promote(x1, x2)
    return jnp.cross(x1, x2, axisa=axisa, axisb=axisb, axisc=axisc)


def einsum(subscripts, *operands, dtype=None):
    operands = promote(*operands, dtype=dtype)
    return cast(jnp.einsum(subscripts, *operands), operands[0].dtype if operands else dtype)
