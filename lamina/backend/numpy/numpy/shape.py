"""NumPy shape manipulation, joining, splitting, padding and indexing."""

import math

import numpy as np

from lamina.backend.numpy.core import cast
from lamina.backend.numpy.core import convert_to_tensor
from lamina.backend.numpy.numpy._casting import promote


def reshape(x, newshape):
    return np.reshape(convert_to_tensor(x), newshape)


def transpose(x, axes=None):
    return np.transpose(convert_to_tensor(x), axes)


def expand_dims(x, axis):
    return np.expand_dims(convert_to_tensor(x), axis)


def squeeze(x, axis=None):
    return np.squeeze(convert_to_tensor(x), axis=axis)


def moveaxis(x, source, destination):
    return np.moveaxis(convert_to_tensor(x), source, destination)


def swapaxes(x, axis1, axis2):
    return np.swapaxes(convert_to_tensor(x), axis1, axis2)


def broadcast_to(x, shape):
    return np.broadcast_to(convert_to_tensor(x), shape)


def flip(x, axis=None):
    return np.flip(convert_to_tensor(x), axis=axis)


def roll(x, shift, axis=None):
    return np.roll(convert_to_tensor(x), shift, axis=axis)


def size(x):
    return math.prod(convert_to_tensor(x).shape)


def ndim(x):
    return convert_to_tensor(x).ndim


def concatenate(xs, axis=0):
    return np.concatenate(promote(*xs), axis=axis)


def stack(x, axis=0):
    return np.stack(promote(*x), axis=axis)


def hstack(xs):
    return np.hstack(promote(*xs))


def vstack(xs):
    return np.vstack(promote(*xs))


def split(x, indices_or_sections, axis=0):
    return list(np.split(convert_to_tensor(x), indices_or_sections, axis=axis))


def meshgrid(*x, indexing="xy"):
    return list(np.meshgrid(*(convert_to_tensor(item) for item in x), indexing=indexing))


def tile(x, repeats):
    return np.tile(convert_to_tensor(x), repeats)


def repeat(x, repeats, axis=None):
    return np.repeat(convert_to_tensor(x), repeats, axis=axis)


def pad(x, pad_width, mode="constant", constant_values=0):
    x = convert_to_tensor(x)
    if mode == "constant":
        return np.pad(x, pad_width, mode="constant", constant_values=constant_values)
    return np.pad(x, pad_width, mode=mode)


def _indices(indices):
    indices = convert_to_tensor(indices)
    return indices if indices.dtype == bool else cast(indices, "int32")


def take(x, indices, axis=None):
    return np.take(convert_to_tensor(x), _indices(indices), axis=axis, mode="wrap")


def take_along_axis(x, indices, axis=None):
    x = convert_to_tensor(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    indices = _indices(indices)
    indices = np.where(indices < 0, indices + x.shape[axis], indices)
    return np.take_along_axis(x, indices, axis=axis)


def _key_item(item):
    if isinstance(item, (list, np.ndarray)):
        return _indices(item)
    return item


def get_item(x, key):
    key = tuple(_key_item(item) for item in key) if isinstance(key, tuple) else _key_item(key)
    return convert_to_tensor(x)[key]
