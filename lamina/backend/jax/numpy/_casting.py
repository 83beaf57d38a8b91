"""Argument conversion and the dtype rules shared by the JAX NumPy-like ops.

The rules mirror `lamina.ops.shape_rules` (which the backends may not import):
Python scalars are weak, float-valued ops turn ints into `floatx()`, and sums
widen bools and narrow ints to 32 bits.
"""

from lamina.backend.common import dtypes
from lamina.backend.jax.core import cast
from lamina.backend.jax.core import convert_to_tensor

PYTHON_SCALARS = (bool, int, float, complex)


def promote(*values, dtype=None):
    """Converts `values` to tensors of their promoted dtype (or of `dtype`)."""
    values = [value if isinstance(value, PYTHON_SCALARS) else convert_to_tensor(value) for value in values]
    dtype = dtype or dtypes.result_type(*values)
    return [cast(value, dtype) for value in values]


def float_dtype(dtype):
    dtype = dtypes.standardize_dtype(dtype)
    return dtype if dtypes.is_float(dtype) else dtypes.standardize_dtype(None)


def to_float(x):
    """`x` as a tensor of a float dtype (ints and bools become `floatx()`)."""
    x = convert_to_tensor(x)
    return cast(x, float_dtype(x.dtype))


def accumulation_dtype(dtype):
    dtype = dtypes.standardize_dtype(dtype)
    if dtype in ("bool", "int8", "int16"):
        return "int32"
    if dtype in ("uint8", "uint16"):
        return "uint32"
    return dtype
