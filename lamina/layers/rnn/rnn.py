"""`RNN`: runs a recurrent cell over the time axis of a sequence."""

import inspect

import optree

from lamina import initializers
from lamina import ops
from lamina.backend import backend
from lamina.backend import current
from lamina.backend.common import masking
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.layer import Layer
from lamina.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from lamina.layers.rnn.stacked_rnn_cells import StackedRNNCells
from lamina.ops import rnn as rnn_ops


def _flat_sizes(state_size):
    return optree.tree_leaves(state_size)


class RNN(Layer):
    """Base class for recurrent layers: runs `cell` over every timestep.

    Args:
        cell: An RNN cell: a layer with `call(inputs, states, training=None)`
            returning `(output, new_states)`, a `state_size` attribute (int
            or list of ints, one per state) and optionally `output_size` and
            `get_initial_state(batch_size)`. A list of cells is stacked
            (`StackedRNNCells`).
        return_sequences: Whether to return every timestep's output
            `(batch, time, units)` or only the last `(batch, units)`.
        return_state: Whether to also return the final states:
            `[output, *states]`.
        go_backwards: Whether to process the sequence backwards (outputs then
            come in processing order).
        stateful: Whether the last states of batch `i` are the initial
            states of the next call's batch `i`. Needs a fixed batch size.
        unroll: Whether to unroll the time loop (faster for short sequences,
            more memory).
        zero_output_for_mask: Whether masked timesteps output zeros instead
            of the previous output.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Call arguments:
        sequences: A tensor `(batch, time, features)`.
        initial_state: Optional list of initial states (one per cell state).
        mask: Optional boolean `(batch, time)` tensor; a masked step keeps the
            previous states and output.
        training: Whether dropout in the cell is active.

    Example:

    >>> import lamina
    >>> layer = lamina.layers.RNN(lamina.layers.SimpleRNNCell(4), return_sequences=True)
    >>> layer(lamina.ops.ones((2, 3, 5))).shape
    (2, 3, 4)
    """

    _required_rank = None

    def __init__(
        self,
        cell,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        zero_output_for_mask=False,
        **kwargs,
    ):
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(cell)
        super().__init__(**kwargs)
        if not callable(getattr(cell, "call", None)):
            raise ValueError(
                f"{self._describe()} expects cell to have a call(inputs, states) method. "
                f"Received: cell={cell!r}"
            )
        state_size = getattr(cell, "state_size", None)
        if state_size is None or not isinstance(state_size, (int, list, tuple)):
            raise ValueError(
                f"{self._describe()} expects its cell to have a state_size attribute: an int, "
                f"or a list of ints (one per state). Received: state_size={state_size!r}"
            )
        self.cell = cell
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = stateful
        self.unroll = unroll
        self.zero_output_for_mask = zero_output_for_mask
        self.single_state = isinstance(state_size, int)
        state_size = [state_size] if self.single_state else list(state_size)
        # Stacked cells keep one list of states per cell, whatever each cell's state_size.
        state_structure = state_size
        if isinstance(cell, StackedRNNCells):
            state_structure = [
                list(size) if isinstance(size, (list, tuple)) else [size] for size in state_size
            ]
        # Plain lists (not tracked ones): optree walks them as state structures.
        object.__setattr__(self, "state_size", state_size)
        object.__setattr__(self, "_state_structure", state_structure)
        self.supports_masking = True
        object.__setattr__(self, "states", None)

    # -- shapes and masks ---------------------------------------------------------------

    def _output_size(self):
        output_size = getattr(self.cell, "output_size", None)
        if output_size is None:
            output_size = _flat_sizes(self.state_size[0])[0]
        return output_size

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        batch_size, length = sequences_shape[0], sequences_shape[1]
        output_size = self._output_size()
        if self.return_sequences:
            output_shape = (batch_size, length, output_size)
        else:
            output_shape = (batch_size, output_size)
        if not self.return_state:
            return output_shape
        states_shape = optree.tree_map(lambda size: (batch_size, size), self._state_structure)
        return [output_shape] + states_shape

    def compute_output_spec(self, sequences, initial_state=None, mask=None, training=False):
        self._check_rank(sequences.shape)
        shapes = self.compute_output_shape(tuple(sequences.shape))
        dtype = self.dtype_policy.compute_dtype
        if not self.return_state:
            return KerasTensor(shapes, dtype=dtype)
        outputs = [KerasTensor(shapes[0], dtype=dtype)] + optree.tree_map(
            lambda shape: KerasTensor(shape, dtype=dtype), shapes[1:], is_leaf=lambda x: isinstance(x, tuple)
        )
        self._mask_first_output(outputs, mask)
        return outputs

    def compute_mask(self, inputs, mask):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        if self.return_state or not self.return_sequences:
            # With states among the outputs, call() puts the mask on the output alone.
            return None
        return mask

    def _mask_first_output(self, outputs, mask):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        if mask is not None and self.return_sequences:
            masking.set_keras_mask(outputs[0], mask)

    def _check_rank(self, shape):
        rank = len(shape)
        expected = self._required_rank
        if (expected is not None and rank != expected) or rank < 3:
            wanted = f"rank {expected}" if expected else "rank >= 3"
            raise ValueError(
                f"{self._describe()} expects sequences of {wanted}, (batch_size, timesteps, features). "
                f"Received input shape {tuple(shape)} (rank {rank})."
            )

    # -- state --------------------------------------------------------------------------

    def build(self, sequences_shape, initial_state_shape=None):
        sequences_shape = tuple(sequences_shape)
        self._check_rank(sequences_shape)
        step_input_shape = (sequences_shape[0],) + sequences_shape[2:]
        if isinstance(self.cell, Layer) and not self.cell.built:
            self.cell.build(step_input_shape)
        if self.stateful:
            batch_size = sequences_shape[0]
            if batch_size is None:
                raise ValueError(
                    f"{self._describe()} is stateful, so it needs a fixed batch size. Received "
                    f"sequences of shape {sequences_shape}. To fix: pass batch_size= to Input (or "
                    "batch_input_shape= to the first layer)."
                )
            # Not weights (Keras does not save them): untracked variables, which
            # `variables` lists so that compiled steps thread their values.
            states = [
                current.core.Variable(
                    initializer=initializers.get("zeros"),
                    shape=(batch_size, size),
                    dtype=self.dtype_policy.variable_dtype,
                    trainable=False,
                    name="rnn_state",
                )
                for size in _flat_sizes(self.state_size)
            ]
            object.__setattr__(self, "states", states)

    @property
    def variables(self):
        """The weights and RNG states, plus the states of a stateful layer."""
        collected = list(super().variables)
        for state in self.states or []:
            if not any(state is variable for variable in collected):
                collected.append(state)
        return collected

    def get_initial_state(self, batch_size):
        """Returns the zero (or the cell's own) initial states for `batch_size` sequences."""
        cell_initial_state = getattr(self.cell, "get_initial_state", None)
        if cell_initial_state is not None:
            states = cell_initial_state(batch_size=batch_size)
            return list(states) if isinstance(states, (list, tuple)) else [states]
        dtype = getattr(getattr(self.cell, "dtype_policy", None), "compute_dtype", None)
        return [ops.zeros((batch_size, size), dtype=dtype) for size in self.state_size]

    def reset_states(self):
        """Resets a stateful layer's states to zeros (alias of `reset_state`)."""
        self.reset_state()

    def reset_state(self):
        """Resets a stateful layer's states to zeros."""
        for variable in self.states or []:
            variable.assign(ops.zeros(variable.shape, dtype=variable.dtype))

    def _stateful_initial_state(self):
        values = [variable.value for variable in self.states]
        if backend() == "torch":
            # The variables are overwritten in place after the loop; autograd needs copies.
            values = [ops.copy(value) for value in values]
        return optree.tree_unflatten(optree.tree_structure(self._state_structure), values)

    def _check_initial_state(self, initial_state, batch_size):
        if not isinstance(initial_state, (list, tuple)):
            initial_state = [initial_state]
        flat = optree.tree_leaves(list(initial_state), none_is_leaf=True)
        sizes = _flat_sizes(self.state_size)
        if len(flat) != len(sizes):
            raise ValueError(
                f"{self._describe()} expects {len(sizes)} initial state tensor(s) (state sizes "
                f"{self.state_size}). Received {len(flat)}."
            )
        for index, (state, size) in enumerate(zip(flat, sizes)):
            shape = tuple(ops.shape(state))
            if len(shape) != 2 or shape[-1] != size or (batch_size is not None and shape[0] != batch_size):
                raise ValueError(
                    f"{self._describe()} expects initial_state[{index}] of shape ({batch_size}, {size}). "
                    f"Received shape {shape}."
                )
        return optree.tree_unflatten(optree.tree_structure(self._state_structure), flat)

    # -- calling ------------------------------------------------------------------------

    def call(self, sequences, initial_state=None, mask=None, training=False):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        batch_size = ops.shape(sequences)[0]
        if self.unroll and sequences.shape[1] is None:
            raise ValueError(f"{self._describe()} cannot unroll a sequence of unknown length.")
        if initial_state is not None:
            initial_state = self._check_initial_state(initial_state, batch_size)
        elif self.stateful:
            if batch_size != self.states[0].shape[0]:
                raise ValueError(
                    f"{self._describe()} is stateful with batch size {self.states[0].shape[0]}. "
                    f"Received sequences of shape {tuple(sequences.shape)}."
                )
            initial_state = self._stateful_initial_state()
        else:
            initial_state = self.get_initial_state(batch_size)
        dtype = self.dtype_policy.compute_dtype
        initial_state = optree.tree_map(lambda x: ops.cast(x, dtype), list(initial_state))
        if training:
            self._draw_dropout_masks(self.cell, sequences[:, 0], initial_state)
        try:
            last_output, outputs, states = self.inner_loop(sequences, initial_state, mask, training)
        finally:
            self._reset_dropout_masks(self.cell)
        if self.stateful:
            for variable, value in zip(self.states, optree.tree_leaves(states)):
                variable.assign(value)
        output = outputs if self.return_sequences else last_output
        if not self.return_state:
            return output
        results = [output] + list(states)
        self._mask_first_output(results, mask)
        return results

    def inner_loop(self, sequences, initial_state, mask, training=False):
        """Runs the cell over the time axis; returns `(last_output, outputs, states)`."""
        cell_kwargs = {}
        if "training" in inspect.signature(self.cell.call).parameters:
            cell_kwargs["training"] = training

        def step(step_inputs, states):
            output, new_states = self.cell(step_inputs, states, **cell_kwargs)
            if not isinstance(new_states, (list, tuple)):
                new_states = [new_states]
            return output, list(new_states)

        return rnn_ops.rnn(
            step,
            sequences,
            initial_state,
            go_backwards=self.go_backwards,
            mask=mask,
            unroll=self.unroll,
            zero_output_for_mask=self.zero_output_for_mask,
            return_all_outputs=self.return_sequences,
        )

    def fused_or_generic_loop(self, sequences, initial_state, mask, training, fused_loop):
        """Runs `fused_loop(sequences)` (a backend's fused kernel) when it can, else `inner_loop`.

        The fused kernels take no recurrent dropout; input dropout is applied to
        the whole sequence before the call. A backend without a fused kernel for
        the configuration raises `NotImplementedError`, and the generic loop
        runs instead, with the same numbers.
        """
        if self.use_cudnn in ("auto", True) and not (training and self.cell.recurrent_dropout > 0):
            fused_sequences = sequences
            if training and self.cell.dropout > 0:
                fused_sequences = sequences * ops.expand_dims(self.cell.get_dropout_mask(sequences[:, 0]), 1)
            try:
                return fused_loop(fused_sequences)
            except NotImplementedError:
                pass
        return RNN.inner_loop(self, sequences, initial_state, mask, training=training)

    def _draw_dropout_masks(self, cell, step_inputs, states):
        """Draws the cells' dropout masks before the loop, so the loop has no random state."""
        if isinstance(cell, DropoutRNNCell):
            first_state = optree.tree_leaves(states)[0]
            cell.get_dropout_mask(step_inputs)
            cell.get_recurrent_dropout_mask(first_state)
        if isinstance(cell, StackedRNNCells):
            for inner_cell, inner_states in zip(cell.cells, states):
                self._draw_dropout_masks(inner_cell, step_inputs, inner_states)
                output_size = (
                    getattr(inner_cell, "output_size", None) or _flat_sizes(inner_cell.state_size)[0]
                )
                step_inputs = ops.zeros((ops.shape(step_inputs)[0], output_size), dtype=step_inputs.dtype)

    def _reset_dropout_masks(self, cell):
        if isinstance(cell, DropoutRNNCell):
            cell.reset_dropout_mask()
            cell.reset_recurrent_dropout_mask()
        if isinstance(cell, StackedRNNCells):
            for inner_cell in cell.cells:
                self._reset_dropout_masks(inner_cell)

    # -- config -------------------------------------------------------------------------

    def _rnn_config(self):
        return {
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "go_backwards": self.go_backwards,
            "stateful": self.stateful,
            "unroll": self.unroll,
            "zero_output_for_mask": self.zero_output_for_mask,
        }

    def get_config(self):
        from lamina.layers.layer_serialization import serialize

        config = super().get_config()
        config.update(self._rnn_config())
        config["cell"] = serialize(self.cell)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if "cell" in config:
            from lamina.layers.layer_serialization import deserialize

            config["cell"] = deserialize(config["cell"])
        return super().from_config(config)
