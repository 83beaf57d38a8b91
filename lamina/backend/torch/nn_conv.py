"""PyTorch convolutions: `conv` and `conv_transpose` through `torch.nn.functional.conv{1,2,3}d`.

Padding arrives as explicit `(before, after)` pairs computed by `lamina.ops.nn_conv`;
it is applied with `functional.pad` because torch's own padding is symmetric.
"""

import torch
import torch.nn.functional as functional

from lamina.backend.common import dtypes
from lamina.backend.torch.core import convert_to_tensor
from lamina.backend.torch.core import to_torch_dtype
from lamina.backend.torch.numpy import add
from lamina.backend.torch.numpy._casting import plain_tensor

_CONV_FUNCTIONS = {1: functional.conv1d, 2: functional.conv2d, 3: functional.conv3d}


def _prepare(inputs, kernel):
    inputs = convert_to_tensor(inputs)
    kernel = convert_to_tensor(kernel)
    if inputs.dtype == kernel.dtype and inputs.is_floating_point():
        return inputs, kernel  # the usual case: one float dtype, nothing to promote
    dtype = dtypes.result_type(dtypes.standardize_dtype(inputs.dtype), dtypes.standardize_dtype(kernel.dtype))
    if not dtypes.is_float(dtype):
        dtype = dtypes.standardize_dtype(None)
    torch_dtype = to_torch_dtype(dtype)
    return inputs.to(torch_dtype), kernel.to(torch_dtype)


def _to_channels_first(inputs, data_format):
    if data_format == "channels_first":
        return inputs
    return inputs.movedim(-1, 1)


def _from_channels_first(outputs, data_format):
    if data_format == "channels_first":
        return outputs
    return outputs.movedim(1, -1)


def _pad(inputs, padding):
    # functional.pad lists the last axis first.
    pads = [amount for pair in reversed(padding) for amount in pair]
    if any(pads):
        inputs = functional.pad(inputs, pads)
    return inputs


def _convolve(inputs, kernel, strides, padding, dilation_rate, groups, bias=None):
    """Channels-first convolution with a Keras-layout kernel `(*spatial, in, out)`."""
    rank = inputs.ndim - 2
    kernel = kernel.permute(rank + 1, rank, *range(rank))
    return _CONV_FUNCTIONS[rank](
        _pad(inputs, padding),
        kernel,
        bias,
        stride=tuple(strides),
        dilation=tuple(dilation_rate),
        groups=groups,
    )


def conv(inputs, kernel, strides, padding, data_format, dilation_rate, bias=None):
    inputs, kernel = _prepare(inputs, kernel)
    inputs = _to_channels_first(inputs, data_format)
    groups = inputs.shape[1] // kernel.shape[-2]
    fused_bias = plain_tensor(bias)
    if fused_bias is not None and (fused_bias.dtype != kernel.dtype or fused_bias.shape != kernel.shape[-1:]):
        fused_bias = None
    outputs = _from_channels_first(
        _convolve(inputs, kernel, strides, padding, dilation_rate, groups, fused_bias), data_format
    )
    if bias is not None and fused_bias is None:
        # A bias of another dtype or shape: promoted and broadcast as `add` does.
        bias = convert_to_tensor(bias)
        if data_format == "channels_first":
            bias = bias.reshape((-1,) + (1,) * (outputs.ndim - 2))
        outputs = add(outputs, bias)
    return outputs


def _dilate(inputs, strides):
    """Inserts `stride - 1` zeros between neighbouring entries of each spatial axis."""
    if all(stride == 1 for stride in strides):
        return inputs
    sizes = [(size - 1) * stride + 1 for size, stride in zip(inputs.shape[2:], strides)]
    dilated = inputs.new_zeros((*inputs.shape[:2], *sizes))
    # Index assignment into a fresh tensor keeps the gradient path to `inputs`.
    dilated[(slice(None), slice(None)) + tuple(slice(None, None, stride) for stride in strides)] = inputs
    return dilated


def conv_transpose(inputs, kernel, strides, padding, data_format, dilation_rate):
    inputs, kernel = _prepare(inputs, kernel)
    inputs = _to_channels_first(inputs, data_format)
    rank = inputs.ndim - 2
    # A transposed convolution is a convolution of the stride-dilated inputs with the
    # spatially flipped kernel whose channel axes are swapped.
    kernel = torch.flip(kernel, dims=tuple(range(rank))).transpose(-1, -2)
    outputs = _convolve(_dilate(inputs, strides), kernel, (1,) * rank, padding, dilation_rate, 1)
    return _from_channels_first(outputs, data_format)
