"""Argument conversion and the dtype rules shared by the NumPy-backend ops.

The rules mirror `lamina.ops.shape_rules` (which the backends may not import):
Python scalars are weak, float-valued ops turn ints into `floatx()`, and sums
widen bools and narrow ints to 32 bits. NumPy would otherwise compute in
float64 and int64, so results are cast back to lamina's dtypes.
"""

import numpy as np

from lamina.backend.common import dtypes
from lamina.backend.numpy.core import cast
from lamina.backend.numpy.core import convert_to_tensor

PYTHON_SCALARS = (bool, int, float, complex)


def promote(*values, dtype=None):
    """Converts `values` to arrays of their promoted dtype (or of `dtype`)."""
    values = [value if isinstance(value, PYTHON_SCALARS) else convert_to_tensor(value) for value in values]
    dtype = dtype or dtypes.result_type(*values)
    return [cast(value, dtype) for value in values]


def float_dtype(dtype):
    dtype = dtypes.standardize_dtype(dtype)
    return dtype if dtypes.is_float(dtype) else dtypes.standardize_dtype(None)


def to_float(x):
    """`x` as an array of a float dtype (ints and bools become `floatx()`)."""
    x = convert_to_tensor(x)
    return cast(x, float_dtype(x.dtype))


def accumulation_dtype(dtype):
    dtype = dtypes.standardize_dtype(dtype)
    if dtype in ("bool", "int8", "int16"):
        return "int32"
    if dtype in ("uint8", "uint16"):
        return "uint32"
    return dtype


def as_dtype(result, dtype):
    """`result` as an array of `dtype` (NumPy may have widened it)."""
    return np.asarray(result).astype(dtypes.standardize_dtype(dtype), copy=False)
