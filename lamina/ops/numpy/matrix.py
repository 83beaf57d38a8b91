"""Matrix structure and products: triu, tril, diag, diagonal, trace, dot, matmul, tensordot, ..."""

from lamina.backend import current
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.ops import shape_rules
from lamina.ops.dispatch import symbolic


def _triangle_rule(x, k=0):
    shape = shape_rules.shape_of(x)
    if len(shape) < 2:
        raise ValueError(f"triu/tril expect a tensor of rank >= 2. Received: x.shape={shape}")
    return shape_rules.unary(x)


@symbolic(_triangle_rule)
def triu(x, k=0):
    """Keeps the elements of the last two axes of `x` on and above the `k`-th diagonal; zeros the rest.

    Args:
        x: A tensor of rank >= 2.
        k: The diagonal: `0` is the main one, positive is above it.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.triu([[1, 2], [3, 4]])).tolist()
    [[1, 2], [0, 4]]
    """
    return current.numpy.triu(x, k=int(k))


@symbolic(_triangle_rule)
def tril(x, k=0):
    """Keeps the elements of the last two axes of `x` on and below the `k`-th diagonal; zeros the rest.

    Args:
        x: A tensor of rank >= 2.
        k: The diagonal: `0` is the main one, positive is above it.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.tril([[1, 2], [3, 4]])).tolist()
    [[1, 0], [3, 4]]
    """
    return current.numpy.tril(x, k=int(k))


def _diagonal_length(rows, columns, offset):
    if rows is None or columns is None:
        return None
    if offset >= 0:
        return max(0, min(rows, columns - offset))
    return max(0, min(rows + offset, columns))


def _diag_rule(x, k=0):
    shape = shape_rules.shape_of(x)
    if len(shape) == 1:
        size = None if shape[0] is None else shape[0] + abs(k)
        return KerasTensor((size, size), dtype=shape_rules.dtype_of(x))
    if len(shape) == 2:
        return KerasTensor((_diagonal_length(shape[0], shape[1], k),), dtype=shape_rules.dtype_of(x))
    raise ValueError(f"diag expects a 1-D or 2-D tensor. Received: x.shape={shape}")


@symbolic(_diag_rule)
def diag(x, k=0):
    """Extracts a diagonal of a 2-D `x`, or builds a 2-D tensor with 1-D `x` on a diagonal.

    Args:
        x: A 1-D or 2-D tensor.
        k: The diagonal: `0` is the main one, positive is above it.

    Returns:
        A 1-D tensor (from 2-D `x`) or a 2-D tensor (from 1-D `x`).

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.diag([[1, 2], [3, 4]])).tolist()
    [1, 4]
    >>> ops.convert_to_numpy(ops.diag([1, 2], k=1)).tolist()
    [[0, 1, 0], [0, 0, 2], [0, 0, 0]]
    """
    _diag_rule(x, k)
    return current.numpy.diag(x, k=int(k))


def _diagonal_shape(x, offset, axis1, axis2, op_name):
    shape = shape_rules.shape_of(x)
    if len(shape) < 2:
        raise ValueError(f"{op_name} expects a tensor of rank >= 2. Received: x.shape={shape}")
    axis1 = shape_rules.canonical_axis(axis1, len(shape), op_name)
    axis2 = shape_rules.canonical_axis(axis2, len(shape), op_name)
    if axis1 == axis2:
        raise ValueError(f"{op_name} expects two different axes. Received: axis1={axis1}, axis2={axis2}")
    rest = tuple(size for i, size in enumerate(shape) if i not in (axis1, axis2))
    return rest, _diagonal_length(shape[axis1], shape[axis2], offset)


def _diagonal_rule(x, offset=0, axis1=0, axis2=1):
    rest, length = _diagonal_shape(x, offset, axis1, axis2, "diagonal")
    return KerasTensor(rest + (length,), dtype=shape_rules.dtype_of(x))


