"""`DepthwiseConv1D`: 1D depthwise convolution layer: each input channel is convolved with its own filters."""

from lamina.layers.convolutional.base_depthwise_conv import BaseDepthwiseConv


class DepthwiseConv1D(BaseDepthwiseConv):
    """1D depthwise convolution layer: each input channel is convolved with its own filters.

    Convolves every input channel with `depth_multiplier` filters of its own (no
    mixing across channels), adds a bias (`use_bias=True`) and applies `activation`.

    Args:
        kernel_size: Int or tuple of 1 int, the size of the depthwise window.
        strides: Int or tuple of 1 int, the step of the window. Strides above 1
            cannot be combined with `dilation_rate` above 1.
        padding: `"valid"` (no padding) or `"same"` (output size `ceil(size / stride)`).
        depth_multiplier: Positive int, the number of depthwise output channels per input channel.
        data_format: `"channels_last"` (inputs `(batch_size, steps, channels)`) or
            `"channels_first"` (channels on axis 1); defaults to
            `lamina.config.image_data_format()`.
        dilation_rate: Int or tuple of 1 int, the spacing of the kernel taps.
        activation: Activation function (name or callable). Default: none.
        use_bias: Whether the layer adds a bias vector.
        depthwise_initializer: Initializer for the depthwise kernel (default `"glorot_uniform"`).
        bias_initializer: Initializer for the bias (default `"zeros"`).
        depthwise_regularizer: Regularizer for the depthwise kernel.
        bias_regularizer: Regularizer for the bias.
        activity_regularizer: Regularizer for the output.
        depthwise_constraint: Constraint for the depthwise kernel.
        bias_constraint: Constraint for the bias.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`, ...).

    Input shape:
        3D tensor `(batch_size, steps, channels)` (channels_last) or with channels on axis 1
        (channels_first).

    Output shape:
        3D tensor `(batch_size, steps, channels * depth_multiplier)` (channels_last)
        or with channels on axis 1 (channels_first).

    Example:

    >>> import lamina
    >>> layer = lamina.layers.DepthwiseConv1D(3, depth_multiplier=2)
    >>> layer(lamina.ops.ones((2, 8, 4))).shape
    (2, 6, 8)
    >>> [w.path for w in layer.weights]
    ['depthwise_conv1d/kernel', 'depthwise_conv1d/bias']
    """

    def __init__(
        self,
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
        super().__init__(
            rank=1,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            depth_multiplier=depth_multiplier,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            use_bias=use_bias,
            depthwise_initializer=depthwise_initializer,
            bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
