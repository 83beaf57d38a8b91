"""Depthwise and separable convolution ops, built on the grouped `conv` op.

A depthwise convolution is a grouped convolution with one group per input
channel: the Keras kernel `(*spatial, in_channels, depth_multiplier)` is
reshaped to `(*spatial, 1, in_channels * depth_multiplier)`, whose output
channel `c * depth_multiplier + m` comes from input channel `c`, which is the
order Keras uses. No backend code is needed.
"""

from lamina import config
from lamina.ops import shape_rules
from lamina.ops.nn_conv import conv
from lamina.ops.numpy import reshape


def _depthwise_kernel_as_grouped(kernel, inputs, data_format, op_name):
    input_shape = shape_rules.shape_of(inputs)
    kernel_shape = shape_rules.shape_of(kernel)
    if len(input_shape) not in (3, 4, 5) or len(kernel_shape) != len(input_shape):
        raise ValueError(
            f"{op_name} expects 3D, 4D or 5D inputs and a depthwise kernel of the same rank "
            f"`(*kernel_spatial, in_channels, depth_multiplier)`. Received: inputs.shape={input_shape}, "
            f"kernel.shape={kernel_shape}"
        )
    if None in kernel_shape:
        raise ValueError(f"{op_name} needs a fully known kernel shape. Received: kernel.shape={kernel_shape}")
    channels = input_shape[-1 if config.standardize_data_format(data_format) == "channels_last" else 1]
    if channels is not None and channels != kernel_shape[-2]:
        raise ValueError(
            f"{op_name} expects the kernel's input channels (kernel.shape[-2]) to equal the inputs' "
            f"channel count. Received: inputs.shape={input_shape}, kernel.shape={kernel_shape}, "
            f"data_format={data_format!r}"
        )
    grouped_shape = tuple(kernel_shape[:-2]) + (1, kernel_shape[-2] * kernel_shape[-1])
    return reshape(kernel, grouped_shape)


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """N-D depthwise convolution (1D, 2D or 3D): each input channel is convolved on its own.

    Args:
        inputs: Tensor of rank 3, 4 or 5: `(batch, *spatial, channels)` for
            `"channels_last"`, `(batch, channels, *spatial)` for `"channels_first"`.
        kernel: Tensor of shape `(*kernel_spatial, in_channels, depth_multiplier)`.
        strides: Int or tuple of ints, the step of the window on each spatial axis.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `lamina.config.image_data_format()`.
        dilation_rate: Int or tuple of ints, the spacing of the kernel taps.

    Returns:
        Tensor with `in_channels * depth_multiplier` channels, in the same data format.

    Example:

    >>> import lamina
    >>> inputs = lamina.ops.ones((1, 3, 2))
    >>> kernel = lamina.ops.reshape(lamina.ops.arange(1.0, 5.0), (1, 2, 2))
    >>> lamina.ops.convert_to_numpy(lamina.ops.depthwise_conv(inputs, kernel))[0, 0].tolist()
    [1.0, 2.0, 3.0, 4.0]
    """
    grouped = _depthwise_kernel_as_grouped(kernel, inputs, data_format, "depthwise_conv")
    return conv(inputs, grouped, strides, padding, data_format, dilation_rate)


def separable_conv(
    inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid", data_format=None, dilation_rate=1
):
    """N-D separable convolution: a depthwise convolution followed by a 1x1 (pointwise) convolution.

    Args:
        inputs: Tensor of rank 3, 4 or 5: `(batch, *spatial, channels)` for
            `"channels_last"`, `(batch, channels, *spatial)` for `"channels_first"`.
        depthwise_kernel: Tensor of shape `(*kernel_spatial, in_channels, depth_multiplier)`.
        pointwise_kernel: Tensor of shape `(1, ..., 1, in_channels * depth_multiplier, filters)`.
        strides: Int or tuple of ints, the step of the depthwise window.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `lamina.config.image_data_format()`.
        dilation_rate: Int or tuple of ints, the spacing of the depthwise kernel taps.

    Returns:
        Tensor with `filters` channels, in the same data format.

    Example:

    >>> import lamina
    >>> inputs = lamina.ops.ones((1, 3, 2))
    >>> depthwise = lamina.ops.ones((2, 2, 1))
    >>> pointwise = lamina.ops.ones((1, 2, 1))
    >>> out = lamina.ops.separable_conv(inputs, depthwise, pointwise)
    >>> lamina.ops.convert_to_numpy(out)[0, :, 0].tolist()
    [4.0, 4.0]
    """
    pointwise_shape = shape_rules.shape_of(pointwise_kernel)
    if len(pointwise_shape) < 3 or any(size != 1 for size in pointwise_shape[:-2]):
        raise ValueError(
            "separable_conv expects a pointwise kernel of shape (1, ..., 1, in_channels * "
            f"depth_multiplier, filters). Received: pointwise_kernel.shape={pointwise_shape}"
        )
    outputs = depthwise_conv(inputs, depthwise_kernel, strides, padding, data_format, dilation_rate)
    return conv(outputs, pointwise_kernel, 1, "valid", data_format, 1)
