"""Convolution ops: `conv` and `conv_transpose`, in 1D, 2D and 3D.

Kernels follow Keras 3's layout: `conv` takes `(*spatial, in_channels // groups,
out_channels)`, `conv_transpose` takes `(*spatial, out_channels, in_channels)`.
The shape rules resolve the arguments and the `"same"` padding into explicit
`(before, after)` pairs, so every backend receives the same plain numbers and
the padding matches Keras's (extra padding goes after, as in TensorFlow).
"""

from lamina import config
from lamina.backend import current
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.ops import plan_cache
from lamina.ops import shape_rules
from lamina.ops.dispatch import symbolic


def _tuple(value, rank, name, op_name):
    if isinstance(value, int) and not isinstance(value, bool):
        value = (value,) * rank
    value = tuple(value)
    if len(value) != rank or not all(isinstance(item, int) and item > 0 for item in value):
        raise ValueError(
            f"{op_name} expects {name} to be a positive int or a tuple of {rank} positive ints "
            f"(one per spatial axis). Received: {name}={value!r}"
        )
    return value


def _check_padding(padding, op_name):
    padding = str(padding).lower()
    if padding not in ("valid", "same"):
        raise ValueError(f"{op_name} expects padding to be 'valid' or 'same'. Received: padding={padding!r}")
    return padding


def _arguments(inputs, kernel, strides, padding, data_format, dilation_rate, op_name):
    """Validates the arguments; returns (input shape, kernel shape, rank, strides, padding, ...)."""
    input_shape = shape_rules.shape_of(inputs)
    kernel_shape = shape_rules.shape_of(kernel)
    rank = len(input_shape) - 2
    if rank not in (1, 2, 3) or len(kernel_shape) != rank + 2:
        raise ValueError(
            f"{op_name} expects 3D, 4D or 5D inputs (batch, spatial axes, channels) and a kernel "
            f"of the same rank. Received: inputs.shape={input_shape}, kernel.shape={kernel_shape}"
        )
    data_format = config.standardize_data_format(data_format)
    strides = _tuple(strides, rank, "strides", op_name)
    dilation_rate = _tuple(dilation_rate, rank, "dilation_rate", op_name)
    padding = _check_padding(padding, op_name)
    if data_format == "channels_last":
        spatial, channels = input_shape[1:-1], input_shape[-1]
    else:
        spatial, channels = input_shape[2:], input_shape[1]
    return input_shape, kernel_shape, rank, strides, padding, data_format, dilation_rate, spatial, channels


def _dilated(size, dilation):
    return (size - 1) * dilation + 1


