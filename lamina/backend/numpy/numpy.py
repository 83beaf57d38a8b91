"""NumPy implementations of the NumPy-like ops (results keep lamina's dtypes)."""

import numpy as np

from lamina.backend.common import dtypes
from lamina.backend.numpy.core import cast


def _promoted(x1, x2):
    dtype = dtypes.result_type(x1, x2)
    return cast(x1, dtype), cast(x2, dtype)


def zeros(shape, dtype=None):
    return np.zeros(shape, dtype=dtype)


def ones(shape, dtype=None):
    return np.ones(shape, dtype=dtype)


def add(x1, x2):
    x1, x2 = _promoted(x1, x2)
    return np.add(x1, x2)


def subtract(x1, x2):
    x1, x2 = _promoted(x1, x2)
    return np.subtract(x1, x2)


def multiply(x1, x2):
    x1, x2 = _promoted(x1, x2)
    return np.multiply(x1, x2)


def matmul(x1, x2):
    x1, x2 = _promoted(x1, x2)
    return np.matmul(x1, x2)
