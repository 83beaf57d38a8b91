"""Indexing: take, take_along_axis and get_item (the `x[key]` of KerasTensor)."""

import numpy as np

from lamina.backend import current
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.ops import shape_rules
from lamina.ops.dispatch import symbolic


def _take_rule(x, indices, axis=None):
    shape = shape_rules.shape_of(x)
    indices_shape = shape_rules.shape_of(indices)
    if axis is None:
        return KerasTensor(indices_shape, dtype=shape_rules.dtype_of(x))
    axis = shape_rules.canonical_axis(axis, len(shape), "take")
    return KerasTensor(shape[:axis] + indices_shape + shape[axis + 1 :], dtype=shape_rules.dtype_of(x))


@symbolic(_take_rule)
def take(x, indices, axis=None):
    """Takes elements of `x` at `indices` along `axis` (negative indices count from the end).

    Args:
        x: A tensor.
        indices: An int tensor of indices.
        axis: The axis to take along; `None` indexes the flattened tensor.

    Returns:
        A tensor of shape `x.shape[:axis] + indices.shape + x.shape[axis + 1:]`.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.take([[1, 2], [3, 4]], [1, 0], axis=1)).tolist()
    [[2, 1], [4, 3]]
    """
    return current.numpy.take(x, indices, axis=axis)


def _take_along_axis_rule(x, indices, axis=None):
    shape = shape_rules.shape_of(x)
    indices_shape = shape_rules.shape_of(indices)
    if axis is None:
        if len(indices_shape) != 1:
            raise ValueError(
                f"take_along_axis with axis=None expects 1-D indices. Received: indices.shape={indices_shape}"
            )
        return KerasTensor(indices_shape, dtype=shape_rules.dtype_of(x))
    if len(shape) != len(indices_shape):
        raise ValueError(
            "take_along_axis expects `indices` of the rank of `x`. "
            f"Received: x.shape={shape}, indices.shape={indices_shape}"
        )
    axis = shape_rules.canonical_axis(axis, len(shape), "take_along_axis")
    others = shape_rules.broadcast_shapes(
        shape[:axis] + (1,) + shape[axis + 1 :],
        indices_shape[:axis] + (1,) + indices_shape[axis + 1 :],
        op_name="take_along_axis",
    )
    shape = others[:axis] + (indices_shape[axis],) + others[axis + 1 :]
    return KerasTensor(shape, dtype=shape_rules.dtype_of(x))


@symbolic(_take_along_axis_rule)
def take_along_axis(x, indices, axis=None):
    """Picks values of `x` at `indices` along `axis`, as `numpy.take_along_axis`.

    Args:
        x: A tensor.
        indices: An int tensor of the rank of `x` (broadcast with it except on `axis`).
        axis: The axis to index along; `None` indexes the flattened tensor.

    Returns:
        A tensor with the values picked.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.take_along_axis([[10, 30, 20]], [[1, 2]], axis=1)).tolist()
    [[30, 20]]
    """
    return current.numpy.take_along_axis(x, indices, axis=axis)


def _is_integer(item):
    return isinstance(item, (int, np.integer)) and not isinstance(item, (bool, np.bool_))


def _slice_length(item, size):
    if size is None:
        return None
    start, stop, step = item.indices(size)
    return len(range(start, stop, step))


def _index_shape(item):
    if isinstance(item, (list, tuple)):
        item = np.asarray(item)
    shape = shape_rules.shape_of(item)
    if shape_rules.dtype_of(item) == "bool":
        return len(shape), (None,)
    return 1, shape


def _get_item_rule(x, key):
    shape = shape_rules.shape_of(x)
    key = key if isinstance(key, tuple) else (key,)
    if sum(item is Ellipsis for item in key) > 1:
        raise IndexError(f"get_item: an index can only have one Ellipsis. Received: key={key}")
    arrays = [
        item
        for item in key
        if item is not None and item is not Ellipsis and not isinstance(item, slice) and not _is_integer(item)
    ]
    consumed = sum(_index_shape(item)[0] for item in arrays)
    consumed += sum(1 for item in key if isinstance(item, slice) or _is_integer(item))
    if consumed > len(shape):
        raise IndexError(f"get_item: too many indices ({consumed}) for a tensor of shape {shape}.")
    positions = [i for i, item in enumerate(key) if item is Ellipsis]
    if not positions:
        key = key + (Ellipsis,)
    position = positions[0] if positions else len(key) - 1
    key = key[:position] + (slice(None),) * (len(shape) - consumed) + key[position + 1 :]
    output = []
    advanced_shapes = []
    advanced_positions = []
    axis = 0
    for index, item in enumerate(key):
        if item is None:
            output.append(1)
        elif isinstance(item, slice):
            output.append(_slice_length(item, shape[axis]))
            axis += 1
        elif _is_integer(item) and not arrays:
            size = shape[axis]
            if size is not None and not -size <= item < size:
                raise IndexError(f"get_item: index {item} is out of range for axis {axis} of size {size}.")
            axis += 1
        else:
            num_axes, index_shape = (1, ()) if _is_integer(item) else _index_shape(item)
            advanced_shapes.append(index_shape)
            advanced_positions.append(index)
            axis += num_axes
    if advanced_shapes:
        broadcast = shape_rules.broadcast_shapes(*advanced_shapes, op_name="get_item")
        contiguous = advanced_positions == list(range(advanced_positions[0], advanced_positions[-1] + 1))
        insert_at = _first_output_position(key, advanced_positions[0]) if contiguous else 0
        output[insert_at:insert_at] = list(broadcast)
    return KerasTensor(tuple(output), dtype=shape_rules.dtype_of(x))


def _first_output_position(key, first_advanced):
    """The number of output axes produced by the basic indices before the first advanced one."""
    return sum(1 for item in key[:first_advanced] if item is None or isinstance(item, slice))


@symbolic(_get_item_rule)
def get_item(x, key):
    """Returns `x[key]`, with NumPy's indexing rules.

    `key` may hold ints, slices, `None` (a new axis), `Ellipsis` and int or
    bool tensors (advanced indexing). Bool masks give an axis whose size is
    only known eagerly.

    Args:
        x: A tensor.
        key: The index.

    Returns:
        The indexed tensor.

    Example:

    >>> from lamina import ops
    >>> x = ops.reshape(ops.arange(6), (2, 3))
    >>> ops.convert_to_numpy(ops.get_item(x, (slice(None), 1))).tolist()
    [1, 4]
    >>> ops.shape(ops.get_item(x, (None, Ellipsis, slice(1, None))))
    (1, 2, 2)
    """
    return current.numpy.get_item(x, key)
