"""Joining and splitting tensors: concatenate, stack, split, hstack, vstack, append, meshgrid."""

from lamina.backend import current
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.ops import shape_rules
from lamina.ops.dispatch import symbolic


def _merge_size(first, second, op_name, shapes):
    if first is None:
        return second
    if second is not None and first != second:
        raise ValueError(
            f"{op_name} expects tensors whose shapes agree except on the joined axis. "
            f"Received shapes {tuple(shapes)}."
        )
    return first


def _concatenate_rule(xs, axis=0):
    if not xs:
        raise ValueError("concatenate expects a non-empty list of tensors.")
    shapes = [shape_rules.shape_of(x) for x in xs]
    dtype = shape_rules.result_dtype(*xs)
    if axis is None:
        size = shape_rules.add_sizes(shape_rules.multiply_sizes(shape) for shape in shapes)
        return KerasTensor((size,), dtype=dtype)
    ndim = len(shapes[0])
    if ndim == 0 or any(len(shape) != ndim for shape in shapes):
        raise ValueError(f"concatenate expects tensors of one rank >= 1. Received shapes {tuple(shapes)}.")
    axis = shape_rules.canonical_axis(axis, ndim, "concatenate")
    result = list(shapes[0])
    for shape in shapes[1:]:
        for i in range(ndim):
            if i != axis:
                result[i] = _merge_size(result[i], shape[i], "concatenate", shapes)
    result[axis] = shape_rules.add_sizes(shape[axis] for shape in shapes)
    return KerasTensor(tuple(result), dtype=dtype)


@symbolic(_concatenate_rule)
def concatenate(xs, axis=0):
    """Joins tensors along an existing axis.

    Args:
        xs: A list of tensors whose shapes agree except on `axis`.
        axis: The axis to join along; `None` joins the flattened tensors.

    Returns:
        A tensor of the promoted dtype.

    Example:

    >>> from lamina import ops
    >>> ops.shape(ops.concatenate([ops.zeros((2, 3)), ops.ones((2, 1))], axis=-1))
    (2, 4)
    """
    _concatenate_rule(xs, axis)
    return current.numpy.concatenate(list(xs), axis=axis)


def _stack_rule(x, axis=0):
    if not x:
        raise ValueError("stack expects a non-empty list of tensors.")
    shapes = [shape_rules.shape_of(item) for item in x]
    if any(len(shape) != len(shapes[0]) for shape in shapes):
        raise ValueError(f"stack expects tensors of one shape. Received shapes {tuple(shapes)}.")
    result = list(shapes[0])
    for shape in shapes[1:]:
        result = [_merge_size(a, b, "stack", shapes) for a, b in zip(result, shape)]
    axis = shape_rules.canonical_axis(axis, len(result) + 1, "stack")
    result.insert(axis, len(shapes))
    return KerasTensor(tuple(result), dtype=shape_rules.result_dtype(*x))


@symbolic(_stack_rule)
def stack(x, axis=0):
    """Joins tensors of one shape along a new axis.

    Args:
        x: A list of tensors of the same shape.
        axis: The position of the new axis in the result.

    Returns:
        A tensor with one more axis, of size `len(x)`.

    Example:

    >>> from lamina import ops
    >>> ops.shape(ops.stack([ops.zeros((2, 3)), ops.ones((2, 3))], axis=1))
    (2, 2, 3)
    """
    _stack_rule(x, axis)
    return current.numpy.stack(list(x), axis=axis)


