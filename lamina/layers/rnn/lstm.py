"""`LSTMCell` and `LSTM`: the long short-term memory layer (Hochreiter & Schmidhuber, 1997)."""

from lamina import activations
from lamina import constraints
from lamina import initializers
from lamina import ops
from lamina import regularizers
from lamina.layers.layer import Layer
from lamina.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from lamina.layers.rnn.rnn import RNN
from lamina.layers.rnn.simple_rnn import CellLayerMixin
from lamina.layers.rnn.simple_rnn import cell_weights_config
from lamina.layers.rnn.simple_rnn import check_units
from lamina.layers.rnn.simple_rnn import clip_rate
from lamina.layers.rnn.simple_rnn import delegate_to_cell
from lamina.ops import rnn as rnn_ops
from lamina.random.seed_generator import SeedGenerator

_WEIGHT_SETTINGS = [
    "activation",
    "recurrent_activation",
    "kernel_initializer",
    "recurrent_initializer",
    "bias_initializer",
    "kernel_regularizer",
    "recurrent_regularizer",
    "bias_regularizer",
    "kernel_constraint",
    "recurrent_constraint",
    "bias_constraint",
]


class _ForgetBiasInitializer:
    """Bias blocks i, f, c, o: the bias initializer's values, with ones for the forget gate."""

    def __init__(self, bias_initializer, units):
        self.bias_initializer = bias_initializer
        self.units = units

    def __call__(self, shape, dtype=None):
        units = self.units
        return ops.concatenate(
            [
                self.bias_initializer((units,), dtype=dtype),
                ops.ones((units,), dtype=dtype),
                self.bias_initializer((units * 2,), dtype=dtype),
            ]
        )


class LSTMCell(Layer, DropoutRNNCell):
    """Cell class for `LSTM`: one timestep of the long short-term memory.

    Gates are in Keras order i, f, c, o along the kernels' last axis:
    `c = f * c_prev + i * activation(z_c)`, `h = o * activation(c)`.

    Args:
        units: Positive integer, dimensionality of the output space.
        activation: Activation of the cell candidate and output (`"tanh"`).
        recurrent_activation: Activation of the gates (`"sigmoid"`).
        use_bias: Whether the layer uses a bias vector.
        kernel_initializer: Initializer for the input kernel.
        recurrent_initializer: Initializer for the recurrent kernel.
        bias_initializer: Initializer for the bias.
        unit_forget_bias: Whether to add 1 to the forget gate's bias at
            initialization (then `bias_initializer` is used for the rest).
        kernel_regularizer: Regularizer for the input kernel.
        recurrent_regularizer: Regularizer for the recurrent kernel.
        bias_regularizer: Regularizer for the bias.
        kernel_constraint: Constraint for the input kernel.
        recurrent_constraint: Constraint for the recurrent kernel.
        bias_constraint: Constraint for the bias.
        dropout: Fraction of the inputs to drop.
        recurrent_dropout: Fraction of the recurrent state to drop.
        seed: Random seed for dropout.
        **kwargs: Base layer arguments.

    Call arguments:
        inputs: A 2D tensor `(batch, features)`, one timestep.
        states: `[h, c]`, each `(batch, units)`.
        training: Whether dropout is active.

    Example:

    >>> import lamina
    >>> cell = lamina.layers.LSTMCell(3)
    >>> output, (h, c) = cell(lamina.ops.ones((2, 4)), [lamina.ops.zeros((2, 3))] * 2)
    >>> output.shape, c.shape
    ((2, 3), (2, 3))
    """

    def __init__(
        self,
        units,
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
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        check_units(self, units)
        self.units = units
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.unit_forget_bias = unit_forget_bias
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout = clip_rate(dropout)
        self.recurrent_dropout = clip_rate(recurrent_dropout)
        self.seed = seed
        self.seed_generator = SeedGenerator(seed)
        self.state_size = [units, units]
        self.output_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(
            shape=(input_shape[-1], self.units * 4),
            name="kernel",
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, self.units * 4),
            name="recurrent_kernel",
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
        )
        self.bias = None
        if self.use_bias:
            initializer = self.bias_initializer
            if self.unit_forget_bias:
                initializer = _ForgetBiasInitializer(self.bias_initializer, self.units)
            self.bias = self.add_weight(
                shape=(self.units * 4,),
                name="bias",
                initializer=initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )

    def call(self, inputs, states, training=False):
        h_previous, c_previous = states[0], states[1]
        if training and self.dropout > 0:
            inputs = inputs * self.get_dropout_mask(inputs)
        if training and self.recurrent_dropout > 0:
            h_previous = h_previous * self.get_recurrent_dropout_mask(h_previous)
        z = ops.matmul(inputs, self.kernel) + ops.matmul(h_previous, self.recurrent_kernel)
        if self.bias is not None:
            z = z + self.bias
        z_input, z_forget, z_cell, z_output = ops.split(z, 4, axis=-1)
        input_gate = self.recurrent_activation(z_input)
        forget_gate = self.recurrent_activation(z_forget)
        c = forget_gate * c_previous + input_gate * self.activation(z_cell)
        h = self.recurrent_activation(z_output) * self.activation(c)
        return h, [h, c]

    def get_initial_state(self, batch_size=None):
        """Returns zero `[h, c]` states of shape `(batch_size, units)`."""
        dtype = self.dtype_policy.compute_dtype
        return [ops.zeros((batch_size, size), dtype=dtype) for size in self.state_size]

    def get_config(self):
        config = super().get_config()
        config.update(
            {"units": self.units, "use_bias": self.use_bias, "unit_forget_bias": self.unit_forget_bias}
        )
        config.update(cell_weights_config(self, _WEIGHT_SETTINGS))
        config.update(
            {"dropout": self.dropout, "recurrent_dropout": self.recurrent_dropout, "seed": self.seed}
        )
        return config


