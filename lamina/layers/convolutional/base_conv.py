"""`BaseConv`: the machinery shared by Conv1D, Conv2D and Conv3D (arguments, weights, call, config)."""

from lamina import activations
from lamina import config
from lamina import constraints
from lamina import initializers
from lamina import ops
from lamina import regularizers
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.ops import nn_conv


def standardize_tuple(value, rank, name, layer_name, allow_zero=False):
    """`value` as a tuple of `rank` ints (an int is repeated); raises a ValueError naming the layer."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = (value,) * rank
    try:
        value = tuple(value)
    except TypeError:
        value = (value,)
    lowest = 0 if allow_zero else 1
    if len(value) != rank or not all(
        isinstance(item, int) and not isinstance(item, bool) and item >= lowest for item in value
    ):
        kind = "non-negative" if allow_zero else "positive"
        raise ValueError(
            f"{layer_name} expects {name} to be a {kind} int or a tuple of {rank} {kind} ints. "
            f"Received: {name}={value!r}"
        )
    return value


def set_weight_options(
    layer,
    activation,
    use_bias,
    kernel_initializer,
    bias_initializer,
    kernel_regularizer,
    bias_regularizer,
    kernel_constraint,
    bias_constraint,
):
    """Resolves and stores the kernel/bias options every convolution layer takes."""
    layer.activation = activations.get(activation)
    layer.use_bias = use_bias
    layer.kernel_initializer = initializers.get(kernel_initializer)
    layer.bias_initializer = initializers.get(bias_initializer)
    layer.kernel_regularizer = regularizers.get(kernel_regularizer)
    layer.bias_regularizer = regularizers.get(bias_regularizer)
    layer.kernel_constraint = constraints.get(kernel_constraint)
    layer.bias_constraint = constraints.get(bias_constraint)


def weight_options_config(layer):
    """The config entries of the options `set_weight_options` stored, in Keras's key order."""
    return {
        "activation": activations.serialize(layer.activation),
        "use_bias": layer.use_bias,
        "kernel_initializer": initializers.serialize(layer.kernel_initializer),
        "bias_initializer": initializers.serialize(layer.bias_initializer),
        "kernel_regularizer": regularizers.serialize(layer.kernel_regularizer),
        "bias_regularizer": regularizers.serialize(layer.bias_regularizer),
        "activity_regularizer": regularizers.serialize(layer.activity_regularizer),
        "kernel_constraint": constraints.serialize(layer.kernel_constraint),
        "bias_constraint": constraints.serialize(layer.bias_constraint),
    }


def checked_channels(layer, input_shape):
    """The channel count of `input_shape`; a ValueError naming the layer for a wrong rank or unknown size."""
    if len(input_shape) != layer.rank + 2:
        raise ValueError(
            f"{layer._describe()} expects inputs of rank {layer.rank + 2} (batch, {layer.rank} spatial "
            f"axes, channels). Received input_shape={input_shape}."
        )
    channels = input_shape[layer._channel_axis]
    if channels is None:
        raise ValueError(
            f"{layer._describe()} needs to know the channel axis size of its inputs to create its "
            f"kernel. Received input_shape={input_shape}, data_format={layer.data_format!r}."
        )
    return channels


