"""NumPy matrix structure and products."""

import numpy as np

from lamina.backend.numpy.core import cast
from lamina.backend.numpy.core import convert_to_tensor
from lamina.backend.numpy.numpy._casting import accumulation_dtype
from lamina.backend.numpy.numpy._casting import as_dtype
from lamina.backend.numpy.numpy._casting import promote


def triu(x, k=0):
    return np.triu(convert_to_tensor(x), k=k)


def tril(x, k=0):
    return np.tril(convert_to_tensor(x), k=k)


def diag(x, k=0):
    return np.diag(convert_to_tensor(x), k=k)


def diagonal(x, offset=0, axis1=0, axis2=1):
    return np.diagonal(convert_to_tensor(x), offset=offset, axis1=axis1, axis2=axis2)


def trace(x, offset=0, axis1=0, axis2=1):
    x = convert_to_tensor(x)
    return np.trace(x, offset=offset, axis1=axis1, axis2=axis2, dtype=accumulation_dtype(x.dtype))


def matmul(x1, x2):
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    # int8 x int8 products accumulate in int32, as in Keras.
    both_int8 = x1.dtype == "int8" and x2.dtype == "int8"
    x1, x2 = promote(x1, x2, dtype="int32" if both_int8 else None)
    return as_dtype(np.matmul(x1, x2), x1.dtype)


def dot(x1, x2):
    x1, x2 = promote(x1, x2)
    return as_dtype(np.dot(x1, x2), x1.dtype)


def tensordot(x1, x2, axes=2):
    x1, x2 = promote(x1, x2)
    return as_dtype(np.tensordot(x1, x2, axes=axes), x1.dtype)


def outer(x1, x2):
    x1, x2 = promote(x1, x2)
    return as_dtype(np.outer(x1, x2), x1.dtype)


def inner(x1, x2):
    x1, x2 = promote(x1, x2)
    return as_dtype(np.inner(x1, x2), x1.dtype)


def vdot(x1, x2):
    x1, x2 = promote(x1, x2)
    return as_dtype(np.vdot(x1, x2), x1.dtype)


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1):
    x1, x2 = promote(x1, x2)
    x1, x2 = np.moveaxis(x1, axisa, -1), np.moveaxis(x2, axisb, -1)
    both_planar = x1.shape[-1] == 2 and x2.shape[-1] == 2
    # NumPy 2 deprecates 2-element vectors in np.cross: embed them in the z = 0 plane.
    if x1.shape[-1] == 2:
        x1 = np.pad(x1, [(0, 0)] * (x1.ndim - 1) + [(0, 1)])
    if x2.shape[-1] == 2:
        x2 = np.pad(x2, [(0, 0)] * (x2.ndim - 1) + [(0, 1)])
    result = np.cross(x1, x2)
    if both_planar:
        return result[..., 2]
    return np.moveaxis(result, -1, axisc)


def einsum(subscripts, *operands, dtype=None):
    operands = promote(*operands, dtype=dtype)
    return cast(np.einsum(subscripts, *operands), operands[0].dtype if operands else dtype)
