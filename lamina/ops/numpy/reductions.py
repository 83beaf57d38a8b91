"""Reductions: sum, mean, prod, std, var, all, any, max, min, count_nonzero, average."""

from lamina.backend import current
from lamina.backend.common import dtypes
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.ops import shape_rules
from lamina.ops.dispatch import symbolic


def _standardize_axis(axis):
    if axis is None or isinstance(axis, int):
        return axis
    return tuple(int(a) for a in axis)


def _reduction_rule(op_name, dtype_rule):
    def rule(x, axis=None, keepdims=False, **unused):
        shape = shape_rules.reduced_shape(shape_rules.shape_of(x), axis, keepdims, op_name)
        return KerasTensor(shape, dtype=dtype_rule(shape_rules.dtype_of(x)))

    return rule


def _same_dtype(dtype):
    return dtype


def _bool_dtype(dtype):
    return "bool"


@symbolic(_reduction_rule("sum", shape_rules.accumulation_dtype))
def sum(x, axis=None, keepdims=False):
    """Sums `x` over `axis`.

    Args:
        x: A tensor.
        axis: An int, a tuple of ints, or `None` (all axes).
        keepdims: Whether to keep the reduced axes with size 1.

    Returns:
        The sum. Bools and narrow ints sum in int32 (narrow unsigned in uint32).

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.sum([[1, 2], [3, 4]], axis=0)).tolist()
    [4, 6]
    """
    return current.numpy.sum(x, axis=_standardize_axis(axis), keepdims=keepdims)


def _prod_rule(x, axis=None, keepdims=False, dtype=None):
    spec = _reduction_rule("prod", shape_rules.accumulation_dtype)(x, axis, keepdims)
    return spec if dtype is None else KerasTensor(spec.shape, dtype=dtype)


@symbolic(_prod_rule)
def prod(x, axis=None, keepdims=False, dtype=None):
    """Multiplies the elements of `x` over `axis`.

    Args:
        x: A tensor.
        axis: An int, a tuple of ints, or `None` (all axes).
        keepdims: Whether to keep the reduced axes with size 1.
        dtype: Optional dtype of the result (bools and narrow ints otherwise
            widen to int32).

    Returns:
        The product.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.prod([[1, 2], [3, 4]], axis=1)).tolist()
    [2, 12]
    """
    dtype = None if dtype is None else dtypes.standardize_dtype(dtype)
    return current.numpy.prod(x, axis=_standardize_axis(axis), keepdims=keepdims, dtype=dtype)


@symbolic(_reduction_rule("mean", shape_rules.float_dtype))
def mean(x, axis=None, keepdims=False):
    """Averages `x` over `axis`; integers give `floatx()`.

    Args:
        x: A tensor.
        axis: An int, a tuple of ints, or `None` (all axes).
        keepdims: Whether to keep the reduced axes with size 1.

    Returns:
        The mean, a float tensor.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.mean([[1, 2], [3, 4]], axis=0)).tolist()
    [2.0, 3.0]
    """
    return current.numpy.mean(x, axis=_standardize_axis(axis), keepdims=keepdims)


@symbolic(_reduction_rule("var", shape_rules.float_dtype))
def var(x, axis=None, keepdims=False):
    """Returns the (population) variance of `x` over `axis`.

    Args:
        x: A tensor.
        axis: An int, a tuple of ints, or `None` (all axes).
        keepdims: Whether to keep the reduced axes with size 1.

    Returns:
        `mean(square(x - mean(x)))`, a float tensor.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.var([1.0, 2.0, 3.0, 4.0])).tolist()
    1.25
    """
    return current.numpy.var(x, axis=_standardize_axis(axis), keepdims=keepdims)


@symbolic(_reduction_rule("std", shape_rules.float_dtype))
def std(x, axis=None, keepdims=False):
    """Returns the (population) standard deviation of `x` over `axis`.

    Args:
        x: A tensor.
        axis: An int, a tuple of ints, or `None` (all axes).
        keepdims: Whether to keep the reduced axes with size 1.

    Returns:
        `sqrt(var(x))`, a float tensor.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.std([1.0, 3.0])).tolist()
    1.0
    """
    return current.numpy.std(x, axis=_standardize_axis(axis), keepdims=keepdims)


@symbolic(_reduction_rule("all", _bool_dtype))
def all(x, axis=None, keepdims=False):
    """Returns whether all elements of `x` are true (non-zero) over `axis`.

    Args:
        x: A tensor.
        axis: An int, a tuple of ints, or `None` (all axes).
        keepdims: Whether to keep the reduced axes with size 1.

    Returns:
        A bool tensor.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.all([[True, False], [True, True]], axis=1)).tolist()
    [False, True]
    """
    return current.numpy.all(x, axis=_standardize_axis(axis), keepdims=keepdims)


