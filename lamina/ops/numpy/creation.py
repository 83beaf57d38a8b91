"""Tensor creation: zeros, ones, full, eye, arange, linspace and the `*_like` ops."""

from lamina.backend import current
from lamina.backend.common import dtypes
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.ops import shape_rules
from lamina.ops.dispatch import symbolic


def _standardize_shape(shape, op_name):
    if isinstance(shape, int):
        shape = (shape,)
    try:
        return tuple(int(size) for size in shape)
    except (TypeError, ValueError):
        raise ValueError(
            f"{op_name} expects `shape` to be an int or a tuple of ints. Received: shape={shape!r}"
        ) from None


def zeros(shape, dtype=None):
    """Returns a tensor of zeros.

    Args:
        shape: An int or a tuple of ints.
        dtype: Dtype (default `floatx()`).

    Returns:
        A tensor of the given shape filled with `0`.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.zeros((2,))).tolist()
    [0.0, 0.0]
    """
    shape = _standardize_shape(shape, "zeros")
    return current.numpy.zeros(shape, dtype=dtypes.standardize_dtype(dtype))


def ones(shape, dtype=None):
    """Returns a tensor of ones.

    Args:
        shape: An int or a tuple of ints.
        dtype: Dtype (default `floatx()`).

    Returns:
        A tensor of the given shape filled with `1`.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.ones((2,))).tolist()
    [1.0, 1.0]
    """
    shape = _standardize_shape(shape, "ones")
    return current.numpy.ones(shape, dtype=dtypes.standardize_dtype(dtype))


def empty(shape, dtype=None):
    """Returns a tensor of the given shape (lamina fills it with zeros).

    Args:
        shape: An int or a tuple of ints.
        dtype: Dtype (default `floatx()`).

    Returns:
        A tensor of the given shape.

    Example:

    >>> from lamina import ops
    >>> ops.shape(ops.empty((2, 3)))
    (2, 3)
    """
    shape = _standardize_shape(shape, "empty")
    return current.numpy.empty(shape, dtype=dtypes.standardize_dtype(dtype))


def full(shape, fill_value, dtype=None):
    """Returns a tensor of the given shape filled with `fill_value`.

    Args:
        shape: An int or a tuple of ints.
        fill_value: A scalar, or a tensor that broadcasts to `shape`.
        dtype: Dtype (default `floatx()`).

    Returns:
        A tensor of the given shape.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.full((2,), 7, dtype="int32")).tolist()
    [7, 7]
    """
    shape = _standardize_shape(shape, "full")
    return current.numpy.full(shape, fill_value, dtype=dtypes.standardize_dtype(dtype))


def _like_rule(x, dtype=None):
    return KerasTensor(shape_rules.shape_of(x), dtype=dtype or shape_rules.dtype_of(x))


def _full_like_rule(x, fill_value, dtype=None):
    return _like_rule(x, dtype)


@symbolic(_like_rule)
def zeros_like(x, dtype=None):
    """Returns a tensor of zeros with the shape (and, unless given, the dtype) of `x`.

    Args:
        x: A tensor.
        dtype: Optional dtype of the result.

    Returns:
        A tensor of zeros.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.zeros_like([1, 2])).tolist()
    [0, 0]
    """
    return current.numpy.zeros_like(x, dtype=None if dtype is None else dtypes.standardize_dtype(dtype))


@symbolic(_like_rule)
def ones_like(x, dtype=None):
    """Returns a tensor of ones with the shape (and, unless given, the dtype) of `x`.

    Args:
        x: A tensor.
        dtype: Optional dtype of the result.

    Returns:
        A tensor of ones.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.ones_like([1.0, 2.0])).tolist()
    [1.0, 1.0]
    """
    return current.numpy.ones_like(x, dtype=None if dtype is None else dtypes.standardize_dtype(dtype))


