"""Argument conversion and the dtype rules shared by the PyTorch NumPy-like ops.

The rules mirror `lamina.ops.shape_rules` (which the backends may not import):
Python scalars are weak, float-valued ops turn ints into `floatx()`, and sums
widen bools and narrow ints to 32 bits. Torch would otherwise promote by its
own rules (int32 sums to int64, bool + 1 to int64).
"""

import torch

from lamina.backend.common import dtypes
from lamina.backend.common.variable import Variable as BaseVariable
from lamina.backend.torch.core import cast
from lamina.backend.torch.core import convert_to_tensor

PYTHON_SCALARS = (bool, int, float, complex)


def promote(*values, dtype=None, keep_scalars=False):
    """Converts `values` to tensors of their promoted dtype (or of `dtype`).

    With `keep_scalars`, Python numbers after the first argument stay Python
    numbers (torch treats them as weak, and no host-to-device copy happens);
    Python bools are still converted, as torch rejects `tensor - True`.
    """
    if dtype is None and len(values) == 2:
        fast = promote_pair_fast(values[0], values[1], keep_scalars)
        if fast is not None:
            return fast
    values = [value if isinstance(value, PYTHON_SCALARS) else convert_to_tensor(value) for value in values]
    if dtype is None and _already_promoted(values, keep_scalars):
        return values
    dtype = dtype or dtypes.result_type(*values)
    return [
        value if keep_scalars and index and _is_number(value) else cast(value, dtype)
        for index, value in enumerate(values)
    ]


def plain_tensor(value):
    """The tensor behind a torch tensor or a lamina Variable; None for anything else.

    The per-op fast paths use it: such arguments need no dtype inference.

    Args:
        value: Any op argument.

    Returns:
        A `torch.Tensor`, or None.

    Example:

    >>> plain_tensor(torch.ones(2)).tolist()
    [1.0, 1.0]
    >>> plain_tensor(1.0) is None
    True
    """
    if isinstance(value, torch.Tensor):
        return value
    if isinstance(value, BaseVariable):
        value = value.value
        if isinstance(value, torch.Tensor):
            return value
    return None


def promote_pair_fast(x1, x2, keep_scalars=False):
    """`promote(x1, x2)` for the eager hot path, or None when the general rules are needed.

    Covers a float tensor (or Variable) with a tensor of the same dtype, or,
    with `keep_scalars`, with a Python int / float (which its dtype absorbs).
    """
    # isinstance first: plain tensors (most arguments) skip the helper call.
    first = x1 if isinstance(x1, torch.Tensor) else plain_tensor(x1)
    if first is None or not first.is_floating_point():
        return None
    second = x2 if isinstance(x2, torch.Tensor) else plain_tensor(x2)
    if second is not None:
        return [first, second] if second.dtype == first.dtype else None
    if keep_scalars and type(x2) in _WEAK_NUMBERS:
        return [first, x2]
    return None


_WEAK_NUMBERS = (int, float)


def _already_promoted(values, keep_scalars):
    # The common case of the eager hot path: float tensors of one dtype, with
    # (when kept) Python ints / floats, which a float tensor's dtype absorbs.
    first = values[0]
    if not isinstance(first, torch.Tensor) or not first.is_floating_point():
        return False
    for value in values[1:]:
        if isinstance(value, torch.Tensor):
            if value.dtype != first.dtype:
                return False
        elif not (keep_scalars and type(value) in (int, float)):
            return False
    return True


def _is_number(value):
    return isinstance(value, PYTHON_SCALARS) and not isinstance(value, bool)


def float_dtype(dtype):
    dtype = dtypes.standardize_dtype(dtype)
    return dtype if dtypes.is_float(dtype) else dtypes.standardize_dtype(None)


def to_float(x):
    """`x` as a tensor of a float dtype (ints and bools become `floatx()`)."""
    x = convert_to_tensor(x)
    return x if x.is_floating_point() else cast(x, dtypes.standardize_dtype(None))


def accumulation_dtype(dtype):
    dtype = dtypes.standardize_dtype(dtype)
    if dtype in ("bool", "int8", "int16"):
        return "int32"
    if dtype in ("uint8", "uint16"):
        return "uint32"
    return dtype


def reduction_dims(axis, ndim):
    """`axis` as the tuple of non-negative dims torch expects (all dims for None)."""
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, int):
        axis = (axis,)
    return tuple(a % ndim if ndim else 0 for a in axis)
