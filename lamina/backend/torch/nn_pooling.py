"""PyTorch pooling ops. Arguments arrive normalized by `lamina.ops.nn_pooling`."""

import torch
import torch.nn.functional as F

from lamina import config
from lamina.backend.torch.core import convert_to_tensor
from lamina.backend.torch.core import to_torch_dtype

_MAX_POOL = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
_AVG_POOL = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}


def _to_channels_first(inputs, data_format):
    if data_format == "channels_first":
        return inputs
    return inputs.permute(0, inputs.ndim - 1, *range(1, inputs.ndim - 1))


def _from_channels_first(outputs, data_format):
    if data_format == "channels_first":
        return outputs
    return outputs.permute(0, *range(2, outputs.ndim), 1)


def _pad(inputs, padding, value):
    # F.pad lists (before, after) pairs starting from the last axis. Pooling's own
    # padding is symmetric only, while "same" padding may put one more entry after.
    pairs = [size for pair in reversed(padding) for size in pair]
    if not any(pairs):
        return inputs
    return F.pad(inputs, pairs, value=value)


def max_pool(inputs, pool_size, strides, padding, data_format):
    inputs = convert_to_tensor(inputs)
    dtype = inputs.dtype
    x = _to_channels_first(inputs, data_format)
    if not x.is_floating_point():
        # Integer max pooling is not implemented on every device; float64 holds int32 exactly.
        x = x.to(torch.float64)
    x = _pad(x, padding, float("-inf"))
    outputs = _MAX_POOL[len(pool_size)](x, pool_size, strides)
    outputs = _from_channels_first(outputs, data_format)
    return outputs if outputs.dtype == dtype else outputs.to(dtype)


def average_pool(inputs, pool_size, strides, padding, data_format):
    inputs = convert_to_tensor(inputs)
    if not inputs.is_floating_point():
        inputs = inputs.to(to_torch_dtype(config.floatx()))
    x = _to_channels_first(inputs, data_format)
    pool = _AVG_POOL[len(pool_size)]
    outputs = pool(_pad(x, padding, 0.0), pool_size, strides)
    if any(size for pair in padding for size in pair):
        # Padded entries are left out of each window's average: rescale by the
        # fraction of real entries in the window.
        ones = torch.ones((1, 1, *x.shape[2:]), dtype=x.dtype, device=x.device)
        outputs = outputs / pool(_pad(ones, padding, 0.0), pool_size, strides)
    return _from_channels_first(outputs, data_format)
