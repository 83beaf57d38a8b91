"""Shape manipulation: reshape, transpose, expand_dims, squeeze, moveaxis, flip, roll, ..."""

from lamina.backend import current
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.ops import plan_cache
from lamina.ops import shape_rules
from lamina.ops.dispatch import symbolic


def _spec(x, shape):
    return KerasTensor(shape, dtype=shape_rules.dtype_of(x))


def _standardize_newshape(newshape):
    if isinstance(newshape, int):
        return (newshape,)
    return tuple(-1 if size is None else int(size) for size in newshape)


def _reshape_rule(x, newshape):
    shape = shape_rules.shape_of(x)
    newshape = _standardize_newshape(newshape)
    if newshape.count(-1) > 1 or any(size < -1 for size in newshape):
        raise ValueError(
            f"reshape expects sizes >= 0 and at most one -1 (or None). Received: newshape={newshape}"
        )
    total = shape_rules.multiply_sizes(shape)
    if -1 not in newshape:
        if total is not None and shape_rules.multiply_sizes(newshape) != total:
            raise ValueError(
                f"reshape cannot turn a tensor of shape {shape} ({total} elements) into shape {newshape}."
            )
        return _spec(x, newshape)
    rest = shape_rules.multiply_sizes(size for size in newshape if size != -1)
    inferred = None
    if total is not None:
        if rest == 0 or total % rest:
            raise ValueError(
                f"reshape cannot turn a tensor of shape {shape} ({total} elements) into shape {newshape}."
            )
        inferred = total // rest
    return _spec(x, tuple(inferred if size == -1 else size for size in newshape))


@symbolic(_reshape_rule)
def reshape(x, newshape):
    """Gives `x` a new shape with the same number of elements.

    Args:
        x: A tensor.
        newshape: An int or a tuple of ints; one size may be `-1`, inferred
            from the others.

    Returns:
        A tensor of shape `newshape`.

    Example:

    >>> from lamina import ops
    >>> ops.shape(ops.reshape(ops.zeros((2, 3)), (3, -1)))
    (3, 2)
    """
    shape = getattr(x, "shape", None)
    if shape is None or not plan_cache.exactly_hashable(newshape):
        return current.numpy.reshape(x, _resolved_shape(x, newshape))
    # Eager steps reshape the same shapes every call: the checked target is kept per pair.
    return current.numpy.reshape(x, _RESHAPES.get((shape, newshape), lambda: _resolved_shape(x, newshape)))


def _resolved_shape(x, newshape):
    """The checked target shape of `reshape(x, newshape)` (one -1 where a size is unknown)."""
    return tuple(-1 if size is None else size for size in _reshape_rule(x, newshape).shape)


_RESHAPES = plan_cache.PlanCache()


def _transpose_rule(x, axes=None):
    shape = shape_rules.shape_of(x)
    if axes is None:
        return _spec(x, shape[::-1])
    axes = tuple(int(a) for a in axes)
    if sorted(a % len(shape) if shape else a for a in axes) != list(range(len(shape))):
        raise ValueError(
            f"transpose expects `axes` to be a permutation of the {len(shape)} axes of x. "
            f"Received: axes={axes}, x.shape={shape}"
        )
    return _spec(x, tuple(shape[a] for a in axes))


@symbolic(_transpose_rule)
def transpose(x, axes=None):
    """Permutes the axes of `x`.

    Args:
        x: A tensor.
        axes: A permutation of the axes; `None` reverses them.

    Returns:
        A tensor whose axis `i` is axis `axes[i]` of `x`.

    Example:

    >>> from lamina import ops
    >>> ops.shape(ops.transpose(ops.zeros((2, 3, 4)), (2, 0, 1)))
    (4, 2, 3)
    """
    return current.numpy.transpose(x, axes=None if axes is None else tuple(int(a) for a in axes))


def _axes_tuple(axis):
    return (int(axis),) if isinstance(axis, int) else tuple(int(a) for a in axis)