@symbolic(_diagonal_rule)
def diagonal(x, offset=0, axis1=0, axis2=1):
    """Returns the diagonal of `x` over the axes `axis1` and `axis2`.

    Args:
        x: A tensor of rank >= 2.
        offset: The diagonal: `0` is the main one, positive is above it.
        axis1: The first axis of the 2-D sub-arrays.
        axis2: The second axis of the 2-D sub-arrays.

    Returns:
        A tensor without `axis1` and `axis2`, with the diagonal as its last axis.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.diagonal([[1, 2], [3, 4]], offset=1)).tolist()
    [2]
    """
    _diagonal_rule(x, offset, axis1, axis2)
    return current.numpy.diagonal(x, offset=int(offset), axis1=int(axis1), axis2=int(axis2))


def _trace_rule(x, offset=0, axis1=0, axis2=1):
    rest, _ = _diagonal_shape(x, offset, axis1, axis2, "trace")
    return KerasTensor(rest, dtype=shape_rules.accumulation_dtype(shape_rules.dtype_of(x)))


@symbolic(_trace_rule)
def trace(x, offset=0, axis1=0, axis2=1):
    """Returns the sum along a diagonal of `x`.

    Args:
        x: A tensor of rank >= 2.
        offset: The diagonal: `0` is the main one, positive is above it.
        axis1: The first axis of the 2-D sub-arrays.
        axis2: The second axis of the 2-D sub-arrays.

    Returns:
        A tensor without `axis1` and `axis2` (bools and narrow ints sum in int32).

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.trace([[1, 2], [3, 4]])).tolist()
    5
    """
    _trace_rule(x, offset, axis1, axis2)
    return current.numpy.trace(x, offset=int(offset), axis1=int(axis1), axis2=int(axis2))


def _check_contracted(size1, size2, op_name, shape1, shape2):
    if size1 is not None and size2 is not None and size1 != size2:
        raise ValueError(
            f"{op_name}: the contracted axes must have one size. Received shapes {shape1} and {shape2} "
            f"(sizes {size1} and {size2} meet)."
        )


def _matmul_rule(x1, x2):
    shape1, shape2 = shape_rules.shape_of(x1), shape_rules.shape_of(x2)
    if not shape1 or not shape2:
        raise ValueError(f"matmul needs tensors of rank >= 1. Received shapes {shape1} and {shape2}.")
    left = shape1 if len(shape1) > 1 else (1,) + shape1
    right = shape2 if len(shape2) > 1 else shape2 + (1,)
    if left[-1] is not None and right[-2] is not None and left[-1] != right[-2]:
        raise ValueError(
            f"matmul: the last axis of x1 (size {left[-1]}) must match the second to "
            f"last axis of x2 (size {right[-2]}). Received shapes {shape1} and {shape2}."
        )
    batch = shape_rules.broadcast_shapes(left[:-2], right[:-2], op_name="matmul")
    shape = batch + left[-2:-1] + right[-1:]
    if len(shape1) == 1:
        shape = shape[:-2] + shape[-1:]
    if len(shape2) == 1:
        shape = shape[:-1]
    return KerasTensor(shape, dtype=_matmul_dtype(x1, x2))


def _matmul_dtype(x1, x2):
    """The promoted dtype, except that int8 x int8 accumulates in int32 (as Keras)."""
    if shape_rules.dtype_of(x1) == "int8" and shape_rules.dtype_of(x2) == "int8":
        return "int32"
    return shape_rules.result_dtype(x1, x2)


@symbolic(_matmul_rule)
def matmul(x1, x2):
    """Matrix product of `x1` and `x2`, batched over (broadcast) leading axes.

    Args:
        x1: A tensor of rank >= 1.
        x2: A tensor of rank >= 1.

    Returns:
        The product, of the promoted dtype (int8 operands give int32).

    Example:

    >>> from lamina import ops
    >>> ops.shape(ops.matmul(ops.ones((2, 3)), ops.ones((3, 4))))
    (2, 4)
    """
    return current.numpy.matmul(x1, x2)


