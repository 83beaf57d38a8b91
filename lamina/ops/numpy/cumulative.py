"""Running sums and products along an axis, and n-th differences."""

from lamina.backend import current
from lamina.backend.common import dtypes
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.ops import shape_rules
from lamina.ops.dispatch import symbolic


def _cumulative_dtype(x, dtype):
    if dtype is not None:
        return dtypes.standardize_dtype(dtype)
    dtype = shape_rules.dtype_of(x)
    return "int32" if dtype == "bool" else dtype


def _cumulative_rule(op_name):
    def rule(x, axis=None, dtype=None):
        shape = shape_rules.shape_of(x)
        if axis is None:
            shape = (shape_rules.multiply_sizes(shape),)
        else:
            shape_rules.canonical_axis(axis, len(shape), op_name)
        return KerasTensor(shape, dtype=_cumulative_dtype(x, dtype))

    return rule


@symbolic(_cumulative_rule("cumsum"))
def cumsum(x, axis=None, dtype=None):
    """Returns the cumulative sum of `x` along `axis`.

    Args:
        x: A tensor.
        axis: The axis to accumulate along; `None` uses the flattened tensor.
        dtype: Optional dtype of the result (bools otherwise give int32).

    Returns:
        A tensor of the shape of `x` (1-D with `axis=None`).

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.cumsum([[1, 2], [3, 4]], axis=1)).tolist()
    [[1, 3], [3, 7]]
    """
    return current.numpy.cumsum(x, axis=axis, dtype=_cumulative_dtype(x, dtype))


@symbolic(_cumulative_rule("cumprod"))
def cumprod(x, axis=None, dtype=None):
    """Returns the cumulative product of `x` along `axis`.

    Args:
        x: A tensor.
        axis: The axis to accumulate along; `None` uses the flattened tensor.
        dtype: Optional dtype of the result (bools otherwise give int32).

    Returns:
        A tensor of the shape of `x` (1-D with `axis=None`).

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.cumprod([1, 2, 3, 4])).tolist()
    [1, 2, 6, 24]
    """
    return current.numpy.cumprod(x, axis=axis, dtype=_cumulative_dtype(x, dtype))


def _diff_rule(a, n=1, axis=-1):
    shape = list(shape_rules.shape_of(a))
    if not shape:
        raise ValueError("diff expects a tensor of rank >= 1. Received a scalar.")
    if n < 0:
        raise ValueError(f"diff expects n >= 0. Received: n={n}")
    axis = shape_rules.canonical_axis(axis, len(shape), "diff")
    if shape[axis] is not None:
        shape[axis] = max(shape[axis] - n, 0)
    return KerasTensor(tuple(shape), dtype=shape_rules.dtype_of(a))


@symbolic(_diff_rule)
def diff(a, n=1, axis=-1):
    """Returns the `n`-th discrete difference of `a` along `axis`.

    Args:
        a: A tensor.
        n: How many times to take differences.
        axis: The axis along which to take them.

    Returns:
        A tensor whose `axis` is `n` shorter.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.diff([1, 4, 9, 16])).tolist()
    [3, 5, 7]
    """
    _diff_rule(a, n, axis)
    return current.numpy.diff(a, n=int(n), axis=axis)
