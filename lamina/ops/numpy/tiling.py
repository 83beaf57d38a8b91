"""Repeating and padding tensors: tile, repeat, pad."""

from lamina.backend import current
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.ops import shape_rules
from lamina.ops.dispatch import symbolic

PAD_MODES = ("constant", "edge", "reflect", "symmetric", "wrap")


def _tile_rule(x, repeats):
    shape = shape_rules.shape_of(x)
    repeats = (int(repeats),) if isinstance(repeats, int) else tuple(int(r) for r in repeats)
    ndim = max(len(shape), len(repeats))
    shape = (1,) * (ndim - len(shape)) + shape
    repeats = (1,) * (ndim - len(repeats)) + repeats
    result = tuple(None if size is None else size * r for size, r in zip(shape, repeats))
    return KerasTensor(result, dtype=shape_rules.dtype_of(x))


@symbolic(_tile_rule)
def tile(x, repeats):
    """Repeats the whole of `x` `repeats[i]` times along each axis `i`.

    Args:
        x: A tensor.
        repeats: An int or a tuple of ints; the shorter of `x.shape` and
            `repeats` is padded with leading ones.

    Returns:
        The tiled tensor.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.tile([1, 2], 2)).tolist()
    [1, 2, 1, 2]
    """
    repeats = (int(repeats),) if isinstance(repeats, int) else tuple(int(r) for r in repeats)
    return current.numpy.tile(x, repeats)


def _repeat_rule(x, repeats, axis=None):
    shape = shape_rules.shape_of(x)
    counts = None if isinstance(repeats, int) else [int(r) for r in repeats]
    if axis is None:
        shape = (shape_rules.multiply_sizes(shape),)
        axis = 0
    axis = shape_rules.canonical_axis(axis, len(shape), "repeat")
    size = shape[axis]
    if counts is None:
        new_size = None if size is None else size * int(repeats)
    elif len(counts) == 1:
        new_size = None if size is None else size * counts[0]
    else:
        if size is not None and len(counts) != size:
            raise ValueError(
                f"repeat expects one count per element along axis {axis} ({size}). "
                f"Received {len(counts)} counts."
            )
        new_size = sum(counts)
    return KerasTensor(shape[:axis] + (new_size,) + shape[axis + 1 :], dtype=shape_rules.dtype_of(x))


@symbolic(_repeat_rule)
def repeat(x, repeats, axis=None):
    """Repeats each element of `x` along `axis`.

    Args:
        x: A tensor.
        repeats: An int, or one count per element along `axis`.
        axis: The axis to repeat along; `None` repeats the flattened tensor.

    Returns:
        The repeated tensor.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.repeat([[1, 2]], 2, axis=1)).tolist()
    [[1, 1, 2, 2]]
    """
    _repeat_rule(x, repeats, axis)
    if not isinstance(repeats, int):
        repeats = [int(r) for r in repeats]
        repeats = repeats[0] if len(repeats) == 1 else repeats
    return current.numpy.repeat(x, repeats, axis=axis)


def _standardize_pad_width(pad_width, ndim):
    if isinstance(pad_width, int):
        pairs = [(pad_width, pad_width)] * ndim
    else:
        pad_width = [tuple(p) if isinstance(p, (list, tuple)) else p for p in pad_width]
        if all(isinstance(p, int) for p in pad_width):
            if len(pad_width) == 1:
                pad_width = [(pad_width[0], pad_width[0])]
            elif len(pad_width) == 2:
                pad_width = [tuple(pad_width)]
        if len(pad_width) == 1 and ndim != 1:
            pad_width = pad_width * ndim
        pairs = [(int(p[0]), int(p[1])) if isinstance(p, tuple) and len(p) == 2 else None for p in pad_width]
    if len(pairs) != ndim or None in pairs or any(a < 0 or b < 0 for a, b in pairs):
        raise ValueError(
            f"pad expects `pad_width` as non-negative (before, after) pairs, one per axis of a "
            f"rank-{ndim} tensor. Received: pad_width={pad_width!r}"
        )
    return tuple(pairs)


def _pad_rule(x, pad_width, mode="constant", constant_values=None):
    if mode not in PAD_MODES:
        raise ValueError(f"pad expects `mode` in {PAD_MODES}. Received: mode={mode!r}")
    if constant_values is not None and mode != "constant":
        raise ValueError(
            f"pad: constant_values only applies to mode='constant'. Received: mode={mode!r}, "
            f"constant_values={constant_values!r}"
        )
    shape = shape_rules.shape_of(x)
    pairs = _standardize_pad_width(pad_width, len(shape))
    result = tuple(None if size is None else size + a + b for size, (a, b) in zip(shape, pairs))
    return KerasTensor(result, dtype=shape_rules.dtype_of(x))


@symbolic(_pad_rule)
def pad(x, pad_width, mode="constant", constant_values=None):
    """Pads `x` on both sides of each axis.

    Args:
        x: A tensor.
        pad_width: `((before_1, after_1), ..., (before_N, after_N))`; a single
            `(before, after)` pair or an int applies to every axis.
        mode: `"constant"`, `"edge"`, `"reflect"`, `"symmetric"` or `"wrap"`,
            as in `numpy.pad`.
        constant_values: The fill value for `mode="constant"` (default `0`).

    Returns:
        The padded tensor.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.pad([1, 2], (1, 2), constant_values=9)).tolist()
    [9, 1, 2, 9, 9]
    >>> ops.convert_to_numpy(ops.pad([1, 2, 3], ((2, 0),), mode="reflect")).tolist()
    [3, 2, 1, 2, 3]
    """
    _pad_rule(x, pad_width, mode, constant_values)
    pairs = _standardize_pad_width(pad_width, len(shape_rules.shape_of(x)))
    value = 0 if constant_values is None else constant_values
    return current.numpy.pad(x, pairs, mode=mode, constant_values=value)