def _split_sizes(size, indices_or_sections):
    if isinstance(indices_or_sections, int):
        if indices_or_sections <= 0:
            raise ValueError(f"split expects a positive number of sections. Received: {indices_or_sections}")
        if size is None:
            return [None] * indices_or_sections
        if size % indices_or_sections:
            raise ValueError(
                f"split cannot divide an axis of size {size} into {indices_or_sections} equal sections."
            )
        return [size // indices_or_sections] * indices_or_sections
    bounds = [int(i) for i in indices_or_sections]
    if size is None:
        return [b - a for a, b in zip([0] + bounds, bounds)] + [None]
    bounds = [min(max(b + size if b < 0 else b, 0), size) for b in bounds]
    starts = [0] + bounds
    ends = bounds + [size]
    return [max(end - start, 0) for start, end in zip(starts, ends)]


def _split_rule(x, indices_or_sections, axis=0):
    shape = shape_rules.shape_of(x)
    axis = shape_rules.canonical_axis(axis, len(shape), "split")
    dtype = shape_rules.dtype_of(x)
    return [
        KerasTensor(shape[:axis] + (size,) + shape[axis + 1 :], dtype=dtype)
        for size in _split_sizes(shape[axis], indices_or_sections)
    ]


@symbolic(_split_rule)
def split(x, indices_or_sections, axis=0):
    """Splits `x` into several tensors along `axis`.

    Args:
        x: A tensor.
        indices_or_sections: An int `n` (split into `n` equal parts) or a list
            of the indices where the parts start.
        axis: The axis to split along.

    Returns:
        A list of tensors.

    Example:

    >>> from lamina import ops
    >>> [ops.shape(part) for part in ops.split(ops.zeros((5, 2)), [1, 3])]
    [(1, 2), (2, 2), (2, 2)]
    """
    _split_rule(x, indices_or_sections, axis)
    if not isinstance(indices_or_sections, int):
        shape = shape_rules.shape_of(x)
        size = shape[shape_rules.canonical_axis(axis, len(shape), "split")]
        indices_or_sections = [
            min(max(int(i) + size if int(i) < 0 else int(i), 0), size) for i in indices_or_sections
        ]
    return current.numpy.split(x, indices_or_sections, axis=axis)


def _hstack_rule(xs):
    first_ndim = len(shape_rules.shape_of(xs[0])) if xs else 0
    return _concatenate_rule(xs, axis=0 if first_ndim == 1 else 1)


@symbolic(_hstack_rule)
def hstack(xs):
    """Joins tensors column-wise: along axis 1, or axis 0 for 1-D tensors.

    Args:
        xs: A list of tensors.

    Returns:
        The joined tensor.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.hstack([[1, 2], [3]])).tolist()
    [1, 2, 3]
    """
    return current.numpy.hstack(list(xs))


def _at_least_2d(x):
    shape = shape_rules.shape_of(x)
    if len(shape) >= 2:
        return x
    return KerasTensor((1,) * (2 - len(shape)) + shape, dtype=shape_rules.dtype_of(x))


def _vstack_rule(xs):
    return _concatenate_rule([_at_least_2d(x) for x in xs], axis=0)


@symbolic(_vstack_rule)
def vstack(xs):
    """Joins tensors row-wise: along axis 0, after making 1-D tensors rows.

    Args:
        xs: A list of tensors.

    Returns:
        The joined tensor, at least 2-D.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.vstack([[1, 2], [3, 4]])).tolist()
    [[1, 2], [3, 4]]
    """
    return current.numpy.vstack(list(xs))


def _append_rule(x1, x2, axis=None):
    return _concatenate_rule([x1, x2], axis=axis)


@symbolic(_append_rule)
def append(x1, x2, axis=None):
    """Appends `x2` to the end of `x1` along `axis`.

    Args:
        x1: A tensor.
        x2: The values to append.
        axis: The axis to join along; `None` flattens both first.

    Returns:
        The joined tensor, of the promoted dtype.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.append([[1, 2]], [[3, 4]], axis=0)).tolist()
    [[1, 2], [3, 4]]
    """
    return current.numpy.concatenate([x1, x2], axis=axis)


def _meshgrid_rule(*x, indexing="xy"):
    if indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid expects indexing='xy' or 'ij'. Received: indexing={indexing!r}")
    sizes = [shape_rules.multiply_sizes(shape_rules.shape_of(item)) for item in x]
    if indexing == "xy" and len(sizes) >= 2:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    return [KerasTensor(tuple(sizes), dtype=shape_rules.dtype_of(item)) for item in x]


@symbolic(_meshgrid_rule)
def meshgrid(*x, indexing="xy"):
    """Returns coordinate grids from 1-D coordinate vectors.

    Args:
        *x: 1-D tensors of coordinates.
        indexing: `"xy"` (Cartesian: the first two output axes swap) or `"ij"`
            (matrix indexing).

    Returns:
        A list of tensors, one per input, all of the grid's shape.

    Example:

    >>> from lamina import ops
    >>> [ops.shape(grid) for grid in ops.meshgrid(ops.zeros((2,)), ops.zeros((3,)))]
    [(3, 2), (3, 2)]
    """
    _meshgrid_rule(*x, indexing=indexing)
    return current.numpy.meshgrid(*x, indexing=indexing)
