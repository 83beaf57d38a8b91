"""JAX convolutions: `conv` and `conv_transpose` through `lax.conv_general_dilated`.

Padding arrives as explicit `(before, after)` pairs computed by `lamina.ops.nn_conv`.
"""

import jax.numpy as jnp
from jax import lax

from lamina.backend.common import dtypes
from lamina.backend.jax.core import convert_to_tensor
from lamina.backend.jax.numpy import add


def _dimension_numbers(rank, data_format):
    spatial = "DHW"[3 - rank :]
    if data_format == "channels_last":
        layout = "N" + spatial + "C"
    else:
        layout = "NC" + spatial
    return (layout, spatial + "IO", layout)


def _prepare(inputs, kernel):
    inputs = convert_to_tensor(inputs)
    kernel = convert_to_tensor(kernel)
    dtype = dtypes.result_type(inputs.dtype, kernel.dtype)
    if not dtypes.is_float(dtype):
        dtype = dtypes.standardize_dtype(None)
    return inputs.astype(dtype), kernel.astype(dtype)


def conv(inputs, kernel, strides, padding, data_format, dilation_rate, bias=None):
    inputs, kernel = _prepare(inputs, kernel)
    rank = inputs.ndim - 2
    channel_axis = -1 if data_format == "channels_last" else 1
    groups = inputs.shape[channel_axis] // kernel.shape[-2]
    outputs = lax.conv_general_dilated(
        inputs,
        kernel,
        window_strides=tuple(strides),
        padding=[tuple(pair) for pair in padding],
        rhs_dilation=tuple(dilation_rate),
        dimension_numbers=_dimension_numbers(rank, data_format),
        feature_group_count=groups,
    )
    if bias is None:
        return outputs
    bias = convert_to_tensor(bias)
    if data_format == "channels_first":
        bias = bias.reshape((-1,) + (1,) * rank)
    return add(outputs, bias)


def conv_transpose(inputs, kernel, strides, padding, data_format, dilation_rate):
    inputs, kernel = _prepare(inputs, kernel)
    rank = inputs.ndim - 2
    # A transposed convolution is a convolution of the stride-dilated inputs with the
    # spatially flipped kernel whose channel axes are swapped.
    kernel = jnp.swapaxes(jnp.flip(kernel, axis=tuple(range(rank))), -1, -2)
    return lax.conv_general_dilated(
        inputs,
        kernel,
        window_strides=(1,) * rank,
        padding=[tuple(pair) for pair in padding],
        lhs_dilation=tuple(strides),
        rhs_dilation=tuple(dilation_rate),
        dimension_numbers=_dimension_numbers(rank, data_format),
    )
