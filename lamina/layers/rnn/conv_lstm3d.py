"""`ConvLSTM3D`: the 3D convolutional LSTM layer."""

from lamina.layers.rnn.conv_lstm import ConvLSTM


class ConvLSTM3D(ConvLSTM):
    """3D convolutional LSTM: an LSTM whose input and recurrent transforms are convolutions.

    Inputs are `(batch, time, depth, rows, cols, channels)` with `data_format="channels_last"`, or
    `(batch, time, channels, depth, rows, cols)` with `"channels_first"`. Outputs have
    `filters` channels; their spatial size follows the input convolution
    (`padding`, `strides`, `dilation_rate`); the recurrent convolution keeps
    it (stride 1, `"same"` padding).

    Args:
        filters: Positive int, the number of output channels.
        kernel_size: Int or tuple of 3 ints, the convolution window.
        strides: Int or tuple of 3 ints (input convolution). Strides above 1
            cannot be combined with a dilation rate above 1.
        padding: `"valid"` or `"same"` (input convolution).
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `lamina.config.image_data_format()`.
        dilation_rate: Int or tuple of 3 ints (input convolution).
        activation: Activation of the cell candidate and output (`"tanh"`).
        recurrent_activation: Activation of the gates (`"sigmoid"`).
        use_bias: Whether the layer uses a bias vector.
        kernel_initializer: Initializer for the input kernel.
        recurrent_initializer: Initializer for the recurrent kernel.
        bias_initializer: Initializer for the bias.
        unit_forget_bias: Whether to initialize the forget gate's bias to 1.
        kernel_regularizer: Regularizer for the input kernel.
        recurrent_regularizer: Regularizer for the recurrent kernel.
        bias_regularizer: Regularizer for the bias.
        activity_regularizer: Regularizer for the output.
        kernel_constraint: Constraint for the input kernel.
        recurrent_constraint: Constraint for the recurrent kernel.
        bias_constraint: Constraint for the bias.
        dropout: Fraction of the inputs to drop.
        recurrent_dropout: Fraction of the recurrent state to drop.
        seed: Random seed for dropout.
        return_sequences: Whether to return every timestep's output.
        return_state: Whether to also return the last states `h, c`.
        go_backwards: Whether to process the sequence backwards.
        stateful: Whether states carry over between batches.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Call arguments:
        sequences: A 6D tensor of sequences.
        initial_state: Optional list `[h, c]` of initial states.
        mask: Optional boolean `(batch, time)` tensor.
        training: Whether dropout is active.

    Example:

    >>> import lamina
    >>> layer = lamina.layers.ConvLSTM3D(3, kernel_size=3)
    >>> layer(lamina.ops.ones((2, 3, 5, 5, 5, 4))).shape
    (2, 3, 3, 3, 3)
    >>> layer.weights[0].path
    'conv_lstm3d/conv_lstm_cell/kernel'
    """

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        unit_forget_bias=True,
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        seed=None,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        **kwargs,
    ):
        super().__init__(
            rank=3,
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            recurrent_activation=recurrent_activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            unit_forget_bias=unit_forget_bias,
            kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            seed=seed,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            **kwargs,
        )