@symbolic(_full_like_rule)
def full_like(x, fill_value, dtype=None):
    """Returns a tensor filled with `fill_value`, with the shape (and dtype) of `x`.

    Args:
        x: A tensor.
        fill_value: The value to fill with.
        dtype: Optional dtype of the result (default: the dtype of `x`).

    Returns:
        A tensor of the shape of `x`.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.full_like([1, 2], 5)).tolist()
    [5, 5]
    """
    dtype = None if dtype is None else dtypes.standardize_dtype(dtype)
    return current.numpy.full_like(x, fill_value, dtype=dtype)


def eye(N, M=None, k=0, dtype=None):
    """Returns a 2-D tensor with ones on the `k`-th diagonal and zeros elsewhere.

    Args:
        N: Number of rows.
        M: Number of columns (default `N`).
        k: Index of the diagonal: `0` is the main one, positive is above it.
        dtype: Dtype (default `floatx()`).

    Returns:
        A tensor of shape `(N, M)`.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.eye(2, 3, k=1)).tolist()
    [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    """
    M = N if M is None else M
    return current.numpy.eye(int(N), int(M), k=int(k), dtype=dtypes.standardize_dtype(dtype))


def identity(n, dtype=None):
    """Returns the `n` x `n` identity matrix.

    Args:
        n: Number of rows and columns.
        dtype: Dtype (default `floatx()`).

    Returns:
        A tensor of shape `(n, n)`.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.identity(2)).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    return current.numpy.eye(int(n), int(n), k=0, dtype=dtypes.standardize_dtype(dtype))


def tri(N, M=None, k=0, dtype=None):
    """Returns a tensor with ones at and below the `k`-th diagonal and zeros elsewhere.

    Args:
        N: Number of rows.
        M: Number of columns (default `N`).
        k: The diagonal at and below which the tensor is filled.
        dtype: Dtype (default `floatx()`).

    Returns:
        A tensor of shape `(N, M)`.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.tri(2, dtype="int32")).tolist()
    [[1, 0], [1, 1]]
    """
    M = N if M is None else M
    return current.numpy.tri(int(N), int(M), k=int(k), dtype=dtypes.standardize_dtype(dtype))


def arange(start, stop=None, step=None, dtype=None):
    """Returns evenly spaced values in `[start, stop)`.

    Args:
        start: The first value; with `stop=None`, the end and the start is `0`.
        stop: The end (exclusive).
        step: The spacing (default `1`).
        dtype: Dtype; by default `int32` when all bounds are ints, else `floatx()`.

    Returns:
        A 1-D tensor.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.arange(1, 7, 2)).tolist()
    [1, 3, 5]
    """
    if stop is None:
        start, stop = 0, start
    if step is None:
        step = 1
    if dtype is None:
        dtype = shape_rules.result_dtype(start, stop, step)
    return current.numpy.arange(start, stop, step, dtype=dtypes.standardize_dtype(dtype))


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """Returns `num` evenly spaced values from `start` to `stop`.

    Args:
        start: The first value (a scalar or a tensor).
        stop: The last value (included when `endpoint=True`).
        num: The number of values.
        endpoint: Whether `stop` is the last value.
        retstep: Whether to also return the spacing.
        dtype: Dtype (default `floatx()`).
        axis: The axis of the result along which the values vary, when
            `start`/`stop` are tensors.

    Returns:
        A tensor, or `(tensor, step)` when `retstep=True`.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.linspace(0, 1, 5)).tolist()
    [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    if int(num) < 0:
        raise ValueError(f"linspace expects num >= 0. Received: num={num}")
    if dtype is None:
        dtype = shape_rules.float_dtype(shape_rules.result_dtype(start, stop))
    return current.numpy.linspace(
        start,
        stop,
        int(num),
        endpoint=endpoint,
        retstep=retstep,
        dtype=dtypes.standardize_dtype(dtype),
        axis=axis,
    )


@symbolic(shape_rules.unary)
def copy(x):
    """Returns a copy of `x`.

    Args:
        x: A tensor.

    Returns:
        A new tensor with the same values.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.copy([1, 2])).tolist()
    [1, 2]
    """
    return current.numpy.copy(x)