def _expand_dims_rule(x, axis):
    shape = shape_rules.shape_of(x)
    ndim = len(shape) + len(_axes_tuple(axis))
    axes = shape_rules.canonical_axes(_axes_tuple(axis), ndim, "expand_dims")
    sizes = iter(shape)
    return _spec(x, tuple(1 if i in axes else next(sizes) for i in range(ndim)))


@symbolic(_expand_dims_rule)
def expand_dims(x, axis):
    """Inserts axes of size 1 into `x`.

    Args:
        x: A tensor.
        axis: Where the new axes go in the result (an int or a tuple).

    Returns:
        A tensor with `len(axis)` more axes.

    Example:

    >>> from lamina import ops
    >>> ops.shape(ops.expand_dims(ops.zeros((2, 3)), -1))
    (2, 3, 1)
    """
    return current.numpy.expand_dims(x, axis=_axes_tuple(axis))


def _squeeze_rule(x, axis=None):
    shape = shape_rules.shape_of(x)
    if axis is None:
        return _spec(x, tuple(size for size in shape if size != 1))
    axes = shape_rules.canonical_axes(_axes_tuple(axis), len(shape), "squeeze")
    for a in axes:
        if shape[a] not in (1, None):
            raise ValueError(
                f"squeeze can only remove axes of size 1. Received: axis={axis}, x.shape={shape}"
            )
    return _spec(x, tuple(size for i, size in enumerate(shape) if i not in axes))


@symbolic(_squeeze_rule)
def squeeze(x, axis=None):
    """Removes axes of size 1 from `x`.

    Args:
        x: A tensor.
        axis: The axes to remove (an int or a tuple); `None` removes all axes
            of size 1.

    Returns:
        A tensor without those axes.

    Example:

    >>> from lamina import ops
    >>> ops.shape(ops.squeeze(ops.zeros((1, 3, 1))))
    (3,)
    """
    if axis is None:
        return current.numpy.squeeze(x, axis=None)
    _squeeze_rule(x, axis)
    return current.numpy.squeeze(x, axis=_axes_tuple(axis))


def _ravel_rule(x):
    return _spec(x, (shape_rules.multiply_sizes(shape_rules.shape_of(x)),))


@symbolic(_ravel_rule)
def ravel(x):
    """Flattens `x` to 1-D.

    Args:
        x: A tensor.

    Returns:
        A 1-D tensor.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.ravel([[1, 2], [3, 4]])).tolist()
    [1, 2, 3, 4]
    """
    return current.numpy.reshape(x, (-1,))


def _moveaxis_rule(x, source, destination):
    shape = shape_rules.shape_of(x)
    source = [shape_rules.canonical_axis(a, len(shape), "moveaxis") for a in _axes_tuple(source)]
    destination = [shape_rules.canonical_axis(a, len(shape), "moveaxis") for a in _axes_tuple(destination)]
    if len(source) != len(destination) or len(set(source)) != len(source):
        raise ValueError(
            "moveaxis expects `source` and `destination` of the same length, without repeats. "
            f"Received: source={source}, destination={destination}"
        )
    order = [a for a in range(len(shape)) if a not in source]
    for dest, src in sorted(zip(destination, source)):
        order.insert(dest, src)
    return _spec(x, tuple(shape[a] for a in order))


@symbolic(_moveaxis_rule)
def moveaxis(x, source, destination):
    """Moves axes of `x` to new positions; the other axes keep their order.

    Args:
        x: A tensor.
        source: The original positions (an int or a tuple).
        destination: The new positions (same length).

    Returns:
        A tensor with the axes moved.

    Example:

    >>> from lamina import ops
    >>> ops.shape(ops.moveaxis(ops.zeros((2, 3, 4)), 0, -1))
    (3, 4, 2)
    """
    return current.numpy.moveaxis(x, _axes_tuple(source), _axes_tuple(destination))


