"""`ConvLSTMCell` and `ConvLSTM`: the LSTM whose input and recurrent transforms are convolutions."""

from lamina import activations
from lamina import config
from lamina import constraints
from lamina import initializers
from lamina import ops
from lamina import regularizers
from lamina.backend import current
from lamina.layers.convolutional.base_conv import standardize_tuple
from lamina.layers.layer import Layer
from lamina.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from lamina.layers.rnn.lstm import _ForgetBiasInitializer
from lamina.layers.rnn.rnn import RNN
from lamina.layers.rnn.simple_rnn import cell_weights_config
from lamina.layers.rnn.simple_rnn import clip_rate
from lamina.layers.rnn.simple_rnn import delegate_to_cell
from lamina.random.seed_generator import SeedGenerator

# The weight options, in Keras's config order (unit_forget_bias sits after bias_initializer there).
_ACTIVATIONS = ["activation", "recurrent_activation"]
_INITIALIZERS = ["kernel_initializer", "recurrent_initializer", "bias_initializer"]
_REGULARIZERS = ["kernel_regularizer", "recurrent_regularizer", "bias_regularizer"]
_CONSTRAINTS = ["kernel_constraint", "recurrent_constraint", "bias_constraint"]
_CONV_ARGUMENTS = ["filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate"]