class BaseConv(Layer):
    """Abstract N-D convolution layer; subclasses fix `rank` (1, 2 or 3).

    Computes `activation(conv(inputs, kernel) + bias)`. The kernel has shape
    `kernel_size + (input_channels // groups, filters)`.

    Args:
        rank: Number of spatial axes.
        filters: Positive int, the number of output channels.
        kernel_size: Int or tuple of `rank` ints, the window size.
        strides: Int or tuple of `rank` ints. Strides above 1 cannot be combined
            with a dilation rate above 1.
        padding: `"valid"` or `"same"` (and `"causal"` for 1D convolutions).
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `lamina.config.image_data_format()`.
        dilation_rate: Int or tuple of `rank` ints, the spacing of the kernel taps.
        groups: Positive int dividing both the input channels and `filters`;
            each group of input channels is convolved with its own filters.
        activation: Activation function (name or callable). Default: none.
        use_bias: Whether the layer adds a bias vector.
        kernel_initializer: Initializer for the kernel (default `"glorot_uniform"`).
        bias_initializer: Initializer for the bias (default `"zeros"`).
        kernel_regularizer: Regularizer for the kernel.
        bias_regularizer: Regularizer for the bias.
        activity_regularizer: Regularizer for the output.
        kernel_constraint: Constraint for the kernel.
        bias_constraint: Constraint for the bias.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`, ...).
    """

    def __init__(
        self,
        rank,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        groups=1,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.rank = rank
        layer_name = f"{type(self).__name__} layer '{self.name}'"
        if not isinstance(filters, int) or isinstance(filters, bool) or filters <= 0:
            raise ValueError(
                f"{layer_name} expects filters to be a positive integer. Received: filters={filters!r}"
            )
        if not isinstance(groups, int) or isinstance(groups, bool) or groups <= 0:
            raise ValueError(
                f"{layer_name} expects groups to be a positive integer. Received: groups={groups!r}"
            )
        if filters % groups:
            raise ValueError(
                f"{layer_name} expects filters to be divisible by groups. "
                f"Received: filters={filters}, groups={groups}"
            )
        self.filters = filters
        self.groups = groups
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size", layer_name)
        self.strides = standardize_tuple(strides, rank, "strides", layer_name)
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate", layer_name)
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                f"{layer_name} does not support strides > 1 together with dilation_rate > 1. "
                f"Received: strides={self.strides}, dilation_rate={self.dilation_rate}"
            )
        self.padding = str(padding).lower()
        allowed = ("valid", "same", "causal") if rank == 1 else ("valid", "same")
        if self.padding not in allowed:
            raise ValueError(
                f"{layer_name} expects padding to be one of {allowed}. Received: padding={padding!r}"
            )
        self.data_format = config.standardize_data_format(data_format)
        set_weight_options(
            self,
            activation,
            use_bias,
            kernel_initializer,
            bias_initializer,
            kernel_regularizer,
            bias_regularizer,
            kernel_constraint,
            bias_constraint,
        )
        self.input_spec = InputSpec(min_ndim=rank + 2)

    @property
    def _channel_axis(self):
        return -1 if self.data_format == "channels_last" else 1

    def build(self, input_shape):
        input_shape = tuple(input_shape)
        channels = checked_channels(self, input_shape)
        if channels % self.groups:
            raise ValueError(
                f"{self._describe()} expects the input channels to be divisible by groups={self.groups}. "
                f"Received input_shape={input_shape} ({channels} channels)."
            )
        self.kernel = self.add_weight(
            name="kernel",
            shape=self.kernel_size + (channels // self.groups, self.filters),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias",
                shape=(self.filters,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        self.input_spec = InputSpec(min_ndim=self.rank + 2, axes={self._channel_axis: channels})

    def _causal_pad(self, inputs):
        left = self.dilation_rate[0] * (self.kernel_size[0] - 1)
        if self.data_format == "channels_last":
            return ops.pad(inputs, [(0, 0), (left, 0), (0, 0)])
        return ops.pad(inputs, [(0, 0), (0, 0), (left, 0)])

    def call(self, inputs):
        padding = self.padding
        if padding == "causal":
            inputs = self._causal_pad(inputs)
            padding = "valid"
        arguments = {
            "strides": self.strides,
            "padding": padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
        }
        if self.bias is None:
            outputs = ops.conv(inputs, self.kernel, **arguments)
        else:
            outputs = nn_conv.biased_conv(inputs, self.kernel, self.bias, **arguments)
        if self.activation is not None:
            outputs = self.activation(outputs)
        return outputs

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        spatial_axes = (
            range(1, self.rank + 1) if self.data_format == "channels_last" else range(2, self.rank + 2)
        )
        spatial = []
        for index, axis in enumerate(spatial_axes):
            size = input_shape[axis]
            taps = (self.kernel_size[index] - 1) * self.dilation_rate[index] + 1
            if size is None:
                spatial.append(None)
            elif self.padding == "same":
                spatial.append(-(-size // self.strides[index]))
            elif self.padding == "causal":
                spatial.append((size - 1) // self.strides[index] + 1)
            else:
                if size < taps:
                    raise ValueError(
                        f"{self._describe()} with padding='valid' needs spatial sizes of at least the "
                        f"dilated kernel size {taps}. Received input_shape={input_shape}. To fix: pass "
                        "larger inputs or use padding='same'."
                    )
                spatial.append((size - taps) // self.strides[index] + 1)
        if self.data_format == "channels_last":
            return (input_shape[0], *spatial, self.filters)
        return (input_shape[0], self.filters, *spatial)

    def _describe(self):
        return (
            f"{type(self).__name__} layer '{self.name}' "
            f"(filters={self.filters}, kernel_size={self.kernel_size})"
        )

    def get_config(self):
        config_dict = super().get_config()
        config_dict.update(
            {
                "filters": self.filters,
                "kernel_size": self.kernel_size,
                "strides": self.strides,
                "padding": self.padding,
                "data_format": self.data_format,
                "dilation_rate": self.dilation_rate,
                "groups": self.groups,
            }
        )
        config_dict.update(weight_options_config(self))
        return config_dict
