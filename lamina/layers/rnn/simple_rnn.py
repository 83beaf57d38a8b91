"""`SimpleRNNCell` and `SimpleRNN`: the fully connected recurrent layer."""

from lamina import activations
from lamina import constraints
from lamina import initializers
from lamina import ops
from lamina import regularizers
from lamina.layers.layer import Layer
from lamina.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from lamina.layers.rnn.rnn import RNN
from lamina.random.seed_generator import SeedGenerator


def check_units(layer, units):
    """Raises a ValueError naming `layer` unless `units` is a positive int (shared by the cells)."""
    if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
        raise ValueError(
            f"{layer._describe()} expects units to be a positive integer. Received: units={units!r}"
        )


def clip_rate(rate):
    """Clips a dropout rate into `[0, 1]`, as Keras does."""
    return min(1.0, max(0.0, float(rate)))


def cell_weights_config(cell, names):
    """The serialized activations, initializers, regularizers and constraints of a cell."""
    config = {}
    for name in names:
        value = getattr(cell, name)
        if name.endswith("activation"):
            config[name] = activations.serialize(value)
        elif name.endswith("initializer"):
            config[name] = initializers.serialize(value)
        elif name.endswith("regularizer"):
            config[name] = regularizers.serialize(value)
        else:
            config[name] = constraints.serialize(value)
    return config


class SimpleRNNCell(Layer, DropoutRNNCell):
    """Cell class for `SimpleRNN`: `output = activation(x @ kernel + h @ recurrent_kernel + bias)`.

    Args:
        units: Positive integer, dimensionality of the output space.
        activation: Activation function (default `"tanh"`).
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
        dropout: Fraction of the inputs to drop (in `[0, 1]`).
        recurrent_dropout: Fraction of the recurrent state to drop.
        seed: Random seed for dropout.
        **kwargs: Base layer arguments.

    Call arguments:
        sequence: A 2D tensor `(batch, features)`, one timestep.
        states: A list with the previous output `(batch, units)`.
        training: Whether dropout is active.

    Example:

    >>> import lamina
    >>> cell = lamina.layers.SimpleRNNCell(3)
    >>> output, states = cell(lamina.ops.ones((2, 4)), [lamina.ops.zeros((2, 3))])
    >>> output.shape, states[0].shape
    ((2, 3), (2, 3))
    """

    def __init__(
        self,
        units,
        activation="tanh",
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
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        check_units(self, units)
        self.units = units
        self.activation = activations.get(activation)
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
        self.seed = seed
        self.seed_generator = SeedGenerator(seed)
        self.state_size = units
        self.output_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(
            shape=(input_shape[-1], self.units),
            name="kernel",
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, self.units),
            name="recurrent_kernel",
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(self.units,),
                name="bias",
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )

    def call(self, sequence, states, training=False):
        nested = isinstance(states, (list, tuple))
        previous_output = states[0] if nested else states
        if training and self.dropout > 0:
            sequence = sequence * self.get_dropout_mask(sequence)
        if training and self.recurrent_dropout > 0:
            previous_output = previous_output * self.get_recurrent_dropout_mask(previous_output)
        hidden = ops.matmul(sequence, self.kernel)
        if self.bias is not None:
            hidden = hidden + self.bias
        output = hidden + ops.matmul(previous_output, self.recurrent_kernel)
        if self.activation is not None:
            output = self.activation(output)
        return output, [output] if nested else output

    def get_initial_state(self, batch_size=None):
        """Returns the zero initial state: `[zeros((batch_size, units))]`."""
        return [ops.zeros((batch_size, self.state_size), dtype=self.dtype_policy.compute_dtype)]

    def get_config(self):
        config = super().get_config()
        config.update({"units": self.units, "use_bias": self.use_bias})
        config.update(
            cell_weights_config(
                self,
                [
                    "activation",
                    "kernel_initializer",
                    "recurrent_initializer",
                    "bias_initializer",
                    "kernel_regularizer",
                    "recurrent_regularizer",
                    "bias_regularizer",
                    "kernel_constraint",
                    "recurrent_constraint",
                    "bias_constraint",
                ],
            )
        )
        config.update(
            {"dropout": self.dropout, "recurrent_dropout": self.recurrent_dropout, "seed": self.seed}
        )
        return config


