"""PyTorch core: the Variable, tensor conversion, dtypes and control flow."""

import os

import numpy as np
import optree
import torch

from lamina.backend.common import dtypes
from lamina.backend.common import python_control_flow
from lamina.backend.common.variable import Variable as BaseVariable


def _numpy_bfloat16():
    """NumPy's bfloat16 (from ml_dtypes, a JAX dependency), or None; imported on the first
    bfloat16 read-back, not with the backend (ml_dtypes adds to `import lamina`'s cost)."""
    try:
        from ml_dtypes import bfloat16
    except ImportError:  # pragma: no cover - without ml_dtypes bfloat16 reads back as float32
        return None
    return bfloat16


IS_THREAD_SAFE = True
SUPPORTS_SPARSE_TENSORS = False


def _default_device():
    requested = os.environ.get("LAMINA_TORCH_DEVICE")
    if requested:
        return requested
    return "cuda" if torch.cuda.is_available() else "cpu"


DEFAULT_DEVICE = _default_device()
_ON_CPU = DEFAULT_DEVICE == "cpu"

_TORCH_DTYPES = {
    "bool": torch.bool,
    "uint8": torch.uint8,
    "uint16": torch.int32,
    "uint32": torch.int64,
    "uint64": torch.int64,
    "int8": torch.int8,
    "int16": torch.int16,
    "int32": torch.int32,
    "int64": torch.int64,
    "bfloat16": torch.bfloat16,
    "float16": torch.float16,
    "float32": torch.float32,
    "float64": torch.float64,
    "complex64": torch.complex64,
    "complex128": torch.complex128,
}


def to_torch_dtype(dtype):
    """Returns the `torch.dtype` for a lamina dtype name (uint16/32 widen: torch lacks them)."""
    if isinstance(dtype, torch.dtype):
        return dtype
    torch_dtype = _TORCH_DTYPES.get(dtype)
    if torch_dtype is None:
        torch_dtype = _TORCH_DTYPES[dtypes.standardize_dtype(dtype)]
    return torch_dtype


class Variable(BaseVariable):
    """A Variable whose value is a `torch.nn.Parameter` updated in place."""

    def _initialize(self, value):
        tensor = convert_to_tensor(value, dtype=self._dtype)
        requires_grad = self._trainable and tensor.is_floating_point()
        self._value = torch.nn.Parameter(tensor.detach().clone(), requires_grad=requires_grad)

    def _convert_to_tensor(self, value, dtype=None):
        return convert_to_tensor(value, dtype=dtype)

    def _direct_assign(self, value):
        if not torch.is_grad_enabled():
            self._value.copy_(value)  # already untracked (the optimizer's and metrics' updates)
            return
        with torch.no_grad():
            self._value.copy_(value)

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)
        if self._value is not None and self._value.is_floating_point():
            self._value.requires_grad_(self._trainable)

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        def unwrap(value):
            if isinstance(value, BaseVariable):
                return value.value
            if isinstance(value, (list, tuple)):
                return type(value)(unwrap(item) for item in value)
            return value

        return func(*unwrap(args), **unwrap(kwargs or {}))


def _contiguous(array):
    # np.ascontiguousarray would turn a 0-d array into shape (1,). A read-only
    # array (e.g. np.asarray of a JAX array) is copied: torch cannot share it.
    return array if array.flags.c_contiguous and array.flags.writeable else array.copy()


# The names of the NumPy dtypes `torch.from_numpy` shares as they are (ml_dtypes'
# bfloat16 is unknown to torch). A dict: `np.dtype.name` costs ~2 µs a call.
_SHARED_DTYPE_NAMES = {
    np.dtype(name): name
    for name in ("bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64")
}


def convert_to_tensor(x, dtype=None, sparse=None):
    if dtype is None and isinstance(x, torch.Tensor):
        return x  # the per-op hot path: already a tensor, nothing to infer
    if type(x) is np.ndarray and dtype is not None and _ON_CPU and _SHARED_DTYPE_NAMES.get(x.dtype) == dtype:
        return torch.from_numpy(_contiguous(x))  # e.g. a model's input, already of its compute dtype
    if isinstance(x, BaseVariable):
        x = x.value
    if isinstance(x, torch.Tensor):
        # A tensor (or a Variable's) keeps its own dtype: nothing to infer.
        if dtype is None:
            return x
        torch_dtype = _TORCH_DTYPES.get(dtype) if isinstance(dtype, str) else None
        torch_dtype = torch_dtype or to_torch_dtype(dtype)
        return x if x.dtype == torch_dtype else x.to(torch_dtype)
    if dtype is None:
        dtype = dtypes.python_value_dtype(x)
    if isinstance(x, np.ndarray):
        if x.dtype == np.uint32:
            x = x.astype(np.int64)
        elif x.dtype == np.uint16:
            x = x.astype(np.int32)
        tensor = torch.from_numpy(_contiguous(x))
    elif hasattr(x, "__array__") and not isinstance(x, (list, tuple)):
        tensor = torch.from_numpy(_contiguous(np.asarray(x)))
    elif isinstance(x, (list, tuple)) and any(isinstance(item, (torch.Tensor, BaseVariable)) for item in x):
        # Stacked, not copied through Python numbers, so gradients still flow.
        tensor = torch.stack([convert_to_tensor(item) for item in x])
    else:
        tensor = torch.as_tensor(x)
    if dtype is not None:
        tensor = tensor.to(to_torch_dtype(dtype))
    return tensor.to(DEFAULT_DEVICE) if tensor.device.type != DEFAULT_DEVICE else tensor


def convert_to_numpy(x):
    if isinstance(x, BaseVariable):
        x = x.value
    if isinstance(x, torch.Tensor):
        x = x.detach()
        if x.dtype == torch.bfloat16:
            values = x.float().cpu().numpy()
            bfloat16 = _numpy_bfloat16()
            return values if bfloat16 is None else values.astype(bfloat16)
        return x.cpu().numpy()
    return np.asarray(x)


def is_tensor(x):
    return isinstance(x, torch.Tensor)


def shape(x):
    return tuple(x.shape)


def cast(x, dtype):
    if isinstance(x, BaseVariable):
        x = x.value
    if isinstance(x, torch.Tensor):
        torch_dtype = _TORCH_DTYPES.get(dtype) if isinstance(dtype, str) else None
        torch_dtype = torch_dtype or to_torch_dtype(dtype)
        return x if x.dtype == torch_dtype else x.to(torch_dtype)
    return convert_to_tensor(x, dtype=dtype)


cond = python_control_flow.cond
while_loop = python_control_flow.while_loop
fori_loop = python_control_flow.fori_loop


def _stack(items):
    return torch.stack([convert_to_tensor(item) for item in items])


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    if xs is not None:
        xs = optree.tree_map(convert_to_tensor, xs)
    return python_control_flow.scan(f, init, xs, length, reverse, stack=_stack)


def stop_gradient(x):
    return convert_to_tensor(x).detach()


def unstack(x, num=None, axis=0):
    return list(torch.unbind(convert_to_tensor(x), dim=axis))


def no_grad():
    """A context in which operations record no autograd graph."""
    return torch.no_grad()


def random_seed_dtype():
    return "int32"


def device_put(x):
    return convert_to_tensor(x)
