"""`BaseSeparableConv`: the machinery shared by SeparableConv1D and SeparableConv2D."""

from lamina import activations
from lamina import constraints
from lamina import initializers
from lamina import ops
from lamina import regularizers
from lamina.layers.convolutional.base_depthwise_conv import add_bias_and_activate
from lamina.layers.convolutional.base_depthwise_conv import check_common_arguments
from lamina.layers.convolutional.base_depthwise_conv import input_channels
from lamina.layers.convolutional.base_depthwise_conv import spatial_output_shape
from lamina.layers.layer import Layer


class BaseSeparableConv(Layer):
    """Abstract N-D separable convolution layer; subclasses fix `rank` (1 or 2).

    A depthwise convolution (kernel `kernel_size + (input_channels,
    depth_multiplier)`) followed by a pointwise one (kernel `(1,) * rank +
    (input_channels * depth_multiplier, filters)`).

    Args:
        rank: Number of spatial axes.
        filters: Positive int, the number of output channels.
        kernel_size: Int or tuple of `rank` ints, the depthwise window size.
        strides: Int or tuple of `rank` ints. Strides above 1 cannot be combined
            with a dilation rate above 1.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `lamina.config.image_data_format()`.
        dilation_rate: Int or tuple of `rank` ints, the spacing of the kernel taps.
        depth_multiplier: Positive int, the depthwise output channels per input channel.
        activation: Activation function (name or callable). Default: none.
        use_bias: Whether the layer adds a bias vector.
        depthwise_initializer: Initializer for the depthwise kernel.
        pointwise_initializer: Initializer for the pointwise kernel.
        bias_initializer: Initializer for the bias (default `"zeros"`).
        depthwise_regularizer: Regularizer for the depthwise kernel.
        pointwise_regularizer: Regularizer for the pointwise kernel.
        bias_regularizer: Regularizer for the bias.
        activity_regularizer: Regularizer for the output.
        depthwise_constraint: Constraint for the depthwise kernel.
        pointwise_constraint: Constraint for the pointwise kernel.
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
        depth_multiplier=1,
        activation=None,
        use_bias=True,
        depthwise_initializer="glorot_uniform",
        pointwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        pointwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        pointwise_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if not isinstance(filters, int) or isinstance(filters, bool) or filters <= 0:
            raise ValueError(
                f"{type(self).__name__} layer '{self.name}' expects filters to be a positive integer. "
                f"Received: filters={filters!r}"
            )
        self.filters = filters
        check_common_arguments(
            self, rank, kernel_size, strides, padding, data_format, dilation_rate, depth_multiplier
        )
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.pointwise_constraint = constraints.get(pointwise_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    def build(self, input_shape):
        channels = input_channels(self, input_shape)
        self.depthwise_kernel = self.add_weight(
            name="depthwise_kernel",
            shape=self.kernel_size + (channels, self.depth_multiplier),
            initializer=self.depthwise_initializer,
            regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint,
        )
        self.pointwise_kernel = self.add_weight(
            name="pointwise_kernel",
            shape=(1,) * self.rank + (channels * self.depth_multiplier, self.filters),
            initializer=self.pointwise_initializer,
            regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint,
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

    def call(self, inputs):
        outputs = ops.separable_conv(
            inputs,
            self.depthwise_kernel,
            self.pointwise_kernel,
            strides=self.strides,
            padding=self.padding,
            data_format=self.data_format,
            dilation_rate=self.dilation_rate,
        )
        return add_bias_and_activate(self, outputs, self.filters)

    def compute_output_shape(self, input_shape):
        return spatial_output_shape(self, input_shape, self.filters)

    def get_config(self):
        config_dict = super().get_config()
        config_dict.update(
            {
                "depth_multiplier": self.depth_multiplier,
                "filters": self.filters,
                "kernel_size": self.kernel_size,
                "strides": self.strides,
                "padding": self.padding,
                "data_format": self.data_format,
                "dilation_rate": self.dilation_rate,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
                "pointwise_initializer": initializers.serialize(self.pointwise_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "depthwise_regularizer": regularizers.serialize(self.depthwise_regularizer),
                "pointwise_regularizer": regularizers.serialize(self.pointwise_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "depthwise_constraint": constraints.serialize(self.depthwise_constraint),
                "pointwise_constraint": constraints.serialize(self.pointwise_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint),
            }
        )
        return config_dict
