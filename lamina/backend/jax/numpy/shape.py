"""JAX shape manipulation, joining, splitting, padding and indexing."""

import math

import jax.numpy as jnp
import numpy as np

from lamina.backend.jax.core import cast
from lamina.backend.jax.core import convert_to_tensor
from lamina.backend.jax.numpy._casting import promote


def reshape(x, newshape):
    return jnp.reshape(convert_to_tensor(x), newshape)


def transpose(x, axes=None):
    return jnp.transpose(convert_to_tensor(x), axes)


def expand_dims(x, axis):
    return jnp.expand_dims(convert_to_tensor(x), axis)


def squeeze(x, axis=None):
    return jnp.squeeze(convert_to_tensor(x), axis=axis)


def moveaxis(x, source, destination):
    return jnp.moveaxis(convert_to_tensor(x), source, destination)


def swapaxes(x, axis1, axis2):
    return jnp.swapaxes(convert_to_tensor(x), axis1, axis2)


def broadcast_to(x, shape):
    return jnp.broadcast_to(convert_to_tensor(x), shape)


def flip(x, axis=None):
    return jnp.flip(convert_to_tensor(x), axis=axis)


def roll(x, shift, axis=None):
    return jnp.roll(convert_to_tensor(x), shift, axis=axis)


def size(x):
    return math.prod(convert_to_tensor(x).shape)


def ndim(x):
    return convert_to_tensor(x).ndim


def concatenate(xs, axis=0):
    return jnp.concatenate(promote(*xs), axis=axis)


def stack(x, axis=0):
    return jnp.stack(promote(*x), axis=axis)


def hstack(xs):
    return jnp.hstack(promote(*xs))


def vstack(xs):
    return jnp.vstack(promote(*xs))


def split(x, indices_or_sections, axis=0):
    return list(jnp.split(convert_to_tensor(x), indices_or_sections, axis=axis))


def meshgrid(*x, indexing="xy"):
    return list(jnp.meshgrid(*(convert_to_tensor(item) for item in x), indexing=indexing))


def tile(x, repeats):
    return jnp.tile(convert_to_tensor(x), repeats)


def repeat(x, repeats, axis=None):
    if not isinstance(repeats, int):
        repeats = jnp.asarray(repeats)
    return jnp.repeat(convert_to_tensor(x), repeats, axis=axis)


def pad(x, pad_width, mode="constant", constant_values=0):
    x = convert_to_tensor(x)
    if mode == "constant":
        return jnp.pad(x, pad_width, mode="constant", constant_values=cast(constant_values, x.dtype))
    return jnp.pad(x, pad_width, mode=mode)


def _indices(indices):
    indices = convert_to_tensor(indices)
    return indices if indices.dtype == bool else cast(indices, "int32")


def take(x, indices, axis=None):
    return jnp.take(convert_to_tensor(x), _indices(indices), axis=axis, mode="wrap")


def take_along_axis(x, indices, axis=None):
    x = convert_to_tensor(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    indices = _indices(indices)
    indices = jnp.where(indices < 0, indices + x.shape[axis], indices)
    return jnp.take_along_axis(x, indices, axis=axis)


def _key_item(item):
    if isinstance(item, (list, np.ndarray)) or hasattr(item, "__jax_array__"):
        return _indices(item)
    return item


def get_item(x, key):
    key = tuple(_key_item(item) for item in key) if isinstance(key, tuple) else _key_item(key)
    return convert_to_tensor(x)[key]
