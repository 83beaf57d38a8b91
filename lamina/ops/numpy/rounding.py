"""Element-wise rounding, clipping and the replacement of non-finite values."""

from lamina.backend import current
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.ops import shape_rules
from lamina.ops.dispatch import symbolic


@symbolic(shape_rules.unary_float)
def floor(x):
    """Returns the largest integer not greater than each element of `x`.

    Integer inputs give `floatx()`, as in Keras.

    Args:
        x: A tensor.

    Returns:
        A float tensor of the same shape.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.floor([-1.5, 1.5])).tolist()
    [-2.0, 1.0]
    """
    return current.numpy.floor(x)


@symbolic(shape_rules.unary_float)
def ceil(x):
    """Returns the smallest integer not less than each element of `x`.

    Integer inputs give `floatx()`, as in Keras.

    Args:
        x: A tensor.

    Returns:
        A float tensor of the same shape.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.ceil([-1.5, 1.5])).tolist()
    [-1.0, 2.0]
    """
    return current.numpy.ceil(x)


def _round_rule(x, decimals=0):
    return shape_rules.unary(x)


@symbolic(_round_rule)
def round(x, decimals=0):
    """Rounds `x` to `decimals` decimals, halves to the nearest even value.

    Args:
        x: A tensor.
        decimals: The number of decimals (negative values round to tens,
            hundreds, ...).

    Returns:
        A tensor of the same shape and dtype.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.round([0.5, 1.5, 2.25], decimals=0)).tolist()
    [0.0, 2.0, 2.0]
    """
    return current.numpy.round(x, decimals=int(decimals))


@symbolic(shape_rules.unary)
def trunc(x):
    """Rounds each element of `x` toward zero.

    Args:
        x: A tensor.

    Returns:
        A tensor of the same shape and dtype.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.trunc([-1.7, 1.7])).tolist()
    [-1.0, 1.0]
    """
    return current.numpy.trunc(x)


def _clip_dtype(x, x_min, x_max):
    dtype = shape_rules.result_dtype(x, x_min, x_max)
    return "int32" if dtype == "bool" else dtype


def _clip_rule(x, x_min, x_max):
    return KerasTensor(shape_rules.shape_of(x), dtype=_clip_dtype(x, x_min, x_max))


@symbolic(_clip_rule)
def clip(x, x_min, x_max):
    """Limits the values of `x` to `[x_min, x_max]`.

    Args:
        x: A tensor.
        x_min: The lower bound (a scalar or a tensor broadcastable to `x`).
        x_max: The upper bound.

    Returns:
        A tensor of the shape of `x`, in the dtype promoted from the three
        arguments (bools give int32).

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.clip([-2.0, 0.5, 3.0], 0.0, 1.0)).tolist()
    [0.0, 0.5, 1.0]
    """
    return current.numpy.clip(x, x_min, x_max, dtype=_clip_dtype(x, x_min, x_max))


def _nan_to_num_rule(x, nan=0.0, posinf=None, neginf=None):
    return shape_rules.unary(x)


@symbolic(_nan_to_num_rule)
def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    """Replaces NaN and infinities in `x` with finite numbers.

    Args:
        x: A tensor.
        nan: The value that replaces NaN.
        posinf: The value that replaces `+inf` (default: the dtype's largest value).
        neginf: The value that replaces `-inf` (default: the dtype's lowest value).

    Returns:
        A tensor of the same shape and dtype.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.nan_to_num([float("nan"), 1.0], nan=-1.0)).tolist()
    [-1.0, 1.0]
    """
    return current.numpy.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)