def delegate_to_cell(names):
    """Class decorator: read-only properties that read the cell's settings (`layer.units`)."""

    def decorate(cls):
        for name in names:
            setattr(cls, name, property(lambda self, name=name: getattr(self.cell, name)))
        return cls

    return decorate


class CellLayerMixin:
    """Shared by SimpleRNN, LSTM and GRU: the config is the RNN's flags plus the cell's settings."""

    _cell_keys_left_out = ()

    def get_config(self):
        config = Layer.get_config(self)
        config.update(self._rnn_config())
        cell_config = self.cell.get_config()
        for key in ("name", "trainable", "dtype", *self._cell_keys_left_out):
            cell_config.pop(key, None)
        config.update(cell_config)
        config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        return config


_SIMPLE_ATTRIBUTES = (
    "units",
    "activation",
    "use_bias",
    "kernel_initializer",
    "recurrent_initializer",
    "bias_initializer",
    "kernel_regularizer",
    "recurrent_regularizer",
    "bias_regularizer",
    "kernel_constraint",
    "recurrent_constraint",
    "bias_constraint",
    "dropout",
    "recurrent_dropout",
)


@delegate_to_cell(_SIMPLE_ATTRIBUTES)
class SimpleRNN(CellLayerMixin, RNN):
    """Fully connected RNN whose output is fed back as the next step's state.

    Args:
        units: Positive integer, dimensionality of the output space.
        activation: Activation function (default `"tanh"`).
        use_bias: Whether the layer uses a bias vector.
        kernel_initializer: Initializer for the input kernel (`"glorot_uniform"`).
        recurrent_initializer: Initializer for the recurrent kernel (`"orthogonal"`).
        bias_initializer: Initializer for the bias (`"zeros"`).
        kernel_regularizer: Regularizer for the input kernel.
        recurrent_regularizer: Regularizer for the recurrent kernel.
        bias_regularizer: Regularizer for the bias.
        activity_regularizer: Regularizer for the output.
        kernel_constraint: Constraint for the input kernel.
        recurrent_constraint: Constraint for the recurrent kernel.
        bias_constraint: Constraint for the bias.
        dropout: Fraction of the inputs to drop.
        recurrent_dropout: Fraction of the recurrent state to drop.
        return_sequences: Whether to return every timestep's output.
        return_state: Whether to also return the last state.
        go_backwards: Whether to process the sequence backwards.
        stateful: Whether states carry over between batches.
        unroll: Whether to unroll the time loop.
        seed: Random seed for dropout.
        **kwargs: Base layer arguments (and `zero_output_for_mask`).

    Call arguments:
        sequences: A 3D tensor `(batch, timesteps, features)`.
        initial_state: Optional list with the initial state `(batch, units)`.
        mask: Optional boolean `(batch, timesteps)` tensor.
        training: Whether dropout is active.

    Example:

    >>> import lamina
    >>> layer = lamina.layers.SimpleRNN(4)
    >>> layer(lamina.ops.ones((2, 3, 5))).shape
    (2, 4)
    >>> [w.path for w in layer.weights][0]
    'simple_rnn/simple_rnn_cell/kernel'
    """

    _required_rank = 3
    _cell_keys_left_out = ("seed",)

    def __init__(
        self,
        units,
        activation="tanh",
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
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        seed=None,
        **kwargs,
    ):
        cell = SimpleRNNCell(
            units,
            activation=activation,
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
            seed=seed,
            dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True),
            name="simple_rnn_cell",
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