def _conv_padding(size, kernel_size, stride, dilation, padding):
    """The (before, after) padding of one axis; `"same"` puts the odd pixel after."""
    if padding == "valid" or size is None:
        return (0, 0)
    output = -(-size // stride)
    total = max((output - 1) * stride + _dilated(kernel_size, dilation) - size, 0)
    return (total // 2, total - total // 2)


def _conv_output_size(size, kernel_size, stride, dilation, padding):
    if size is None:
        return None
    if padding == "same":
        return -(-size // stride)
    return max((size - _dilated(kernel_size, dilation)) // stride + 1, 0)


def _output_shape(input_shape, spatial_output, channels, data_format):
    if data_format == "channels_last":
        return (input_shape[0], *spatial_output, channels)
    return (input_shape[0], channels, *spatial_output)


def _conv_rule(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    input_shape, kernel_shape, rank, strides, padding, data_format, dilation_rate, spatial, channels = (
        _arguments(inputs, kernel, strides, padding, data_format, dilation_rate, "conv")
    )
    kernel_in = kernel_shape[-2]
    if channels is not None and kernel_in is not None and (channels % kernel_in or channels < kernel_in):
        raise ValueError(
            "conv expects the inputs' channel count to be a multiple of the kernel's input "
            f"channels (kernel.shape[-2]; the multiple is the number of groups). Received: "
            f"inputs.shape={input_shape}, kernel.shape={kernel_shape}, data_format={data_format!r}"
        )
    spatial_output = tuple(
        _conv_output_size(size, kernel_shape[axis], strides[axis], dilation_rate[axis], padding)
        for axis, size in enumerate(spatial)
    )
    dtype = shape_rules.float_dtype(shape_rules.result_dtype(inputs, kernel))
    return KerasTensor(_output_shape(input_shape, spatial_output, kernel_shape[-1], data_format), dtype=dtype)


@symbolic(_conv_rule)
def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """N-D convolution (1D, 2D or 3D), grouped when the kernel has fewer input channels.

    The number of groups is `inputs channels // kernel.shape[-2]`.

    Args:
        inputs: Tensor of rank 3, 4 or 5: `(batch, *spatial, channels)` for
            `"channels_last"`, `(batch, channels, *spatial)` for `"channels_first"`.
        kernel: Tensor of shape `(*kernel_spatial, in_channels // groups, out_channels)`.
        strides: Int or tuple of ints, the step of the window on each spatial axis.
        padding: `"valid"` (no padding) or `"same"` (pad so that the output
            size is `ceil(input size / stride)`).
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `lamina.config.image_data_format()`.
        dilation_rate: Int or tuple of ints, the spacing of the kernel taps.

    Returns:
        The convolved tensor, in the same data format.

    Example:

    >>> import lamina
    >>> inputs = lamina.ops.reshape(lamina.ops.arange(5.0), (1, 5, 1))
    >>> kernel = lamina.ops.ones((2, 1, 1))
    >>> lamina.ops.convert_to_numpy(lamina.ops.conv(inputs, kernel))[0, :, 0].tolist()
    [1.0, 3.0, 5.0, 7.0]
    """
    strides, pads, data_format, dilation_rate = _cached_plan(
        _conv_plan, inputs, kernel, (strides, padding, data_format, dilation_rate)
    )
    return current.nn_conv.conv(inputs, kernel, strides, list(pads), data_format, dilation_rate)


def _biased_conv_rule(inputs, kernel, bias, strides=1, padding="valid", data_format=None, dilation_rate=1):
    outputs = _conv_rule(inputs, kernel, strides, padding, data_format, dilation_rate)
    bias_shape = shape_rules.shape_of(bias)
    if bias_shape != (shape_rules.shape_of(kernel)[-1],):
        raise ValueError(
            f"biased_conv expects one bias value per output channel: a bias of shape "
            f"({shape_rules.shape_of(kernel)[-1]},). Received: bias.shape={bias_shape}"
        )
    return KerasTensor(outputs.shape, dtype=shape_rules.result_dtype(outputs, bias))


@symbolic(_biased_conv_rule)
def biased_conv(inputs, kernel, bias, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """`conv(inputs, kernel, ...)` plus a per-channel `bias`, in one op where the backend can.

    Not part of the Keras ops namespace: the convolution layers call it so that
    PyTorch adds the bias inside its convolution kernel (one output tensor, not
    two); the result equals `conv` followed by `add` of the bias on the channel axis.

    Args:
        inputs: As in `conv`.
        kernel: As in `conv`.
        bias: A `(out_channels,)` tensor.
        strides: As in `conv`.
        padding: As in `conv`.
        data_format: As in `conv`.
        dilation_rate: As in `conv`.

    Returns:
        The convolved tensor plus the bias.

    Example:

    >>> import lamina
    >>> inputs = lamina.ops.reshape(lamina.ops.arange(5.0), (1, 5, 1))
    >>> outputs = biased_conv(inputs, lamina.ops.ones((2, 1, 1)), lamina.ops.ones((1,)))
    >>> lamina.ops.convert_to_numpy(outputs)[0, :, 0].tolist()
    [2.0, 4.0, 6.0, 8.0]
    """
    strides, pads, data_format, dilation_rate = _cached_plan(
        _conv_plan, inputs, kernel, (strides, padding, data_format, dilation_rate)
    )
    return current.nn_conv.conv(inputs, kernel, strides, list(pads), data_format, dilation_rate, bias=bias)


def _conv_plan(inputs, kernel, strides, padding, data_format, dilation_rate):
    """Validates the arguments (through the shape rule); returns what the backend needs."""
    _conv_rule(inputs, kernel, strides, padding, data_format, dilation_rate)
    input_shape, kernel_shape, rank, strides, padding, data_format, dilation_rate, spatial, _ = _arguments(
        inputs, kernel, strides, padding, data_format, dilation_rate, "conv"
    )
    pads = tuple(
        _conv_padding(size, kernel_shape[axis], strides[axis], dilation_rate[axis], padding)
        for axis, size in enumerate(spatial)
    )
    return strides, pads, data_format, dilation_rate


# Eager calls repeat the same shapes and arguments every step, so the validated
# plan (shape rule included) is computed once per distinct call signature.
_PLANS = plan_cache.PlanCache()


def _cached_plan(planner, inputs, kernel, arguments):
    """`planner(inputs, kernel, *arguments)`, memoized on shapes, dtypes, arguments and config."""
    signature = plan_cache.call_signature((inputs, kernel), arguments)
    if signature is None:
        # E.g. a nested list, or a bool / float that would compare equal to a valid int.
        return planner(inputs, kernel, *arguments)
    key = (planner, signature, config.image_data_format())
    return _PLANS.get(key, lambda: planner(inputs, kernel, *arguments))


def _transpose_padding(size, kernel_size, stride, dilation, padding, output_padding):
    """The (before, after) padding of the stride-dilated input, for one axis of `conv_transpose`."""
    kernel_size = _dilated(kernel_size, dilation)
    if padding == "valid":
        extra = max(kernel_size, stride) - kernel_size if output_padding is None else output_padding
        return (kernel_size - 1, kernel_size - 1 + extra)
    if output_padding is None:
        total = stride + kernel_size - 2
    else:
        total = kernel_size + kernel_size % 2 - 2 + output_padding
    before = min(total // 2 + total % 2, kernel_size - 1)
    return (before, total - before)


def conv_transpose_output_size(size, kernel_size, stride, dilation, padding, output_padding):
    """The output size of one spatial axis of `conv_transpose` (None when `size` is None).

    Example:

    >>> conv_transpose_output_size(4, 3, 2, 1, "valid", None)
    9
    """
    if size is None:
        return None
    before, after = _transpose_padding(size, kernel_size, stride, dilation, padding, output_padding)
    return (size - 1) * stride + 1 + before + after - _dilated(kernel_size, dilation) + 1


def _output_padding_tuple(output_padding, rank, strides, op_name):
    if output_padding is None:
        return (None,) * rank
    if isinstance(output_padding, int) and not isinstance(output_padding, bool):
        output_padding = (output_padding,) * rank
    output_padding = tuple(output_padding)
    if len(output_padding) != rank or any(
        not isinstance(item, int) or isinstance(item, bool) or item < 0 for item in output_padding
    ):
        raise ValueError(
            f"{op_name} expects output_padding to be None, a non-negative int or {rank} "
            f"non-negative ints. Received: output_padding={output_padding!r}, strides={strides}"
        )
    return output_padding


def _conv_transpose_rule(
    inputs, kernel, strides=1, padding="valid", output_padding=None, data_format=None, dilation_rate=1
):
    input_shape, kernel_shape, rank, strides, padding, data_format, dilation_rate, spatial, channels = (
        _arguments(inputs, kernel, strides, padding, data_format, dilation_rate, "conv_transpose")
    )
    output_padding = _output_padding_tuple(output_padding, rank, strides, "conv_transpose")
    if None not in (channels, kernel_shape[-1]) and channels != kernel_shape[-1]:
        raise ValueError(
            "conv_transpose expects the inputs' channel count to equal kernel.shape[-1]. Received: "
            f"inputs.shape={input_shape}, kernel.shape={kernel_shape}, data_format={data_format!r}"
        )
    spatial_output = tuple(
        conv_transpose_output_size(
            size, kernel_shape[axis], strides[axis], dilation_rate[axis], padding, output_padding[axis]
        )
        for axis, size in enumerate(spatial)
    )
    dtype = shape_rules.float_dtype(shape_rules.result_dtype(inputs, kernel))
    return KerasTensor(_output_shape(input_shape, spatial_output, kernel_shape[-2], data_format), dtype=dtype)


@symbolic(_conv_transpose_rule)
def conv_transpose(
    inputs, kernel, strides=1, padding="valid", output_padding=None, data_format=None, dilation_rate=1
):
    """N-D transposed convolution (1D, 2D or 3D), the gradient of `conv` with respect to its inputs.

    Args:
        inputs: Tensor of rank 3, 4 or 5: `(batch, *spatial, channels)` for
            `"channels_last"`, `(batch, channels, *spatial)` for `"channels_first"`.
        kernel: Tensor of shape `(*kernel_spatial, out_channels, in_channels)`.
        strides: Int or tuple of ints, the upsampling factor of each spatial axis.
        padding: `"valid"` or `"same"`.
        output_padding: None, or an int / tuple of ints (usually smaller than
            the stride): extra size added at the end of each spatial axis.
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `lamina.config.image_data_format()`.
        dilation_rate: Int or tuple of ints, the spacing of the kernel taps.

    Returns:
        The transposed-convolved tensor, in the same data format.

    Example:

    >>> import lamina
    >>> inputs = lamina.ops.ones((1, 2, 1))
    >>> kernel = lamina.ops.ones((2, 1, 1))
    >>> lamina.ops.convert_to_numpy(lamina.ops.conv_transpose(inputs, kernel, strides=2))[0, :, 0].tolist()
    [1.0, 1.0, 1.0, 1.0]
    """
    strides, pads, data_format, dilation_rate = _cached_plan(
        _conv_transpose_plan, inputs, kernel, (strides, padding, output_padding, data_format, dilation_rate)
    )
    return current.nn_conv.conv_transpose(inputs, kernel, strides, list(pads), data_format, dilation_rate)


def _conv_transpose_plan(inputs, kernel, strides, padding, output_padding, data_format, dilation_rate):
    """Validates the arguments (through the shape rule); returns what the backend needs."""
    _conv_transpose_rule(inputs, kernel, strides, padding, output_padding, data_format, dilation_rate)
    input_shape, kernel_shape, rank, strides, padding, data_format, dilation_rate, spatial, _ = _arguments(
        inputs, kernel, strides, padding, data_format, dilation_rate, "conv_transpose"
    )
    output_padding = _output_padding_tuple(output_padding, rank, strides, "conv_transpose")
    pads = tuple(
        _transpose_padding(
            size, kernel_shape[axis], strides[axis], dilation_rate[axis], padding, output_padding[axis]
        )
        for axis, size in enumerate(spatial)
    )
    return strides, pads, data_format, dilation_rate