def _dot_rule(x1, x2):
    shape1, shape2 = shape_rules.shape_of(x1), shape_rules.shape_of(x2)
    dtype = shape_rules.result_dtype(x1, x2)
    if not shape1 or not shape2:
        return KerasTensor(shape1 or shape2, dtype=dtype)
    contracted2 = shape2[-1] if len(shape2) == 1 else shape2[-2]
    _check_contracted(shape1[-1], contracted2, "dot", shape1, shape2)
    return KerasTensor(shape1[:-1] + shape2[:-2] + shape2[-1:] * (len(shape2) > 1), dtype=dtype)


@symbolic(_dot_rule)
def dot(x1, x2):
    """Dot product, as `numpy.dot`: the last axis of `x1` with the second to last of `x2`.

    Args:
        x1: A tensor (a scalar multiplies).
        x2: A tensor (for 1-D `x2`, its only axis is contracted).

    Returns:
        A tensor of shape `x1.shape[:-1] + x2.shape[:-2] + x2.shape[-1:]`.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.dot([1, 2], [3, 4])).tolist()
    11
    """
    return current.numpy.dot(x1, x2)


def _tensordot_axes(axes, ndim1, ndim2):
    if isinstance(axes, int):
        if axes < 0 or axes > min(ndim1, ndim2):
            raise ValueError(f"tensordot: axes={axes} exceeds the ranks {ndim1} and {ndim2}.")
        return list(range(ndim1 - axes, ndim1)), list(range(axes))
    axes1, axes2 = axes
    axes1 = [axes1] if isinstance(axes1, int) else list(axes1)
    axes2 = [axes2] if isinstance(axes2, int) else list(axes2)
    if len(axes1) != len(axes2):
        raise ValueError(f"tensordot expects two axis lists of one length. Received: axes={axes}")
    axes1 = [shape_rules.canonical_axis(a, ndim1, "tensordot") for a in axes1]
    axes2 = [shape_rules.canonical_axis(a, ndim2, "tensordot") for a in axes2]
    return axes1, axes2


def _tensordot_rule(x1, x2, axes=2):
    shape1, shape2 = shape_rules.shape_of(x1), shape_rules.shape_of(x2)
    axes1, axes2 = _tensordot_axes(axes, len(shape1), len(shape2))
    for a, b in zip(axes1, axes2):
        _check_contracted(shape1[a], shape2[b], "tensordot", shape1, shape2)
    shape = tuple(s for i, s in enumerate(shape1) if i not in axes1)
    shape += tuple(s for i, s in enumerate(shape2) if i not in axes2)
    return KerasTensor(shape, dtype=shape_rules.result_dtype(x1, x2))


@symbolic(_tensordot_rule)
def tensordot(x1, x2, axes=2):
    """Contracts `x1` and `x2` over the given axes.

    Args:
        x1: A tensor.
        x2: A tensor.
        axes: An int `n` (the last `n` axes of `x1` with the first `n` of
            `x2`) or a pair of axis lists.

    Returns:
        A tensor with the free axes of `x1` followed by those of `x2`.

    Example:

    >>> from lamina import ops
    >>> ops.shape(ops.tensordot(ops.ones((2, 3, 4)), ops.ones((4, 3, 5)), axes=([1, 2], [1, 0])))
    (2, 5)
    """
    axes1, axes2 = _tensordot_axes(axes, len(shape_rules.shape_of(x1)), len(shape_rules.shape_of(x2)))
    return current.numpy.tensordot(x1, x2, axes=(axes1, axes2))


def _outer_rule(x1, x2):
    size1 = shape_rules.multiply_sizes(shape_rules.shape_of(x1))
    size2 = shape_rules.multiply_sizes(shape_rules.shape_of(x2))
    return KerasTensor((size1, size2), dtype=shape_rules.result_dtype(x1, x2))


@symbolic(_outer_rule)
def outer(x1, x2):
    """Returns the outer product of the flattened `x1` and `x2`.

    Args:
        x1: A tensor (flattened).
        x2: A tensor (flattened).

    Returns:
        A 2-D tensor with `out[i, j] = x1[i] * x2[j]`.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.outer([1, 2], [3, 4])).tolist()
    [[3, 4], [6, 8]]
    """
    return current.numpy.outer(x1, x2)


