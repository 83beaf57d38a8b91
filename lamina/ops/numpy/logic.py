"""Comparisons, logical operators, NaN/infinity tests, `where` and `isin`."""

from lamina.backend import current
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.ops import shape_rules
from lamina.ops.dispatch import symbolic


def _bool_rule(op_name):
    def rule(x1, x2):
        return shape_rules.elementwise(x1, x2, dtype="bool", op_name=op_name)

    return rule


def _unary_bool_rule(x):
    return shape_rules.unary(x, dtype="bool")


@symbolic(_bool_rule("equal"))
def equal(x1, x2):
    """Returns `x1 == x2`, element-wise.

    Args:
        x1: A tensor or a Python scalar.
        x2: A tensor or a Python scalar, broadcastable with `x1`.

    Returns:
        A bool tensor of the broadcast shape.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.equal([1, 2], [1, 3])).tolist()
    [True, False]
    """
    return current.numpy.equal(x1, x2)


@symbolic(_bool_rule("not_equal"))
def not_equal(x1, x2):
    """Returns `x1 != x2`, element-wise.

    Args:
        x1: A tensor or a Python scalar.
        x2: A tensor or a Python scalar, broadcastable with `x1`.

    Returns:
        A bool tensor of the broadcast shape.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.not_equal([1, 2], [1, 3])).tolist()
    [False, True]
    """
    return current.numpy.not_equal(x1, x2)


@symbolic(_bool_rule("less"))
def less(x1, x2):
    """Returns `x1 < x2`, element-wise.

    Args:
        x1: A tensor or a Python scalar.
        x2: A tensor or a Python scalar, broadcastable with `x1`.

    Returns:
        A bool tensor of the broadcast shape.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.less([1, 2], 2)).tolist()
    [True, False]
    """
    return current.numpy.less(x1, x2)


@symbolic(_bool_rule("less_equal"))
def less_equal(x1, x2):
    """Returns `x1 <= x2`, element-wise.

    Args:
        x1: A tensor or a Python scalar.
        x2: A tensor or a Python scalar, broadcastable with `x1`.

    Returns:
        A bool tensor of the broadcast shape.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.less_equal([1, 2], 2)).tolist()
    [True, True]
    """
    return current.numpy.less_equal(x1, x2)


@symbolic(_bool_rule("greater"))
def greater(x1, x2):
    """Returns `x1 > x2`, element-wise.

    Args:
        x1: A tensor or a Python scalar.
        x2: A tensor or a Python scalar, broadcastable with `x1`.

    Returns:
        A bool tensor of the broadcast shape.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.greater([1, 2], 1)).tolist()
    [False, True]
    """
    return current.numpy.greater(x1, x2)


@symbolic(_bool_rule("greater_equal"))
def greater_equal(x1, x2):
    """Returns `x1 >= x2`, element-wise.

    Args:
        x1: A tensor or a Python scalar.
        x2: A tensor or a Python scalar, broadcastable with `x1`.

    Returns:
        A bool tensor of the broadcast shape.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.greater_equal([1, 2], 2)).tolist()
    [False, True]
    """
    return current.numpy.greater_equal(x1, x2)


@symbolic(_bool_rule("logical_and"))
def logical_and(x1, x2):
    """Returns the truth value of `x1 AND x2`, element-wise (non-zero is true).

    Args:
        x1: A tensor or a Python scalar.
        x2: A tensor or a Python scalar, broadcastable with `x1`.

    Returns:
        A bool tensor of the broadcast shape.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.logical_and([True, False], [True, True])).tolist()
    [True, False]
    """
    return current.numpy.logical_and(x1, x2)


@symbolic(_bool_rule("logical_or"))
def logical_or(x1, x2):
    """Returns the truth value of `x1 OR x2`, element-wise (non-zero is true).

    Args:
        x1: A tensor or a Python scalar.
        x2: A tensor or a Python scalar, broadcastable with `x1`.

    Returns:
        A bool tensor of the broadcast shape.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.logical_or([True, False], [False, False])).tolist()
    [True, False]
    """
    return current.numpy.logical_or(x1, x2)