def _swapaxes_rule(x, axis1, axis2):
    shape = list(shape_rules.shape_of(x))
    axis1 = shape_rules.canonical_axis(axis1, len(shape), "swapaxes")
    axis2 = shape_rules.canonical_axis(axis2, len(shape), "swapaxes")
    shape[axis1], shape[axis2] = shape[axis2], shape[axis1]
    return _spec(x, tuple(shape))


@symbolic(_swapaxes_rule)
def swapaxes(x, axis1, axis2):
    """Swaps two axes of `x`.

    Args:
        x: A tensor.
        axis1: The first axis.
        axis2: The second axis.

    Returns:
        A tensor with the two axes exchanged.

    Example:

    >>> from lamina import ops
    >>> ops.shape(ops.swapaxes(ops.zeros((2, 3, 4)), 0, 2))
    (4, 3, 2)
    """
    return current.numpy.swapaxes(x, int(axis1), int(axis2))


def _broadcast_to_rule(x, shape):
    target = (int(shape),) if isinstance(shape, int) else tuple(shape)
    source = shape_rules.shape_of(x)
    aligned = zip(source[::-1], target[::-1])
    if len(source) > len(target) or any(s not in (1, None, t) and t is not None for s, t in aligned):
        raise ValueError(f"broadcast_to cannot broadcast a tensor of shape {source} to shape {target}.")
    return _spec(x, target)


@symbolic(_broadcast_to_rule)
def broadcast_to(x, shape):
    """Broadcasts `x` to `shape`, with NumPy's rules.

    Args:
        x: A tensor.
        shape: The target shape.

    Returns:
        A tensor of shape `shape`.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.broadcast_to([1, 2], (2, 2))).tolist()
    [[1, 2], [1, 2]]
    """
    shape = _broadcast_to_rule(x, shape).shape
    return current.numpy.broadcast_to(x, shape)


def _flip_rule(x, axis=None):
    shape = shape_rules.shape_of(x)
    if axis is not None:
        shape_rules.canonical_axes(_axes_tuple(axis), len(shape), "flip")
    return _spec(x, shape)


@symbolic(_flip_rule)
def flip(x, axis=None):
    """Reverses the order of elements of `x` along `axis`.

    Args:
        x: A tensor.
        axis: An int, a tuple of ints, or `None` (all axes).

    Returns:
        A tensor of the same shape.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.flip([[1, 2], [3, 4]], axis=1)).tolist()
    [[2, 1], [4, 3]]
    """
    return current.numpy.flip(x, axis=None if axis is None else _axes_tuple(axis))


def _roll_rule(x, shift, axis=None):
    return _flip_rule(x, axis)


@symbolic(_roll_rule)
def roll(x, shift, axis=None):
    """Shifts the elements of `x` along `axis`; those pushed off the end come back at the start.

    Args:
        x: A tensor.
        shift: The number of places (an int, or a tuple matching `axis`).
        axis: An int, a tuple of ints, or `None` (roll the flattened tensor).

    Returns:
        A tensor of the same shape.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.roll([1, 2, 3, 4], 1)).tolist()
    [4, 1, 2, 3]
    """
    return current.numpy.roll(x, shift, axis=axis)


def _scalar_int_rule(x):
    return KerasTensor((), dtype="int32")


@symbolic(_scalar_int_rule)
def size(x):
    """Returns the number of elements of `x`.

    Args:
        x: A tensor.

    Returns:
        A Python int (a scalar int32 `KerasTensor` for symbolic inputs).

    Example:

    >>> from lamina import ops
    >>> ops.size(ops.zeros((2, 3)))
    6
    """
    return current.numpy.size(x)


@symbolic(_scalar_int_rule)
def ndim(x):
    """Returns the number of axes of `x`.

    Args:
        x: A tensor.

    Returns:
        A Python int (a scalar int32 `KerasTensor` for symbolic inputs).

    Example:

    >>> from lamina import ops
    >>> ops.ndim(ops.zeros((2, 3)))
    2
    """
    return current.numpy.ndim(x)
