"""`BaseDepthwiseConv`: the machinery shared by DepthwiseConv1D and DepthwiseConv2D."""

from lamina import activations
from lamina import config
from lamina import constraints
from lamina import initializers
from lamina import ops
from lamina import regularizers
from lamina.layers.convolutional.base_conv import standardize_tuple
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer


def spatial_output_shape(layer, input_shape, channels):
    """The output shape of a (depthwise or separable) convolution layer with `channels` output channels."""
    input_shape = tuple(input_shape)
    first = 1 if layer.data_format == "channels_last" else 2
    spatial = []
    for index in range(layer.rank):
        size = input_shape[first + index]
        taps = (layer.kernel_size[index] - 1) * layer.dilation_rate[index] + 1
        if size is None:
            spatial.append(None)
        elif layer.padding == "same":
            spatial.append(-(-size // layer.strides[index]))
        else:
            if size < taps:
                raise ValueError(
                    f"{type(layer).__name__} layer '{layer.name}' with padding='valid' needs spatial sizes "
                    f"of at least the dilated kernel size {taps}. Received input_shape={input_shape}. "
                    "To fix: pass larger inputs or use padding='same'."
                )
            spatial.append((size - taps) // layer.strides[index] + 1)
    if layer.data_format == "channels_last":
        return (input_shape[0], *spatial, channels)
    return (input_shape[0], channels, *spatial)


def check_common_arguments(
    layer, rank, kernel_size, strides, padding, data_format, dilation_rate, depth_multiplier
):
    """Validates and stores the arguments shared by depthwise and separable layers."""
    layer_name = f"{type(layer).__name__} layer '{layer.name}'"
    if not isinstance(depth_multiplier, int) or isinstance(depth_multiplier, bool) or depth_multiplier <= 0:
        raise ValueError(
            f"{layer_name} expects depth_multiplier to be a positive integer. "
            f"Received: depth_multiplier={depth_multiplier!r}"
        )
    layer.rank = rank
    layer.depth_multiplier = depth_multiplier
    layer.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size", layer_name)
    layer.strides = standardize_tuple(strides, rank, "strides", layer_name)
    layer.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate", layer_name)
    if max(layer.strides) > 1 and max(layer.dilation_rate) > 1:
        raise ValueError(
            f"{layer_name} does not support strides > 1 together with dilation_rate > 1. "
            f"Received: strides={layer.strides}, dilation_rate={layer.dilation_rate}"
        )
    layer.padding = str(padding).lower()
    if layer.padding not in ("valid", "same"):
        raise ValueError(
            f"{layer_name} expects padding to be 'valid' or 'same'. Received: padding={padding!r}"
        )
    layer.data_format = config.standardize_data_format(data_format)
    layer.input_spec = InputSpec(ndim=rank + 2)


def input_channels(layer, input_shape):
    """The channel count of `input_shape`; raises a ValueError naming the layer when unknown."""
    input_shape = tuple(input_shape)
    if len(input_shape) != layer.rank + 2:
        raise ValueError(
            f"{type(layer).__name__} layer '{layer.name}' expects inputs of rank {layer.rank + 2} "
            f"(batch, {layer.rank} spatial axes, channels). Received input_shape={input_shape}."
        )
    axis = -1 if layer.data_format == "channels_last" else 1
    channels = input_shape[axis]
    if channels is None:
        raise ValueError(
            f"{type(layer).__name__} layer '{layer.name}' needs to know the channel axis size of its "
            f"inputs. Received input_shape={input_shape}, data_format={layer.data_format!r}."
        )
    layer.input_spec = InputSpec(ndim=layer.rank + 2, axes={axis: channels})
    return channels


def add_bias_and_activate(layer, outputs, channels):
    """Adds `layer.bias` (on the channel axis) and applies `layer.activation`."""
    if layer.bias is not None:
        bias = layer.bias
        if layer.data_format == "channels_first":
            bias = ops.reshape(bias, (channels,) + (1,) * layer.rank)
        outputs = ops.add(outputs, bias)
    if layer.activation is not None:
        outputs = layer.activation(outputs)
    return outputs


class BaseDepthwiseConv(Layer):
    """Abstract N-D depthwise convolution layer; subclasses fix `rank` (1 or 2).

    Each input channel is convolved with its own `depth_multiplier` filters;
    the kernel has shape `kernel_size + (input_channels, depth_multiplier)`.

    Args:
        rank: Number of spatial axes.
        kernel_size: Int or tuple of `rank` ints, the window size.
        strides: Int or tuple of `rank` ints. Strides above 1 cannot be combined
            with a dilation rate above 1.
        padding: `"valid"` or `"same"`.
        depth_multiplier: Positive int, the number of output channels per input channel.
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `lamina.config.image_data_format()`.
        dilation_rate: Int or tuple of `rank` ints, the spacing of the kernel taps.
        activation: Activation function (name or callable). Default: none.
        use_bias: Whether the layer adds a bias vector.
        depthwise_initializer: Initializer for the kernel (default `"glorot_uniform"`).
        bias_initializer: Initializer for the bias (default `"zeros"`).
        depthwise_regularizer: Regularizer for the kernel.
        bias_regularizer: Regularizer for the bias.
        activity_regularizer: Regularizer for the output.
        depthwise_constraint: Constraint for the kernel.
        bias_constraint: Constraint for the bias.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`, ...).
    """

    def __init__(
        self,
        rank,
        kernel_size,
        strides=1,
        padding="valid",
        depth_multiplier=1,
        data_format=None,
        dilation_rate=1,
        activation=None,
        use_bias=True,
        depthwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        check_common_arguments(
            self, rank, kernel_size, strides, padding, data_format, dilation_rate, depth_multiplier
        )
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    def build(self, input_shape):
        channels = input_channels(self, input_shape)
        self.kernel = self.add_weight(
            name="kernel",
            shape=self.kernel_size + (channels, self.depth_multiplier),
            initializer=self.depthwise_initializer,
            regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint,
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias",
                shape=(channels * self.depth_multiplier,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )

    def call(self, inputs):
        outputs = ops.depthwise_conv(
            inputs,
            self.kernel,
            strides=self.strides,
            padding=self.padding,
            data_format=self.data_format,
            dilation_rate=self.dilation_rate,
        )
        return add_bias_and_activate(self, outputs, self.kernel.shape[-2] * self.depth_multiplier)

    def compute_output_shape(self, input_shape):
        channels = tuple(input_shape)[-1 if self.data_format == "channels_last" else 1]
        channels = None if channels is None else channels * self.depth_multiplier
        return spatial_output_shape(self, input_shape, channels)

    def get_config(self):
        config_dict = super().get_config()
        config_dict.update(
            {
                "depth_multiplier": self.depth_multiplier,
                "kernel_size": self.kernel_size,
                "strides": self.strides,
                "padding": self.padding,
                "data_format": self.data_format,
                "dilation_rate": self.dilation_rate,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "depthwise_regularizer": regularizers.serialize(self.depthwise_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "depthwise_constraint": constraints.serialize(self.depthwise_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint),
            }
        )
        return config_dict
