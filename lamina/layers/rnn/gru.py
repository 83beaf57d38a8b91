"""`GRUCell` and `GRU`: the gated recurrent unit (Cho et al., 2014)."""

from lamina import activations
from lamina import constraints
from lamina import initializers
from lamina import ops
from lamina import regularizers
from lamina.layers.layer import Layer
from lamina.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from lamina.layers.rnn.lstm import _WEIGHT_SETTINGS
from lamina.layers.rnn.rnn import RNN
from lamina.layers.rnn.simple_rnn import CellLayerMixin
from lamina.layers.rnn.simple_rnn import cell_weights_config
from lamina.layers.rnn.simple_rnn import check_units
from lamina.layers.rnn.simple_rnn import clip_rate
from lamina.layers.rnn.simple_rnn import delegate_to_cell
from lamina.ops import rnn as rnn_ops
from lamina.random.seed_generator import SeedGenerator


class GRUCell(Layer, DropoutRNNCell):
    """Cell class for `GRU`: one timestep of the gated recurrent unit.

    Gates are in Keras order z (update), r (reset), h (candidate) along the
    kernels' last axis; `h = z * h_prev + (1 - z) * candidate`.

    Args:
        units: Positive integer, dimensionality of the output space.
        activation: Activation of the candidate (`"tanh"`).
        recurrent_activation: Activation of the gates (`"sigmoid"`).
        use_bias: Whether the layer uses a bias vector.
        kernel_initializer: Initializer for the input kernel.
        recurrent_initializer: Initializer for the recurrent kernel.
        bias_initializer: Initializer for the bias.
        kernel_regularizer: Regularizer for the input kernel.
        recurrent_regularizer: Regularizer for the recurrent kernel.
        bias_regularizer: Regularizer for the bias.
        kernel_constraint: Constraint for the input kernel.
        recurrent_constraint: Constraint for the recurrent kernel.
        bias_constraint: Constraint for the bias.
        dropout: Fraction of the inputs to drop.
        recurrent_dropout: Fraction of the recurrent state to drop.
        reset_after: Whether the reset gate applies after the recurrent
            matrix product (the cuDNN convention; the bias then has shape
            `(2, 3 * units)`: input and recurrent biases).
        seed: Random seed for dropout.
        **kwargs: Base layer arguments.

    Call arguments:
        inputs: A 2D tensor `(batch, features)`, one timestep.
        states: `[h]`, `(batch, units)`.
        training: Whether dropout is active.

    Example:

    >>> import lamina
    >>> cell = lamina.layers.GRUCell(3)
    >>> output, states = cell(lamina.ops.ones((2, 4)), [lamina.ops.zeros((2, 3))])
    >>> output.shape, cell.bias.shape
    ((2, 3), (2, 9))
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
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        reset_after=True,
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
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout = clip_rate(dropout)
        self.recurrent_dropout = clip_rate(recurrent_dropout)
        self.reset_after = reset_after
        self.seed = seed
        self.seed_generator = SeedGenerator(seed)
        self.state_size = units
        self.output_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(
            shape=(input_shape[-1], self.units * 3),
            name="kernel",
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, self.units * 3),
            name="recurrent_kernel",
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
        )
        self.bias = None
        if self.use_bias:
            shape = (2, self.units * 3) if self.reset_after else (self.units * 3,)
            self.bias = self.add_weight(
                shape=shape,
                name="bias",
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )

    def call(self, inputs, states, training=False):
        nested = isinstance(states, (list, tuple))
        h_previous = states[0] if nested else states
        units = self.units
        if training and self.dropout > 0:
            inputs = inputs * self.get_dropout_mask(inputs)
        if training and self.recurrent_dropout > 0:
            h_previous = h_previous * self.get_recurrent_dropout_mask(h_previous)
        input_bias = recurrent_bias = None
        if self.bias is not None:
            if self.reset_after:
                input_bias, recurrent_bias = self.bias[0], self.bias[1]
            else:
                input_bias = self.bias
        projected_inputs = ops.matmul(inputs, self.kernel)
        if input_bias is not None:
            projected_inputs = projected_inputs + input_bias
        x_z, x_r, x_h = ops.split(projected_inputs, 3, axis=-1)
        if self.reset_after:
            projected_state = ops.matmul(h_previous, self.recurrent_kernel)
            if recurrent_bias is not None:
                projected_state = projected_state + recurrent_bias
        else:
            projected_state = ops.matmul(h_previous, self.recurrent_kernel[:, : 2 * units])
        z = self.recurrent_activation(x_z + projected_state[:, :units])
        r = self.recurrent_activation(x_r + projected_state[:, units : 2 * units])
        if self.reset_after:
            recurrent_h = r * projected_state[:, 2 * units :]
        else:
            recurrent_h = ops.matmul(r * h_previous, self.recurrent_kernel[:, 2 * units :])
        candidate = self.activation(x_h + recurrent_h)
        h = z * h_previous + (1 - z) * candidate
        return h, [h] if nested else h

    def get_initial_state(self, batch_size=None):
        """Returns the zero initial state: `[zeros((batch_size, units))]`."""
        return [ops.zeros((batch_size, self.state_size), dtype=self.dtype_policy.compute_dtype)]

    def get_config(self):
        config = super().get_config()
        config.update({"units": self.units, "use_bias": self.use_bias})
        config.update(cell_weights_config(self, _WEIGHT_SETTINGS))
        config.update(
            {
                "dropout": self.dropout,
                "recurrent_dropout": self.recurrent_dropout,
                "reset_after": self.reset_after,
                "seed": self.seed,
            }
        )
        return config


@delegate_to_cell(["units", "use_bias", "dropout", "recurrent_dropout", "reset_after", *_WEIGHT_SETTINGS])
class GRU(CellLayerMixin, RNN):
    """Gated recurrent unit layer (Cho et al., 2014).

    On the torch backend, a configuration torch's fused kernel computes
    exactly (`reset_after=True`, tanh/sigmoid, no recurrent dropout, no
    mask, not unrolled, float32) runs `torch.gru`; otherwise the generic
    time loop runs.

    Args:
        units: Positive integer, dimensionality of the output space.
        activation: Activation of the candidate (`"tanh"`).
        recurrent_activation: Activation of the gates (`"sigmoid"`).
        use_bias: Whether the layer uses a bias vector.
        kernel_initializer: Initializer for the input kernel.
        recurrent_initializer: Initializer for the recurrent kernel.
        bias_initializer: Initializer for the bias.
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
        return_state: Whether to also return the last state.
        go_backwards: Whether to process the sequence backwards.
        stateful: Whether states carry over between batches.
        unroll: Whether to unroll the time loop.
        reset_after: Whether the reset gate applies after the recurrent
            matrix product (default True, the cuDNN convention).
        use_cudnn: Whether to use a fused kernel (`"auto"`: where exact).
        **kwargs: Base layer arguments (and `zero_output_for_mask`).

    Call arguments:
        sequences: A 3D tensor `(batch, timesteps, features)`.
        initial_state: Optional list `[h]` with the initial state.
        mask: Optional boolean `(batch, timesteps)` tensor.
        training: Whether dropout is active.

    Example:

    >>> import lamina
    >>> layer = lamina.layers.GRU(4, return_sequences=True)
    >>> layer(lamina.ops.ones((2, 3, 5))).shape
    (2, 3, 4)
    >>> [w.shape for w in layer.weights]
    [(5, 12), (4, 12), (2, 12)]
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
        reset_after=True,
        use_cudnn="auto",
        **kwargs,
    ):
        cell = GRUCell(
            units,
            activation=activation,
            recurrent_activation=recurrent_activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            reset_after=reset_after,
            seed=seed,
            dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True),
            name="gru_cell",
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
            lambda fused_sequences: rnn_ops.gru(
                fused_sequences,
                initial_state[0],
                mask,
                self.cell.kernel,
                self.cell.recurrent_kernel,
                self.cell.bias,
                self.cell.activation,
                self.cell.recurrent_activation,
                return_sequences=self.return_sequences,
                go_backwards=self.go_backwards,
                unroll=self.unroll,
                reset_after=self.reset_after,
                zero_output_for_mask=self.zero_output_for_mask,
            ),
        )
