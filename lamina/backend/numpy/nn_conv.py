"""NumPy convolutions (inference only): `conv` and `conv_transpose`.

Works in channels_last and sums, for each kernel offset, the strided slice of the
padded inputs times that tap of the kernel; results keep the float dtype of the
operands. Padding arrives as explicit `(before, after)` pairs computed by
`lamina.ops.nn_conv`.
"""

import itertools

import numpy as np

from lamina.backend.common import dtypes
from lamina.backend.numpy.core import convert_to_tensor
from lamina.backend.numpy.numpy import add


def _prepare(inputs, kernel):
    inputs = convert_to_tensor(inputs)
    kernel = convert_to_tensor(kernel)
    dtype = dtypes.result_type(dtypes.standardize_dtype(inputs.dtype), dtypes.standardize_dtype(kernel.dtype))
    if not dtypes.is_float(dtype):
        dtype = dtypes.standardize_dtype(None)
    return inputs.astype(dtype), kernel.astype(dtype), dtype


def _to_channels_last(inputs, data_format):
    return inputs if data_format == "channels_last" else np.moveaxis(inputs, 1, -1)


def _from_channels_last(outputs, data_format):
    return outputs if data_format == "channels_last" else np.moveaxis(outputs, -1, 1)


def _convolve(inputs, kernel, strides, padding, dilation_rate):
    """Channels-last grouped convolution of already-padded-on-request inputs."""
    rank = inputs.ndim - 2
    inputs = np.pad(inputs, [(0, 0), *[tuple(pair) for pair in padding], (0, 0)])
    kernel_spatial = kernel.shape[:rank]
    kernel_in, kernel_out = kernel.shape[-2:]
    groups = inputs.shape[-1] // kernel_in
    output_sizes = [
        max((size - ((taps - 1) * dilation + 1)) // stride + 1, 0)
        for size, taps, stride, dilation in zip(inputs.shape[1:-1], kernel_spatial, strides, dilation_rate)
    ]
    grouped_inputs = inputs.reshape(*inputs.shape[:-1], groups, kernel_in)
    grouped_kernel = kernel.reshape(*kernel_spatial, kernel_in, groups, kernel_out // groups)
    # Accumulate in float64 at least, then cast back to the operands' dtype.
    outputs = np.zeros((inputs.shape[0], *output_sizes, groups, kernel_out // groups), dtype=np.float64)
    for offset in itertools.product(*[range(taps) for taps in kernel_spatial]):
        index = tuple(
            slice(tap * dilation, tap * dilation + (size - 1) * stride + 1, stride)
            for tap, dilation, size, stride in zip(offset, dilation_rate, output_sizes, strides)
        )
        window = grouped_inputs[(slice(None), *index)]
        outputs += np.einsum("...gc,cgo->...go", window, grouped_kernel[offset])
    return outputs.reshape(*outputs.shape[:-2], kernel_out)


def conv(inputs, kernel, strides, padding, data_format, dilation_rate, bias=None):
    inputs, kernel, dtype = _prepare(inputs, kernel)
    inputs = _to_channels_last(inputs, data_format)
    outputs = _from_channels_last(_convolve(inputs, kernel, strides, padding, dilation_rate), data_format)
    outputs = outputs.astype(dtype)
    if bias is None:
        return outputs
    bias = convert_to_tensor(bias)
    if data_format == "channels_first":
        bias = bias.reshape((-1,) + (1,) * (outputs.ndim - 2))
    return add(outputs, bias)


def _dilate(inputs, strides):
    """Inserts `stride - 1` zeros between neighbouring entries of each spatial axis."""
    sizes = [(size - 1) * stride + 1 for size, stride in zip(inputs.shape[1:-1], strides)]
    dilated = np.zeros((inputs.shape[0], *sizes, inputs.shape[-1]), dtype=inputs.dtype)
    dilated[(slice(None), *[slice(None, None, stride) for stride in strides])] = inputs
    return dilated


def conv_transpose(inputs, kernel, strides, padding, data_format, dilation_rate):
    inputs, kernel, dtype = _prepare(inputs, kernel)
    inputs = _to_channels_last(inputs, data_format)
    rank = inputs.ndim - 2
    # A transposed convolution is a convolution of the stride-dilated inputs with the
    # spatially flipped kernel whose channel axes are swapped.
    kernel = np.swapaxes(np.flip(kernel, axis=tuple(range(rank))), -1, -2)
    outputs = _convolve(_dilate(inputs, strides), kernel, (1,) * rank, padding, dilation_rate)
    return _from_channels_last(outputs.astype(dtype), data_format)
