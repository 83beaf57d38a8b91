"""`BaseConvTranspose`: the machinery shared by Conv1DTranspose, Conv2DTranspose and Conv3DTranspose."""

from lamina import config
from lamina import ops
from lamina.layers.convolutional.base_conv import checked_channels
from lamina.layers.convolutional.base_conv import set_weight_options
from lamina.layers.convolutional.base_conv import standardize_tuple
from lamina.layers.convolutional.base_conv import weight_options_config
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.ops import nn_conv


class BaseConvTranspose(Layer):
    """Abstract N-D transposed convolution layer; subclasses fix `rank` (1, 2 or 3).

    Computes `activation(conv_transpose(inputs, kernel) + bias)`, the gradient
    of a convolution with respect to its inputs (often used to upsample). The
    kernel has shape `kernel_size + (filters, input_channels)`.

    Args:
        rank: Number of spatial axes.
        filters: Positive int, the number of output channels.
        kernel_size: Int or tuple of `rank` ints, the window size.
        strides: Int or tuple of `rank` ints, the upsampling factors. Strides
            above 1 cannot be combined with a dilation rate above 1.
        padding: `"valid"` or `"same"`.
        output_padding: None (the size is inferred), or an int / tuple of `rank`
            ints, each strictly smaller than the stride: extra output size.
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `lamina.config.image_data_format()`.
        dilation_rate: Int or tuple of `rank` ints, the spacing of the kernel taps.
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
        output_padding=None,
        data_format=None,
        dilation_rate=1,
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
        self.filters = filters
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size", layer_name)
        self.strides = standardize_tuple(strides, rank, "strides", layer_name)
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate", layer_name)
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                f"{layer_name} does not support strides > 1 together with dilation_rate > 1. "
                f"Received: strides={self.strides}, dilation_rate={self.dilation_rate}"
            )
        self.output_padding = None
        if output_padding is not None:
            self.output_padding = standardize_tuple(output_padding, rank, "output_padding", layer_name, True)
            if any(extra >= stride for extra, stride in zip(self.output_padding, self.strides)):
                raise ValueError(
                    f"{layer_name} expects output_padding to be strictly smaller than strides on every "
                    f"axis. Received: output_padding={self.output_padding}, strides={self.strides}"
                )
        self.padding = str(padding).lower()
        if self.padding not in ("valid", "same"):
            raise ValueError(
                f"{layer_name} expects padding to be 'valid' or 'same'. Received: padding={padding!r}"
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
        self.input_spec = InputSpec(ndim=rank + 2)

    @property
    def _channel_axis(self):
        return -1 if self.data_format == "channels_last" else 1

    def build(self, input_shape):
        input_shape = tuple(input_shape)
        channels = checked_channels(self, input_shape)
        self.kernel = self.add_weight(
            name="kernel",
            shape=self.kernel_size + (self.filters, channels),
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
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={self._channel_axis: channels})

    def call(self, inputs):
        outputs = ops.conv_transpose(
            inputs,
            self.kernel,
            strides=self.strides,
            padding=self.padding,
            output_padding=self.output_padding,
            data_format=self.data_format,
            dilation_rate=self.dilation_rate,
        )
        if self.bias is not None:
            bias = self.bias
            if self.data_format == "channels_first":
                bias = ops.reshape(bias, (self.filters,) + (1,) * self.rank)
            outputs = ops.add(outputs, bias)
        if self.activation is not None:
            outputs = self.activation(outputs)
        return outputs

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self.data_format == "channels_last":
            spatial = input_shape[1:-1]
        else:
            spatial = input_shape[2:]
        output_padding = self.output_padding or (None,) * self.rank
        sizes = [
            nn_conv.conv_transpose_output_size(
                size,
                self.kernel_size[axis],
                self.strides[axis],
                self.dilation_rate[axis],
                self.padding,
                output_padding[axis],
            )
            for axis, size in enumerate(spatial)
        ]
        if self.data_format == "channels_last":
            return (input_shape[0], *sizes, self.filters)
        return (input_shape[0], self.filters, *sizes)

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
                "output_padding": self.output_padding,
                "data_format": self.data_format,
                "dilation_rate": self.dilation_rate,
            }
        )
        config_dict.update(weight_options_config(self))
        return config_dict
