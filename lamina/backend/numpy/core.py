"""NumPy core (inference only): the Variable, tensor conversion, control flow."""

import contextlib

import numpy as np

from lamina.backend.common import dtypes
from lamina.backend.common import python_control_flow
from lamina.backend.common.variable import Variable as BaseVariable

IS_THREAD_SAFE = True
SUPPORTS_SPARSE_TENSORS = False


class Variable(BaseVariable):
    """A Variable whose value is a NumPy array, replaced on assign."""

    def _convert_to_tensor(self, value, dtype=None):
        return convert_to_tensor(value, dtype=dtype)

    def _direct_assign(self, value):
        self._value = value


def _numpy_dtype(dtype):
    """NumPy's dtype for a lamina dtype name (`"bfloat16"` comes from ml_dtypes)."""
    if dtype == "bfloat16":
        import ml_dtypes

        return ml_dtypes.bfloat16
    return dtype


def convert_to_tensor(x, dtype=None, sparse=None):
    if isinstance(x, BaseVariable):
        x = x.value
    if dtype is None:
        dtype = dtypes.python_value_dtype(x)
    else:
        dtype = dtypes.standardize_dtype(dtype)
    if isinstance(x, np.ndarray) and (dtype is None or x.dtype == _numpy_dtype(dtype)):
        return x
    return np.asarray(x, dtype=_numpy_dtype(dtype))


def convert_to_numpy(x):
    if isinstance(x, BaseVariable):
        x = x.value
    return np.asarray(x)


def is_tensor(x):
    return isinstance(x, (np.ndarray, np.generic))


def shape(x):
    return tuple(np.shape(x))


def cast(x, dtype):
    if isinstance(x, BaseVariable):
        x = x.value
    return np.asarray(x).astype(_numpy_dtype(dtypes.standardize_dtype(dtype)), copy=False)


cond = python_control_flow.cond
while_loop = python_control_flow.while_loop
fori_loop = python_control_flow.fori_loop


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    return python_control_flow.scan(f, init, xs, length, reverse, stack=np.stack)


def stop_gradient(x):
    return convert_to_tensor(x)


def unstack(x, num=None, axis=0):
    x = convert_to_tensor(x)
    return [np.take(x, i, axis=axis) for i in range(x.shape[axis])]


def no_grad():
    """A context in which operations record no autograd graph (a no-op here: gradients are functional)."""
    return contextlib.nullcontext()


def random_seed_dtype():
    return "uint32"


def device_put(x):
    return convert_to_tensor(x)
