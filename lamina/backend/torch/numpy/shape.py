"""PyTorch shape manipulation, joining, splitting, padding and indexing."""

import numpy as np
import torch

from lamina.backend.torch.core import cast
from lamina.backend.torch.core import convert_to_tensor
from lamina.backend.torch.numpy._casting import promote


def reshape(x, newshape):
    newshape = (newshape,) if isinstance(newshape, int) else tuple(newshape)
    return torch.reshape(convert_to_tensor(x), newshape)


def transpose(x, axes=None):
    x = convert_to_tensor(x)
    return x.permute(tuple(reversed(range(x.ndim))) if axes is None else tuple(axes))


def expand_dims(x, axis):
    x = convert_to_tensor(x)
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    ndim = x.ndim + len(axes)
    for a in sorted(a % ndim for a in axes):
        x = torch.unsqueeze(x, a)
    return x


def squeeze(x, axis=None):
    x = convert_to_tensor(x)
    if axis is None:
        return torch.squeeze(x)
    return torch.squeeze(x, dim=(axis,) if isinstance(axis, int) else tuple(axis))


def moveaxis(x, source, destination):
    return torch.movedim(convert_to_tensor(x), source, destination)


def swapaxes(x, axis1, axis2):
    return torch.swapaxes(convert_to_tensor(x), axis1, axis2)


def broadcast_to(x, shape):
    return torch.broadcast_to(convert_to_tensor(x), tuple(shape))


def flip(x, axis=None):
    x = convert_to_tensor(x)
    if axis is None:
        axis = tuple(range(x.ndim))
    return torch.flip(x, dims=(axis,) if isinstance(axis, int) else tuple(axis))


def roll(x, shift, axis=None):
    return torch.roll(convert_to_tensor(x), shift, dims=axis)


def size(x):
    return convert_to_tensor(x).numel()


def ndim(x):
    return convert_to_tensor(x).ndim


def concatenate(xs, axis=0):
    xs = promote(*xs)
    if axis is None:
        return torch.cat([x.reshape(-1) for x in xs])
    return torch.cat(xs, dim=axis)


def stack(x, axis=0):
    return torch.stack(promote(*x), dim=axis)


def hstack(xs):
    return torch.hstack(promote(*xs))


def vstack(xs):
    return torch.vstack(promote(*xs))


def split(x, indices_or_sections, axis=0):
    return list(torch.tensor_split(convert_to_tensor(x), indices_or_sections, dim=axis))


def meshgrid(*x, indexing="xy"):
    return list(torch.meshgrid(*(convert_to_tensor(item) for item in x), indexing=indexing))


def tile(x, repeats):
    return torch.tile(convert_to_tensor(x), tuple(repeats))


def repeat(x, repeats, axis=None):
    x = convert_to_tensor(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    if not isinstance(repeats, int):
        repeats = torch.as_tensor(repeats, device=x.device)
    return torch.repeat_interleave(x, repeats, dim=axis)


def pad(x, pad_width, mode="constant", constant_values=0):
    x = convert_to_tensor(x)
    if mode == "constant":
        flat = [size for pair in reversed(pad_width) for size in pair]
        return torch.nn.functional.pad(x, flat, mode="constant", value=constant_values)
    # Gathering along each axis with the indices numpy.pad would read covers every mode
    # (and any rank), where torch's own modes are limited to the trailing 1-3 axes.
    numpy_mode = {"edge": "edge", "reflect": "reflect", "symmetric": "symmetric", "wrap": "wrap"}[mode]
    for axis, (before, after) in enumerate(pad_width):
        if before or after:
            indices = np.pad(np.arange(x.shape[axis]), (before, after), mode=numpy_mode)
            x = torch.index_select(x, axis, torch.as_tensor(indices, device=x.device))
    return x


def _wrapped_indices(indices, size):
    indices = cast(convert_to_tensor(indices), "int64")
    return torch.where(indices < 0, indices + size, indices)


def take(x, indices, axis=None):
    x = convert_to_tensor(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    axis = axis % x.ndim
    indices = _wrapped_indices(indices, x.shape[axis])
    result = torch.index_select(x, axis, indices.reshape(-1))
    return result.reshape(x.shape[:axis] + indices.shape + x.shape[axis + 1 :])


def take_along_axis(x, indices, axis=None):
    x = convert_to_tensor(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    return torch.take_along_dim(x, _wrapped_indices(indices, x.shape[axis]), dim=axis)


def _key_item(item):
    if isinstance(item, (np.integer, np.bool_)):
        return item.item()
    if isinstance(item, (list, np.ndarray)):
        item = convert_to_tensor(np.asarray(item))
    if isinstance(item, torch.Tensor) and item.dtype not in (torch.bool, torch.int64):
        item = item.to(torch.int64)
    return item


def _num_axes(item):
    if item is None or item is Ellipsis:
        return 0
    if isinstance(item, torch.Tensor) and item.dtype == torch.bool:
        return item.ndim
    return 1


def _reverse_negative_steps(x, key):
    """Applies negative-step slices (which torch lacks) as index_select; returns the new key."""
    if not any(isinstance(item, slice) and item.step is not None and item.step < 0 for item in key):
        return x, key
    positions = [i for i, item in enumerate(key) if item is Ellipsis]
    if positions:
        position = positions[0]
        fill = x.ndim - sum(_num_axes(item) for item in key)
        key = key[:position] + (slice(None),) * fill + key[position + 1 :]
    axis = 0
    new_key = []
    for item in key:
        if isinstance(item, slice) and item.step is not None and item.step < 0:
            indices = torch.arange(x.shape[axis], device=x.device)[_flip_slice(item, x.shape[axis])]
            x = torch.index_select(x, axis, indices.flip(0))
            item = slice(None)
        new_key.append(item)
        axis += _num_axes(item)
    return x, tuple(new_key)


def _flip_slice(item, size):
    """The positive-step slice that selects, in reverse, the elements of a negative-step slice."""
    selected = range(size)[item]
    if not selected:
        return slice(0, 0)
    return slice(selected[-1], selected[0] + 1, -item.step)


def get_item(x, key):
    x = convert_to_tensor(x)
    key = tuple(_key_item(item) for item in key) if isinstance(key, tuple) else (_key_item(key),)
    x, key = _reverse_negative_steps(x, key)
    return x[key]