def _inner_rule(x1, x2):
    shape1, shape2 = shape_rules.shape_of(x1), shape_rules.shape_of(x2)
    dtype = shape_rules.result_dtype(x1, x2)
    if not shape1 or not shape2:
        return KerasTensor(shape1 or shape2, dtype=dtype)
    _check_contracted(shape1[-1], shape2[-1], "inner", shape1, shape2)
    return KerasTensor(shape1[:-1] + shape2[:-1], dtype=dtype)


@symbolic(_inner_rule)
def inner(x1, x2):
    """Inner product over the last axes of `x1` and `x2`.

    Args:
        x1: A tensor (a scalar multiplies).
        x2: A tensor whose last axis matches that of `x1`.

    Returns:
        A tensor of shape `x1.shape[:-1] + x2.shape[:-1]`.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.inner([[1, 2], [3, 4]], [1, 1])).tolist()
    [3, 7]
    """
    return current.numpy.inner(x1, x2)


def _vdot_rule(x1, x2):
    size1 = shape_rules.multiply_sizes(shape_rules.shape_of(x1))
    size2 = shape_rules.multiply_sizes(shape_rules.shape_of(x2))
    _check_contracted(size1, size2, "vdot", shape_rules.shape_of(x1), shape_rules.shape_of(x2))
    return KerasTensor((), dtype=shape_rules.result_dtype(x1, x2))


@symbolic(_vdot_rule)
def vdot(x1, x2):
    """Returns the dot product of the flattened `x1` and `x2` (conjugating `x1`).

    Args:
        x1: A tensor.
        x2: A tensor with as many elements.

    Returns:
        A scalar tensor.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.vdot([[1, 2], [3, 4]], [[1, 0], [0, 1]])).tolist()
    5
    """
    return current.numpy.vdot(x1, x2)


def _cross_rule(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    if axis is not None:
        axisa = axisb = axisc = axis
    shape1, shape2 = list(shape_rules.shape_of(x1)), list(shape_rules.shape_of(x2))
    size1 = shape1.pop(shape_rules.canonical_axis(axisa, len(shape1), "cross"))
    size2 = shape2.pop(shape_rules.canonical_axis(axisb, len(shape2), "cross"))
    for size in (size1, size2):
        if size not in (2, 3, None):
            raise ValueError(
                f"cross expects vectors of 2 or 3 elements. Received shapes "
                f"{shape_rules.shape_of(x1)} and {shape_rules.shape_of(x2)}."
            )
    shape = list(shape_rules.broadcast_shapes(tuple(shape1), tuple(shape2), op_name="cross"))
    if not (size1 == 2 and size2 == 2):
        vector_size = 3 if 3 in (size1, size2) or (size1 == 2 or size2 == 2) else None
        shape.insert(shape_rules.canonical_axis(axisc, len(shape) + 1, "cross"), vector_size)
    return KerasTensor(tuple(shape), dtype=shape_rules.result_dtype(x1, x2))


@symbolic(_cross_rule)
def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """Returns the cross product of 3-element (or 2-element) vectors.

    Args:
        x1: Vectors along `axisa`.
        x2: Vectors along `axisb`.
        axisa: The vector axis of `x1`.
        axisb: The vector axis of `x2`.
        axisc: The vector axis of the result (absent when both inputs are 2-D vectors).
        axis: If given, overrides `axisa`, `axisb` and `axisc`.

    Returns:
        The cross products, broadcast over the other axes.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.cross([1, 0, 0], [0, 1, 0])).tolist()
    [0, 0, 1]
    """
    if axis is not None:
        axisa = axisb = axisc = axis
    _cross_rule(x1, x2, axisa, axisb, axisc)
    return current.numpy.cross(x1, x2, axisa=axisa, axisb=axisb, axisc=axisc)
