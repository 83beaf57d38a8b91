"""`Conv3DTranspose`: 3D transposed convolution layer."""

from lamina.layers.convolutional.base_conv_transpose import BaseConvTranspose


class Conv3DTranspose(BaseConvTranspose):
    """3D transposed convolution layer (sometimes called deconvolution).

    Maps inputs shaped like a convolution's output back to shapes like its
    input, e.g. to upsample with learned weights.

    Args:
        filters: Positive int, the number of output channels.
        kernel_size: Int or tuple of 3 ints, the size of the convolution window.
        strides: Int or tuple of 3 ints, the upsampling factors. Strides above 1
            cannot be combined with `dilation_rate` above 1.
        padding: `"valid"` or `"same"` (output size `size * stride`).
        output_padding: None (the output size is inferred), or an int / tuple of
            3 ints, each strictly smaller than the stride: extra output size.
        data_format: `"channels_last"` (inputs `(batch_size, depth, height, width, channels)`) or
            `"channels_first"` (channels on axis 1); defaults to
            `lamina.config.image_data_format()`.
        dilation_rate: Int or tuple of 3 ints, the spacing of the kernel taps.
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
        5D tensor `(batch_size, depth, height, width, channels)` (channels_last) or with channels on axis 1
        (channels_first).

    Output shape:
        5D tensor `(batch_size, new_depth, new_height, new_width, filters)`
        (channels_last) or with filters on axis 1 (channels_first).

    Example:

    >>> import lamina
    >>> layer = lamina.layers.Conv3DTranspose(4, 3, strides=2)
    >>> layer(lamina.ops.ones((2, 2, 2, 2, 3))).shape
    (2, 5, 5, 5, 4)
    >>> [w.path for w in layer.weights]
    ['conv3d_transpose/kernel', 'conv3d_transpose/bias']
    """

    def __init__(
        self,
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
        super().__init__(
            rank=3,
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            output_padding=output_padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
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