@delegate_to_cell(
    ["units", "use_bias", "unit_forget_bias", "dropout", "recurrent_dropout", *_WEIGHT_SETTINGS]
)
class LSTM(CellLayerMixin, RNN):
    """Long short-term memory layer (Hochreiter & Schmidhuber, 1997).

    On the torch backend, a configuration torch's fused kernel computes
    exactly (tanh/sigmoid, no recurrent dropout, no mask or a right-padded one, not unrolled,
    float32) runs `torch.lstm`; otherwise the generic time loop runs.

    Args:
        units: Positive integer, dimensionality of the output space.
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
        unroll: Whether to unroll the time loop.
        use_cudnn: Whether to use a fused kernel (`"auto"`: where exact).
        **kwargs: Base layer arguments (and `zero_output_for_mask`).

    Call arguments:
        sequences: A 3D tensor `(batch, timesteps, features)`.
        initial_state: Optional list `[h, c]` of initial states.
        mask: Optional boolean `(batch, timesteps)` tensor.
        training: Whether dropout is active.

    Example:

    >>> import lamina
    >>> layer = lamina.layers.LSTM(4, return_state=True)
    >>> output, h, c = layer(lamina.ops.ones((2, 3, 5)))
    >>> output.shape, c.shape
    ((2, 4), (2, 4))
    >>> [w.path for w in layer.weights][0]
    'lstm/lstm_cell/kernel'
    """

    _required_rank = 3

    def __init__(
        self,
        units,
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
        unroll=False,
        use_cudnn="auto",
        **kwargs,
    ):
        cell = LSTMCell(
            units,
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
            kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            seed=seed,
            dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True),
            name="lstm_cell",
        )
        super().__init__(
            cell,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            unroll=unroll,
            activity_regularizer=activity_regularizer,
            **kwargs,
        )
        self.use_cudnn = use_cudnn

    def inner_loop(self, sequences, initial_state, mask, training=False):
        return self.fused_or_generic_loop(
            sequences,
            initial_state,
            mask,
            training,
            lambda fused_sequences: rnn_ops.lstm(
                fused_sequences,
                initial_state[0],
                initial_state[1],
                mask,
                self.cell.kernel,
                self.cell.recurrent_kernel,
                self.cell.bias,
                self.cell.activation,
                self.cell.recurrent_activation,
                return_sequences=self.return_sequences,
                go_backwards=self.go_backwards,
                unroll=self.unroll,
                zero_output_for_mask=self.zero_output_for_mask,
            ),
        )