def conv_output_spatial(cell, spatial_shape):
    """The spatial sizes a ConvLSTM cell's input convolution gives for input `spatial_shape`."""
    sizes = []
    for index, size in enumerate(spatial_shape):
        taps = (cell.kernel_size[index] - 1) * cell.dilation_rate[index] + 1
        if size is None:
            sizes.append(None)
        elif cell.padding == "same":
            sizes.append(-(-size // cell.strides[index]))
        else:
            if size < taps:
                raise ValueError(
                    f"{cell._describe()} with padding='valid' needs spatial sizes of at least the "
                    f"dilated kernel size {taps}. Received spatial shape {tuple(spatial_shape)}. To fix: "
                    "pass larger inputs or use padding='same'."
                )
            sizes.append((size - taps) // cell.strides[index] + 1)
    return tuple(sizes)


class ConvLSTMCell(Layer, DropoutRNNCell):
    """Cell class for the ConvLSTM layers: one timestep of a convolutional LSTM.

    Like `LSTMCell`, with convolutions instead of matrix products: the gates
    (Keras order i, f, c, o along the kernels' last axis) are
    `conv(x, kernel) + conv_same(h, recurrent_kernel) + bias`, then
    `c = f * c_prev + i * activation(z_c)` and `h = o * activation(c)`.
    The recurrent convolution always uses stride 1 and `"same"` padding.

    Args:
        rank: Number of spatial axes (1, 2 or 3).
        filters: Positive int, the number of output channels.
        kernel_size: Int or tuple of `rank` ints, the convolution window.
        strides: Int or tuple of `rank` ints, the input convolution's strides.
        padding: `"valid"` or `"same"` (input convolution).
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `lamina.config.image_data_format()`.
        dilation_rate: Int or tuple of `rank` ints (input convolution).
        activation: Activation of the cell candidate and output (`"tanh"`).
        recurrent_activation: Activation of the gates (`"sigmoid"`).
        use_bias: Whether the cell uses a bias vector.
        kernel_initializer: Initializer for the input kernel.
        recurrent_initializer: Initializer for the recurrent kernel.
        bias_initializer: Initializer for the bias.
        unit_forget_bias: Whether to add 1 to the forget gate's bias at
            initialization.
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
        inputs: One timestep, `(batch, *spatial, channels)` (channels last).
        states: `[h, c]`, each `(batch, *output_spatial, filters)`.
        training: Whether dropout is active.

    Example:

    >>> import lamina
    >>> from lamina.layers.rnn.conv_lstm import ConvLSTMCell
    >>> cell = ConvLSTMCell(2, filters=3, kernel_size=3, padding="same")
    >>> cell.build((2, 5, 5, 4))
    >>> output, (h, c) = cell(lamina.ops.ones((2, 5, 5, 4)), cell.get_initial_state(2))
    >>> output.shape, c.shape
    ((2, 5, 5, 3), (2, 5, 5, 3))
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
        layer_name = self._describe()
        if rank not in (1, 2, 3):
            raise ValueError(f"{layer_name} expects rank to be 1, 2 or 3. Received: rank={rank!r}")
        if not isinstance(filters, int) or isinstance(filters, bool) or filters <= 0:
            raise ValueError(
                f"{layer_name} expects filters to be a positive integer. Received: filters={filters!r}"
            )
        self.rank = rank
        self.filters = filters
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size", layer_name)
        self.strides = standardize_tuple(strides, rank, "strides", layer_name)
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate", layer_name)
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                f"{layer_name} does not support strides > 1 together with dilation_rate > 1. "
                f"Received: strides={self.strides}, dilation_rate={self.dilation_rate}"
            )
        self.padding = str(padding).lower()
        if self.padding not in ("valid", "same"):
            raise ValueError(
                f"{layer_name} expects padding to be 'valid' or 'same'. Received: padding={padding!r}"
            )
        self.data_format = config.standardize_data_format(data_format)
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
        # Two states of `filters` channels; their spatial shape is known once built.
        self.state_size = [filters, filters]
        self.output_size = filters

    def _split_step_shape(self, step_shape):
        """`(channels, spatial)` of a one-timestep shape `(batch, ...)`."""
        if self.data_format == "channels_last":
            return step_shape[-1], tuple(step_shape[1:-1])
        return step_shape[1], tuple(step_shape[2:])

    def build(self, input_shape):
        input_shape = tuple(input_shape)
        if len(input_shape) != self.rank + 2:
            raise ValueError(
                f"{self._describe()} expects one timestep of rank {self.rank + 2} (batch, {self.rank} "
                f"spatial axes, channels). Received input_shape={input_shape}."
            )
        channels, spatial = self._split_step_shape(input_shape)
        if None in spatial or channels is None:
            raise ValueError(
                f"{self._describe()} needs static spatial and channel sizes. Received "
                f"input_shape={input_shape}, data_format={self.data_format!r}."
            )
        self.input_dim = channels
        self.spatial_dims = spatial
        self.state_spatial_dims = conv_output_spatial(self, spatial)
        self.kernel = self.add_weight(
            shape=self.kernel_size + (channels, self.filters * 4),
            name="kernel",
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.recurrent_kernel = self.add_weight(
            shape=self.kernel_size + (self.filters, self.filters * 4),
            name="recurrent_kernel",
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
        )
        self.bias = None
        if self.use_bias:
            initializer = self.bias_initializer
            if self.unit_forget_bias:
                initializer = _ForgetBiasInitializer(self.bias_initializer, self.filters)
            self.bias = self.add_weight(
                shape=(self.filters * 4,),
                name="bias",
                initializer=initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )

    def state_shape(self, batch_size=None):
        """The shape `(batch_size, ...)` of each state `h` and `c` (the cell must be built)."""
        if self.data_format == "channels_last":
            return (batch_size, *self.state_spatial_dims, self.filters)
        return (batch_size, self.filters, *self.state_spatial_dims)

    def call(self, inputs, states, training=False):
        h_previous, c_previous = states[0], states[1]
        if training and 0 < self.dropout < 1:
            inputs = inputs * self.get_dropout_mask(inputs)
        if training and 0 < self.recurrent_dropout < 1:
            h_previous = h_previous * self.get_recurrent_dropout_mask(h_previous)
        # All four gates in one convolution each: the kernels' last axis holds them in order i, f, c, o.
        z = ops.conv(
            inputs,
            self.kernel,
            strides=self.strides,
            padding=self.padding,
            data_format=self.data_format,
            dilation_rate=self.dilation_rate,
        )
        z = z + ops.conv(
            h_previous, self.recurrent_kernel, strides=1, padding="same", data_format=self.data_format
        )
        channel_axis = -1 if self.data_format == "channels_last" else 1
        if self.bias is not None:
            bias = self.bias
            if self.data_format == "channels_first":
                bias = ops.reshape(bias, (self.filters * 4,) + (1,) * self.rank)
            z = z + bias
        z_input, z_forget, z_cell, z_output = ops.split(z, 4, axis=channel_axis)
        input_gate = self.recurrent_activation(z_input)
        forget_gate = self.recurrent_activation(z_forget)
        c = forget_gate * c_previous + input_gate * self.activation(z_cell)
        h = self.recurrent_activation(z_output) * self.activation(c)
        return h, [h, c]

    def compute_output_shape(self, inputs_shape, states_shape=None):
        state_shape = self.state_shape(inputs_shape[0])
        return state_shape, [state_shape, state_shape]

    def get_initial_state(self, batch_size=None):
        """Returns zero `[h, c]` states of shape `state_shape(batch_size)`."""
        dtype = self.dtype_policy.compute_dtype
        return [ops.zeros(self.state_shape(batch_size), dtype=dtype) for _ in range(2)]

    def get_config(self):
        result = super().get_config()
        result.update({name: getattr(self, name) for name in _CONV_ARGUMENTS})
        result.update(cell_weights_config(self, _ACTIVATIONS))
        result["use_bias"] = self.use_bias
        result.update(cell_weights_config(self, _INITIALIZERS))
        result["unit_forget_bias"] = self.unit_forget_bias
        result.update(cell_weights_config(self, _REGULARIZERS + _CONSTRAINTS))
        result.update(
            {"dropout": self.dropout, "recurrent_dropout": self.recurrent_dropout, "seed": self.seed}
        )
        return result


@delegate_to_cell(
    _CONV_ARGUMENTS
    + _ACTIVATIONS
    + _INITIALIZERS
    + _REGULARIZERS
    + _CONSTRAINTS
    + ["use_bias", "unit_forget_bias", "dropout", "recurrent_dropout"]
)
class ConvLSTM(RNN):
    """Abstract N-D convolutional LSTM layer; `ConvLSTM1D/2D/3D` fix `rank`.

    Runs a `ConvLSTMCell` over the time axis of inputs
    `(batch, time, *spatial, channels)` (channels last) or
    `(batch, time, channels, *spatial)` (channels first).

    Args:
        rank: Number of spatial axes (1, 2 or 3).
        filters: Positive int, the number of output channels.
        kernel_size: Int or tuple of `rank` ints, the convolution window.
        strides: Int or tuple of `rank` ints (input convolution).
        padding: `"valid"` or `"same"` (input convolution).
        data_format: `"channels_last"` or `"channels_first"`.
        dilation_rate: Int or tuple of `rank` ints (input convolution).
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
        **kwargs: Base layer arguments (and `unroll`, `zero_output_for_mask`).

    Example:

    >>> import lamina
    >>> from lamina.layers.rnn.conv_lstm import ConvLSTM
    >>> layer = ConvLSTM(1, filters=2, kernel_size=3)
    >>> layer(lamina.ops.ones((2, 3, 5, 4))).shape
    (2, 3, 2)
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
        cell = ConvLSTMCell(
            rank=rank,
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
            kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            seed=seed,
            dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True),
            name="conv_lstm_cell",
        )
        super().__init__(
            cell,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            activity_regularizer=activity_regularizer,
            **kwargs,
        )
        self._required_rank = rank + 3

    def _check_rank(self, shape):
        if len(shape) != self._required_rank:
            rank = self.cell.rank
            layout = f"{rank} spatial axes, channels"
            if self.cell.data_format == "channels_first":
                layout = f"channels, {rank} spatial axes"
            raise ValueError(
                f"{self._describe()} expects inputs of rank {rank + 3}: (batch, time, {layout}). "
                f"Received input shape {tuple(shape)} (rank {len(shape)})."
            )

    def build(self, sequences_shape, initial_state_shape=None):
        sequences_shape = tuple(sequences_shape)
        self._check_rank(sequences_shape)
        if not self.cell.built:
            self.cell.build((sequences_shape[0],) + sequences_shape[2:])
        if self.stateful:
            batch_size = sequences_shape[0]
            if batch_size is None:
                raise ValueError(
                    f"{self._describe()} is stateful, so it needs a fixed batch size. Received "
                    f"sequences of shape {sequences_shape}. To fix: pass batch_size= to Input."
                )
            states = [
                current.core.Variable(
                    initializer=initializers.get("zeros"),
                    shape=self.cell.state_shape(batch_size),
                    dtype=self.dtype_policy.variable_dtype,
                    trainable=False,
                    name="rnn_state",
                )
                for _ in range(2)
            ]
            object.__setattr__(self, "states", states)

    def _check_initial_state(self, initial_state, batch_size):
        if not isinstance(initial_state, (list, tuple)) or len(initial_state) != 2:
            raise ValueError(
                f"{self._describe()} expects initial_state to be a list of 2 tensors [h, c]. "
                f"Received: initial_state={initial_state!r}"
            )
        expected = self.cell.state_shape(batch_size)
        for index, state in enumerate(initial_state):
            shape = tuple(ops.shape(state))
            if len(shape) != len(expected) or shape[1:] != expected[1:] or shape[0] != batch_size:
                raise ValueError(
                    f"{self._describe()} expects initial_state[{index}] of shape {expected}. "
                    f"Received shape {shape}."
                )
        return list(initial_state)

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        sequences_shape = tuple(sequences_shape)
        self._check_rank(sequences_shape)
        batch_size = sequences_shape[0]
        channels, spatial = self.cell._split_step_shape((batch_size,) + sequences_shape[2:])
        state_spatial = conv_output_spatial(self.cell, spatial)
        if self.cell.data_format == "channels_last":
            state_shape = (batch_size, *state_spatial, self.cell.filters)
        else:
            state_shape = (batch_size, self.cell.filters, *state_spatial)
        output_shape = state_shape
        if self.return_sequences:
            output_shape = (batch_size, sequences_shape[1]) + state_shape[1:]
        if self.return_state:
            return [output_shape, state_shape, state_shape]
        return output_shape

    def get_config(self):
        result = Layer.get_config(self)
        result.update(self._rnn_config())
        cell = self.cell
        result.update({name: getattr(cell, name) for name in _CONV_ARGUMENTS})
        result.update(cell_weights_config(cell, _ACTIVATIONS))
        result["use_bias"] = cell.use_bias
        result.update(cell_weights_config(cell, _INITIALIZERS))
        result["unit_forget_bias"] = cell.unit_forget_bias
        result.update(cell_weights_config(cell, _REGULARIZERS))
        result["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        result.update(cell_weights_config(cell, _CONSTRAINTS))
        result.update(
            {"dropout": cell.dropout, "recurrent_dropout": cell.recurrent_dropout, "seed": cell.seed}
        )
        return result
