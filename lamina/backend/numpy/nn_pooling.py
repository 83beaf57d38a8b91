"""NumPy pooling ops (inference only). Arguments arrive normalized by `lamina.ops.nn_pooling`."""

import numpy as np

from lamina import config
from lamina.backend.common import dtypes
from lamina.backend.numpy.core import convert_to_tensor


def _windows(inputs, pool_size, strides, padding, data_format, fill):
    """Returns padded windows shaped `(batch, channels, *out_spatial, *pool_size)`."""
    if data_format == "channels_last":
        inputs = np.moveaxis(inputs, -1, 1)
    pads = ((0, 0), (0, 0), *padding)
    if any(size for pair in padding for size in pair):
        inputs = np.pad(inputs, pads, constant_values=fill)
    spatial = tuple(range(2, inputs.ndim))
    windows = np.lib.stride_tricks.sliding_window_view(inputs, pool_size, axis=spatial)
    steps = (slice(None), slice(None), *(slice(None, None, stride) for stride in strides))
    return windows[steps]


def _finish(outputs, data_format):
    if data_format == "channels_last":
        outputs = np.moveaxis(outputs, 1, -1)
    return np.ascontiguousarray(outputs)


def _window_axes(pool_size):
    return tuple(range(-len(pool_size), 0))


def max_pool(inputs, pool_size, strides, padding, data_format):
    inputs = convert_to_tensor(inputs)
    if dtypes.is_float(dtypes.standardize_dtype(inputs.dtype)):
        fill = -np.inf
    elif inputs.dtype == np.bool_:
        fill = False
    else:
        fill = np.iinfo(inputs.dtype).min
    windows = _windows(inputs, pool_size, strides, padding, data_format, fill)
    return _finish(windows.max(axis=_window_axes(pool_size)).astype(inputs.dtype), data_format)


def average_pool(inputs, pool_size, strides, padding, data_format):
    inputs = convert_to_tensor(inputs)
    if not dtypes.is_float(dtypes.standardize_dtype(inputs.dtype)):
        inputs = inputs.astype(config.floatx())
    dtype = inputs.dtype
    axes = _window_axes(pool_size)
    sums = _windows(inputs, pool_size, strides, padding, data_format, 0).sum(axis=axes, dtype=np.float64)
    ones = np.ones((1, *inputs.shape[1:]), dtype=np.float64)
    counts = _windows(ones, pool_size, strides, padding, data_format, 0).sum(axis=axes)
    return _finish((sums / counts).astype(dtype), data_format)
