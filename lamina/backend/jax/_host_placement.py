"""Placing host values on the JAX device without compiling an XLA program.

`jnp.asarray(numpy_array)`, `jnp.array(x, copy=True)` and `jnp.zeros(shape)` each
compile a small XLA program for every new shape (tens of milliseconds and a
megabyte or two of memory each, paid again for every weight shape while a model is
built and trained). Values that start on the host, and copies of device arrays,
need no program: NumPy converts them and `jax.device_put` places them.
"""

import jax
import jax.numpy as jnp
import numpy as np

from lamina.backend.common import dtypes


def place_on_device(array, dtype=None):
    """A NumPy array as a `jax.Array`, converted on the host: no XLA program is compiled.

    Args:
        array: A NumPy array.
        dtype: The result's dtype, or None for the array's own (as `jnp.asarray`
            gives it: 64-bit types become 32-bit unless x64 is enabled).

    Returns:
        A `jax.Array` on the default device.

    Example:

    >>> import numpy as np
    >>> place_on_device(np.arange(3), "float32").dtype
    dtype('float32')
    """
    if dtype is not None:
        array = np.asarray(array, dtype=jnp.dtype(dtypes.standardize_dtype(dtype)))
    return jax.device_put(array)


def copy_array(x):
    """A copy of the `jax.Array` `x` in a new buffer (safe to donate while `x` lives on).

    `jax.device_put(..., may_alias=False)` copies without compiling an XLA program
    per shape, as `jnp.array(x, copy=True)` does.

    Example:

    >>> import jax.numpy as jnp
    >>> copy_array(jnp.ones(2)).tolist()
    [1.0, 1.0]
    """
    try:
        return jax.device_put(x, may_alias=False)
    except TypeError:  # pragma: no cover - jax before `may_alias`
        return jnp.array(x, copy=True)