@symbolic(_reduction_rule("any", _bool_dtype))
def any(x, axis=None, keepdims=False):
    """Returns whether any element of `x` is true (non-zero) over `axis`.

    Args:
        x: A tensor.
        axis: An int, a tuple of ints, or `None` (all axes).
        keepdims: Whether to keep the reduced axes with size 1.

    Returns:
        A bool tensor.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.any([[True, False], [False, False]], axis=1)).tolist()
    [True, False]
    """
    return current.numpy.any(x, axis=_standardize_axis(axis), keepdims=keepdims)


@symbolic(_reduction_rule("max", _same_dtype))
def max(x, axis=None, keepdims=False, initial=None):
    """Returns the largest element of `x` over `axis`.

    Args:
        x: A tensor.
        axis: An int, a tuple of ints, or `None` (all axes).
        keepdims: Whether to keep the reduced axes with size 1.
        initial: Optional value the result may not fall below.

    Returns:
        A tensor of the dtype of `x`.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.max([[1, 5], [3, 2]], axis=0)).tolist()
    [3, 5]
    """
    return current.numpy.max(x, axis=_standardize_axis(axis), keepdims=keepdims, initial=initial)


@symbolic(_reduction_rule("amax", _same_dtype))
def amax(x, axis=None, keepdims=False):
    """Returns the largest element of `x` over `axis` (the same as `max`).

    Args:
        x: A tensor.
        axis: An int, a tuple of ints, or `None` (all axes).
        keepdims: Whether to keep the reduced axes with size 1.

    Returns:
        A tensor of the dtype of `x`.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.amax([[1, 5], [3, 2]])).tolist()
    5
    """
    return current.numpy.max(x, axis=_standardize_axis(axis), keepdims=keepdims, initial=None)


@symbolic(_reduction_rule("min", _same_dtype))
def min(x, axis=None, keepdims=False, initial=None):
    """Returns the smallest element of `x` over `axis`.

    Args:
        x: A tensor.
        axis: An int, a tuple of ints, or `None` (all axes).
        keepdims: Whether to keep the reduced axes with size 1.
        initial: Optional value the result may not rise above.

    Returns:
        A tensor of the dtype of `x`.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.min([[1, 5], [3, 2]], axis=1)).tolist()
    [1, 2]
    """
    return current.numpy.min(x, axis=_standardize_axis(axis), keepdims=keepdims, initial=initial)


@symbolic(_reduction_rule("amin", _same_dtype))
def amin(x, axis=None, keepdims=False):
    """Returns the smallest element of `x` over `axis` (the same as `min`).

    Args:
        x: A tensor.
        axis: An int, a tuple of ints, or `None` (all axes).
        keepdims: Whether to keep the reduced axes with size 1.

    Returns:
        A tensor of the dtype of `x`.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.amin([[1, 5], [3, 2]])).tolist()
    1
    """
    return current.numpy.min(x, axis=_standardize_axis(axis), keepdims=keepdims, initial=None)


def _count_nonzero_rule(x, axis=None):
    shape = shape_rules.reduced_shape(shape_rules.shape_of(x), axis, False, "count_nonzero")
    return KerasTensor(shape, dtype="int32")


@symbolic(_count_nonzero_rule)
def count_nonzero(x, axis=None):
    """Counts the non-zero elements of `x` over `axis`.

    Args:
        x: A tensor.
        axis: An int, a tuple of ints, or `None` (all axes).

    Returns:
        An int32 tensor.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.count_nonzero([[0, 1], [2, 3]], axis=1)).tolist()
    [1, 2]
    """
    return current.numpy.count_nonzero(x, axis=_standardize_axis(axis))


def _average_rule(x, axis=None, weights=None):
    shape = shape_rules.shape_of(x)
    if weights is not None:
        weights_shape = shape_rules.shape_of(weights)
        if weights_shape != shape:
            if axis is None or not isinstance(axis, int) or len(weights_shape) != 1:
                raise ValueError(
                    "average expects `weights` of the shape of `x`, or 1-D weights with an "
                    f"int `axis`. Received: x.shape={shape}, weights.shape={weights_shape}, axis={axis}"
                )
            size = shape[shape_rules.canonical_axis(axis, len(shape), "average")]
            if None not in (size, weights_shape[0]) and size != weights_shape[0]:
                raise ValueError(
                    f"average: 1-D weights must have the length of axis {axis} of `x` ({size}). "
                    f"Received: weights.shape={weights_shape}"
                )
    dtype = shape_rules.float_dtype(shape_rules.result_dtype(x, weights))
    return KerasTensor(shape_rules.reduced_shape(shape, axis, False, "average"), dtype=dtype)


@symbolic(_average_rule)
def average(x, axis=None, weights=None):
    """Returns the weighted average of `x` over `axis`.

    Args:
        x: A tensor.
        axis: An int, a tuple of ints, or `None` (all axes).
        weights: Optional weights: the shape of `x`, or 1-D along an int `axis`.

    Returns:
        `sum(x * weights) / sum(weights)`, a float tensor.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.average([1.0, 3.0], weights=[3.0, 1.0])).tolist()
    1.5
    """
    spec = _average_rule(x, axis, weights)
    return current.numpy.average(x, axis=_standardize_axis(axis), weights=weights, dtype=spec.dtype)
