"""`Conv2D`: 2D convolution layer."""

from lamina.layers.convolutional.base_conv import BaseConv


class Conv2D(BaseConv):
    """2D convolution layer (e.g. spatial convolution over images).

    Convolves the inputs with a kernel of `filters` output channels, adds a
    bias (`use_bias=True`) and applies `activation`.

    Args:
        filters: Positive int, the number of output channels.
        kernel_size: Int or tuple of 2 ints, the size of the convolution window.
        strides: Int or tuple of 2 ints, the step of the window. Strides above 1
            cannot be combined with `dilation_rate` above 1.
        padding: `"valid"` (no padding) or `"same"` (output size `ceil(size / stride)`).
        data_format: `"channels_last"` (inputs `(batch_size, height, width, channels)`) or
            `"channels_first"` (channels on axis 1); defaults to
            `lamina.config.image_data_format()`.
        dilation_rate: Int or tuple of 2 ints, the spacing of the kernel taps.
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

    Input shape:
        4D tensor `(batch_size, height, width, channels)` (channels_last) or with channels on axis 1
        (channels_first).

    Output shape:
        4D tensor `(batch_size, new_height, new_width, filters)` (channels_last) or with filters on axis 1
        (channels_first).

    Example:

    >>> import lamina
    >>> layer = lamina.layers.Conv2D(4, 3, activation="relu")
    >>> layer(lamina.ops.ones((2, 6, 6, 3))).shape
    (2, 4, 4, 4)
    >>> [w.path for w in layer.weights]
    ['conv2d/kernel', 'conv2d/bias']
    """

    def __init__(
        self,
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
        super().__init__(
            rank=2,
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            groups=groups,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
