"""JAX pooling ops. Arguments arrive normalized by `lamina.ops.nn_pooling`."""

import math

import jax
import jax.numpy as jnp
import numpy as np

from lamina import config
from lamina.backend.jax.core import convert_to_tensor


def _window(pool_size, strides, padding, data_format):
    # reduce_window takes one entry per axis, batch and channels included.
    if data_format == "channels_last":
        return (1, *pool_size, 1), (1, *strides, 1), ((0, 0), *padding, (0, 0))
    return (1, 1, *pool_size), (1, 1, *strides), ((0, 0), (0, 0), *padding)


# Init values are NumPy scalars: reduce_window recognizes max/add windows (and can
# differentiate them) only when the init value is concrete, also under jax.jit.
def _lowest(dtype):
    if jnp.issubdtype(dtype, jnp.floating):
        return np.array(-np.inf, dtype)
    if dtype == jnp.bool_:
        return np.array(False)
    return np.array(jnp.iinfo(dtype).min, dtype)


def max_pool(inputs, pool_size, strides, padding, data_format):
    inputs = convert_to_tensor(inputs)
    window, steps, pads = _window(pool_size, strides, padding, data_format)
    return jax.lax.reduce_window(inputs, _lowest(inputs.dtype), jax.lax.max, window, steps, pads)


def average_pool(inputs, pool_size, strides, padding, data_format):
    inputs = convert_to_tensor(inputs)
    if not jnp.issubdtype(inputs.dtype, jnp.floating):
        inputs = inputs.astype(config.floatx())
    window, steps, pads = _window(pool_size, strides, padding, data_format)
    zero = np.array(0, inputs.dtype)
    sums = jax.lax.reduce_window(inputs, zero, jax.lax.add, window, steps, pads)
    if all(pad == (0, 0) for pad in padding):
        return sums / jnp.array(math.prod(pool_size), inputs.dtype)
    # Padded entries are left out of each window's average.
    ones = jnp.ones((1, *inputs.shape[1:]), inputs.dtype)
    counts = jax.lax.reduce_window(ones, zero, jax.lax.add, window, steps, pads)
    return sums / counts