@symbolic(_bool_rule("logical_xor"))
def logical_xor(x1, x2):
    """Returns the truth value of `x1 XOR x2`, element-wise (non-zero is true).

    Args:
        x1: A tensor or a Python scalar.
        x2: A tensor or a Python scalar, broadcastable with `x1`.

    Returns:
        A bool tensor of the broadcast shape.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.logical_xor([True, False], [True, True])).tolist()
    [False, True]
    """
    return current.numpy.logical_xor(x1, x2)


@symbolic(_unary_bool_rule)
def logical_not(x):
    """Returns the truth value of `NOT x`, element-wise (non-zero is true).

    Args:
        x: A tensor.

    Returns:
        A bool tensor of the same shape.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.logical_not([True, False])).tolist()
    [False, True]
    """
    return current.numpy.logical_not(x)


@symbolic(_unary_bool_rule)
def isnan(x):
    """Returns whether each element of `x` is NaN.

    Args:
        x: A tensor.

    Returns:
        A bool tensor of the same shape.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.isnan([1.0, float("nan")])).tolist()
    [False, True]
    """
    return current.numpy.isnan(x)


@symbolic(_unary_bool_rule)
def isinf(x):
    """Returns whether each element of `x` is positive or negative infinity.

    Args:
        x: A tensor.

    Returns:
        A bool tensor of the same shape.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.isinf([1.0, float("inf")])).tolist()
    [False, True]
    """
    return current.numpy.isinf(x)


@symbolic(_unary_bool_rule)
def isfinite(x):
    """Returns whether each element of `x` is neither infinite nor NaN.

    Args:
        x: A tensor.

    Returns:
        A bool tensor of the same shape.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.isfinite([1.0, float("inf")])).tolist()
    [True, False]
    """
    return current.numpy.isfinite(x)


def _check_where_arguments(x1, x2):
    if (x1 is None) != (x2 is None):
        raise ValueError(
            f"where expects `x1` and `x2` to be both given or both None. Received: x1={x1!r}, x2={x2!r}"
        )


def _where_rule(condition, x1=None, x2=None):
    _check_where_arguments(x1, x2)
    if x1 is None:
        ndim = len(shape_rules.shape_of(condition))
        return tuple(KerasTensor((None,), dtype="int32") for _ in range(ndim))
    shape = shape_rules.broadcast_shapes(
        shape_rules.shape_of(condition), shape_rules.shape_of(x1), shape_rules.shape_of(x2), op_name="where"
    )
    return KerasTensor(shape, dtype=shape_rules.result_dtype(x1, x2))


@symbolic(_where_rule)
def where(condition, x1=None, x2=None):
    """Picks elements from `x1` where `condition` is true, else from `x2`.

    With only `condition`, returns the indices of its non-zero elements (one
    int32 tensor per axis), which needs concrete values.

    Args:
        condition: A bool tensor (non-zero is true).
        x1: The values where `condition` is true.
        x2: The values where `condition` is false.

    Returns:
        A tensor of the broadcast shape and the promoted dtype of `x1` and
        `x2`, or a tuple of index tensors.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.where([True, False], [1.0, 2.0], 0.0)).tolist()
    [1.0, 0.0]
    >>> [ops.convert_to_numpy(i).tolist() for i in ops.where([[0, 1], [1, 0]])]
    [[0, 1], [1, 0]]
    """
    _check_where_arguments(x1, x2)
    if x1 is None:
        return current.numpy.nonzero(condition)
    return current.numpy.where(condition, x1, x2)


def _isin_rule(x1, x2, assume_unique=False, invert=False):
    return KerasTensor(shape_rules.shape_of(x1), dtype="bool")


@symbolic(_isin_rule)
def isin(x1, x2, assume_unique=False, invert=False):
    """Returns whether each element of `x1` occurs in `x2`.

    Args:
        x1: A tensor.
        x2: The values to look for (any shape).
        assume_unique: Kept for API parity (the result does not depend on it).
        invert: Whether to return the opposite (not in `x2`).

    Returns:
        A bool tensor of the shape of `x1`.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.isin([1, 2, 3], [3, 1])).tolist()
    [True, False, True]
    """
    return current.numpy.isin(x1, x2, invert=bool(invert))
