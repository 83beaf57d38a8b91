"""`SeparableConv2D`: 2D separable convolution layer: a depthwise convolution followed by a pointwise one."""

from lamina.layers.convolutional.base_separable_conv import BaseSeparableConv


class SeparableConv2D(BaseSeparableConv):
    """2D separable convolution layer: a depthwise convolution followed by a pointwise one.

    Convolves every input channel on its own (`depth_multiplier` filters each), mixes
    the channels with a 1x1 convolution into `filters` outputs, adds a bias
    (`use_bias=True`) and applies `activation`.

    Args:
        filters: Positive int, the number of output channels.
        kernel_size: Int or tuple of 2 ints, the size of the depthwise window.
        strides: Int or tuple of 2 ints, the step of the window. Strides above 1
            cannot be combined with `dilation_rate` above 1.
        padding: `"valid"` (no padding) or `"same"` (output size `ceil(size / stride)`).
        data_format: `"channels_last"` (inputs `(batch_size, height, width, channels)`) or
            `"channels_first"` (channels on axis 1); defaults to
            `lamina.config.image_data_format()`.
        dilation_rate: Int or tuple of 2 ints, the spacing of the kernel taps.
        depth_multiplier: Positive int, the number of depthwise output channels per input channel.
        activation: Activation function (name or callable). Default: none.
        use_bias: Whether the layer adds a bias vector.
        depthwise_initializer: Initializer for the depthwise kernel (default `"glorot_uniform"`).
        pointwise_initializer: Initializer for the pointwise kernel (default `"glorot_uniform"`).
        bias_initializer: Initializer for the bias (default `"zeros"`).
        depthwise_regularizer: Regularizer for the depthwise kernel.
        pointwise_regularizer: Regularizer for the pointwise kernel.
        bias_regularizer: Regularizer for the bias.
        activity_regularizer: Regularizer for the output.
        depthwise_constraint: Constraint for the depthwise kernel.
        pointwise_constraint: Constraint for the pointwise kernel.
        bias_constraint: Constraint for the bias.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`, ...).

    Input shape:
        4D tensor `(batch_size, height, width, channels)` (channels_last) or with channels on axis 1
        (channels_first).

    Output shape:
        4D tensor `(batch_size, new_height, new_width, filters)` (channels_last) or with channels on axis 1
        (channels_first).

    Example:

    >>> import lamina
    >>> layer = lamina.layers.SeparableConv2D(4, 3)
    >>> layer(lamina.ops.ones((2, 6, 6, 3))).shape
    (2, 4, 4, 4)
    >>> [w.path for w in layer.weights]
    ['separable_conv2d/depthwise_kernel', 'separable_conv2d/pointwise_kernel', 'separable_conv2d/bias']
    """

    def __init__(
        self,
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
        super().__init__(
            rank=2,
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            depth_multiplier=depth_multiplier,
            activation=activation,
            use_bias=use_bias,
            depthwise_initializer=depthwise_initializer,
            pointwise_initializer=pointwise_initializer,
            bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer,
            pointwise_regularizer=pointwise_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint,
            pointwise_constraint=pointwise_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
