"""JAX core: the Variable, tensor conversion, dtypes and control flow."""

import contextlib

import jax
import jax.numpy as jnp
import numpy as np

from lamina.backend.common import dtypes
from lamina.backend.common.variable import Variable as BaseVariable
from lamina.backend.jax import _host_placement as host_placement
from lamina.backend.jax import _short_wait as short_wait

IS_THREAD_SAFE = True
SUPPORTS_SPARSE_TENSORS = False


class Variable(BaseVariable):
    """A Variable whose value is an immutable `jax.Array`, replaced on assign.

    Values that start on the host (NumPy arrays from `set_weights` or a weights file,
    the fill of a constant initializer) are converted by NumPy and placed with one
    `jax.device_put`: converting them with `jnp` would compile an XLA program for
    every new shape (tens of milliseconds and a megabyte or two each, at model build).
    """

    def _initial_value(self, initializer):
        fill_value = getattr(initializer, "_fill_value", None)
        if fill_value is None:
            return super()._initial_value(initializer)
        return np.full(self._shape, fill_value, dtype=jnp.dtype(self._dtype))

    def _convert_to_tensor(self, value, dtype=None):
        if isinstance(value, np.ndarray):
            return host_placement.place_on_device(value, dtype)
        return convert_to_tensor(value, dtype=dtype)

    def _direct_assign(self, value):
        self._value = value

    def __jax_array__(self):
        return self.value


def convert_to_tensor(x, dtype=None, sparse=None):
    if isinstance(x, BaseVariable):
        x = x.value
    if dtype is None:
        dtype = dtypes.python_value_dtype(x)
    else:
        dtype = dtypes.standardize_dtype(dtype)
    if isinstance(x, jax.Array) and (dtype is None or x.dtype == dtype):
        return x
    return jnp.asarray(x, dtype=dtype)


def convert_to_numpy(x):
    if isinstance(x, BaseVariable):
        x = x.value
    elif isinstance(x, jax.Array) and not isinstance(x, jax.core.Tracer):
        short_wait.wait_briefly(x)
    return np.asarray(x)


def is_tensor(x):
    return isinstance(x, jax.Array)


def shape(x):
    return tuple(x.shape)


def cast(x, dtype):
    dtype = dtypes.standardize_dtype(dtype)
    if isinstance(x, BaseVariable):
        x = x.value
    if isinstance(x, jax.Array) and x.dtype == dtype:
        return x
    return jnp.asarray(x).astype(dtype)


def cond(pred, true_fn, false_fn):
    return jax.lax.cond(pred, true_fn, false_fn)


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    is_tuple = isinstance(loop_vars, (list, tuple))
    state = tuple(loop_vars) if is_tuple else (loop_vars,)
    if maximum_iterations is not None:
        state = (0, state)

        def _cond(carry):
            count, inner = carry
            return jnp.logical_and(count < maximum_iterations, cond(*inner))

        def _body(carry):
            count, inner = carry
            result = body(*inner)
            result = tuple(result) if is_tuple else (result,)
            return count + 1, result

        _, state = jax.lax.while_loop(_cond, _body, state)
    else:

        def _body(inner):
            result = body(*inner)
            return tuple(result) if is_tuple else (result,)

        state = jax.lax.while_loop(lambda inner: cond(*inner), _body, state)
    return type(loop_vars)(state) if is_tuple else state[0]


def fori_loop(lower, upper, body_fun, init_val):
    return jax.lax.fori_loop(lower, upper, body_fun, init_val)


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    return jax.lax.scan(f, init, xs=xs, length=length, reverse=reverse, unroll=unroll)


def stop_gradient(x):
    return jax.lax.stop_gradient(convert_to_tensor(x))


def unstack(x, num=None, axis=0):
    x = convert_to_tensor(x)
    return [jax.lax.index_in_dim(x, i, axis, keepdims=False) for i in range(x.shape[axis])]


def no_grad():
    """A context in which operations record no autograd graph (a no-op here: gradients are functional)."""
    return contextlib.nullcontext()


def random_seed_dtype():
    return "uint32"


def device_put(x):
    return jax.device_put(x)
