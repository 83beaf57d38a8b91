"""`Bidirectional`: runs a recurrent layer forwards and backwards and merges the two."""

import optree

from lamina import ops
from lamina.backend.common import masking
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.layer import Layer
from lamina.layers.layer_serialization import deserialize
from lamina.layers.layer_serialization import serialize

MERGE_MODES = ("sum", "mul", "ave", "concat", None)


def _renamed_copy(layer, prefix, go_backwards=None):
    config = serialize(layer)
    name = layer.name[len(prefix) :] if layer.name.startswith(prefix) else layer.name
    config["config"]["name"] = prefix + name
    if go_backwards is not None:
        config["config"]["go_backwards"] = go_backwards
    return deserialize(config)


class Bidirectional(Layer):
    """Bidirectional wrapper for recurrent layers.

    The wrapped layer is copied twice, from its config: a forward copy named
    `forward_<name>` and a backward copy named `backward_<name>` that reads the
    sequence from the end (`go_backwards=True`). Their outputs are merged by
    `merge_mode`; with `return_sequences=True` the backward outputs are first
    put back in time order, so step `t` of the result combines both
    directions' outputs for input step `t`. Weights are the forward layer's,
    then the backward layer's, as in Keras's weight files.

    Args:
        layer: A recurrent layer (`LSTM`, `GRU`, `SimpleRNN`, `RNN`, ...).
        merge_mode: How the two outputs combine: `"concat"` (default, the
            last axis doubles), `"sum"`, `"mul"`, `"ave"`, or `None` (a list
            `[forward, backward]`).
        weights: Optional list of initial weights (forward layer's, then the
            backward layer's), set when the layer is built.
        backward_layer: Optional recurrent layer to use for the backward
            direction instead of a copy of `layer`. It must have
            `go_backwards` opposite to `layer`'s and the same
            `return_sequences`, `return_state` and `stateful`.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Call arguments:
        sequences: A tensor `(batch, time, features)`.
        initial_state: Optional list of initial states: the forward layer's
            states followed by the backward layer's.
        mask: Optional boolean `(batch, time)` tensor.
        training: Passed to both layers (dropout).

    Example:

    >>> import lamina
    >>> layer = lamina.layers.Bidirectional(lamina.layers.LSTM(4, name="lstm"))
    >>> layer(lamina.ops.ones((2, 3, 5))).shape
    (2, 8)
    >>> [w.path for w in layer.weights][:2]
    ['bidirectional/forward_lstm/lstm_cell/kernel', 'bidirectional/forward_lstm/lstm_cell/recurrent_kernel']
    """

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(layer, Layer) or not hasattr(layer, "go_backwards"):
            raise ValueError(
                f"Bidirectional layer '{self.name}' expects `layer` to be a recurrent layer instance "
                f"(LSTM, GRU, SimpleRNN, RNN). Received: layer={layer!r}"
            )
        if merge_mode not in MERGE_MODES:
            raise ValueError(
                f"Bidirectional layer '{self.name}' expects merge_mode to be one of {MERGE_MODES}. "
                f"Received: merge_mode={merge_mode!r}"
            )
        self.forward_layer = _renamed_copy(layer, "forward_")
        if backward_layer is None:
            self.backward_layer = _renamed_copy(layer, "backward_", go_backwards=not layer.go_backwards)
        else:
            self._check_backward_layer(layer, backward_layer)
            self.backward_layer = backward_layer
        self.merge_mode = merge_mode
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.stateful = layer.stateful
        self.supports_masking = True
        object.__setattr__(self, "_initial_weights", weights)

    def _check_backward_layer(self, layer, backward_layer):
        if not isinstance(backward_layer, Layer) or not hasattr(backward_layer, "go_backwards"):
            raise ValueError(
                f"Bidirectional layer '{self.name}' expects backward_layer to be a recurrent layer "
                f"instance. Received: backward_layer={backward_layer!r}"
            )
        if backward_layer.go_backwards == layer.go_backwards:
            raise ValueError(
                f"Bidirectional layer '{self.name}' expects backward_layer.go_backwards to be the "
                f"opposite of layer.go_backwards. Received: both {layer.go_backwards}."
            )
        for attribute in ("return_sequences", "return_state", "stateful"):
            if getattr(layer, attribute) != getattr(backward_layer, attribute):
                raise ValueError(
                    f"Bidirectional layer '{self.name}' expects layer and backward_layer to share "
                    f"{attribute}. Received: layer.{attribute}={getattr(layer, attribute)}, "
                    f"backward_layer.{attribute}={getattr(backward_layer, attribute)}"
                )

    # -- shapes -------------------------------------------------------------------------

    def _merged_shape(self, output_shape):
        if self.merge_mode == "concat":
            return (*output_shape[:-1], output_shape[-1] * 2)
        if self.merge_mode is None:
            return [tuple(output_shape), tuple(output_shape)]
        return tuple(output_shape)

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        forward_shape = self.forward_layer.compute_output_shape(sequences_shape)
        if not self.return_state:
            return self._merged_shape(forward_shape)
        backward_shape = self.backward_layer.compute_output_shape(sequences_shape)
        merged = self._merged_shape(forward_shape[0])
        merged = list(merged) if self.merge_mode is None else [merged]
        return merged + list(forward_shape[1:]) + list(backward_shape[1:])

    def compute_output_spec(self, sequences, initial_state=None, mask=None, training=None):
        shapes = self.compute_output_shape(tuple(sequences.shape))
        dtype = self.dtype_policy.compute_dtype
        outputs = optree.tree_map(
            lambda shape: KerasTensor(shape, dtype=dtype), shapes, is_leaf=lambda x: isinstance(x, tuple)
        )
        if self.return_state or self.merge_mode is None:
            self._mask_sequence_outputs(outputs, mask)
        return outputs

    def compute_mask(self, inputs, mask):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        if not self.return_sequences or self.return_state or self.merge_mode is None:
            # Several outputs: call() puts the mask on the sequence outputs alone.
            return None
        return mask

    def _mask_sequence_outputs(self, outputs, mask):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        if mask is None or not self.return_sequences:
            return
        count = 2 if self.merge_mode is None else 1
        for output in list(outputs)[:count]:
            masking.set_keras_mask(output, mask)

    # -- building and calling -----------------------------------------------------------

    def build(self, sequences_shape, initial_state_shape=None):
        self.forward_layer.build(sequences_shape)
        self.backward_layer.build(sequences_shape)
        if self._initial_weights is not None:
            self.built = True
            self.set_weights(self._initial_weights)
            object.__setattr__(self, "_initial_weights", None)

    def call(self, sequences, initial_state=None, mask=None, training=None):
        forward_kwargs, backward_kwargs = {"mask": mask}, {"mask": mask}
        if training is not None:
            forward_kwargs["training"] = backward_kwargs["training"] = training
        if initial_state is not None:
            forward_state, backward_state = self._split_initial_state(initial_state)
            forward_kwargs["initial_state"] = forward_state
            backward_kwargs["initial_state"] = backward_state
        forward_output = self.forward_layer(sequences, **forward_kwargs)
        backward_output = self.backward_layer(sequences, **backward_kwargs)
        states = []
        if self.return_state:
            states = list(forward_output[1:]) + list(backward_output[1:])
            forward_output, backward_output = forward_output[0], backward_output[0]
        if self.return_sequences:
            backward_output = ops.flip(backward_output, axis=1)
        merged = self._merge(forward_output, backward_output)
        if not self.return_state and self.merge_mode is not None:
            return merged
        outputs = (list(merged) if self.merge_mode is None else [merged]) + states
        self._mask_sequence_outputs(outputs, mask)
        return outputs

    def _split_initial_state(self, initial_state):
        if not isinstance(initial_state, (list, tuple)) or len(initial_state) % 2:
            count = len(initial_state) if isinstance(initial_state, (list, tuple)) else 1
            raise ValueError(
                f"Bidirectional layer '{self.name}' expects initial_state to be a list with the forward "
                f"layer's states followed by the backward layer's (an even count). Received {count} "
                "tensor(s)."
            )
        half = len(initial_state) // 2
        return list(initial_state[:half]), list(initial_state[half:])

    def _merge(self, forward_output, backward_output):
        if self.merge_mode == "concat":
            return ops.concatenate([forward_output, backward_output], axis=-1)
        if self.merge_mode == "sum":
            return forward_output + backward_output
        if self.merge_mode == "ave":
            return (forward_output + backward_output) / 2
        if self.merge_mode == "mul":
            return forward_output * backward_output
        return [forward_output, backward_output]

    def reset_states(self):
        """Resets both directions' states (stateful layers only)."""
        self.reset_state()

    def reset_state(self):
        """Resets both directions' states (stateful layers only)."""
        if self.stateful:
            self.forward_layer.reset_state()
            self.backward_layer.reset_state()

    # -- config -------------------------------------------------------------------------

    def get_config(self):
        config = super().get_config()
        config["merge_mode"] = self.merge_mode
        config["layer"] = serialize(self.forward_layer)
        config["backward_layer"] = serialize(self.backward_layer)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        config["layer"] = deserialize(config["layer"], custom_objects=custom_objects)
        if config.get("backward_layer") is not None:
            config["backward_layer"] = deserialize(config["backward_layer"], custom_objects=custom_objects)
        return cls(**config)
