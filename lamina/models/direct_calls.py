"""Direct layer calls: a Functional model's eager run skipping `Layer.__call__` where it is a no-op.

Inside an eager run of a Functional graph, most layers get a tensor the previous
layer made, already of their compute dtype, with no mask, and their `__call__`
only resolves `training` from the model's call context before running `call`.
The first run with a given input signature (shapes, dtypes, training) takes the
full path and records, per node, whether `__call__` did anything else: converted
or cast the input, attached or read a mask, added an activity loss, opened the
first call's name scope, autocast. Later runs with that signature call `call`
directly for the nodes where it did not, as long as no layer attribute changed
since (`Layer.__setattr__` counts changes: a layer reconfigured after the
recording is recorded anew). Shapes inside the graph follow from the input
shapes, so each node's input-spec check passed in the recording run.
"""

import optree

from lamina.backend.common import masking
from lamina.backend.common import scopes
from lamina.layers import layer_call_helpers

MAX_SIGNATURES = 16


def signature_key(flat_inputs, training, mask):
    """The key of a direct run, or None when a call must take the full path.

    Args:
        flat_inputs: The model's inputs, flat.
        training: The resolved training flag of the model's call.
        mask: The model call's `mask` argument.

    Returns:
        A hashable `(training, shapes and dtypes)` key, or None (a mask, an
        autocast scope, a non-boolean `training` or an input that is not a tensor).

    Example:

    >>> import numpy as np
    >>> signature_key([np.zeros((2, 3), "float32")], False, None)
    (False, ((2, 3), dtype('float32')))
    >>> signature_key([np.zeros((2, 3), "float32")], None, None) is None
    True
    """
    if mask is not None or type(training) is not bool or scopes.autocast_active():
        return None
    key = [training]
    for value in flat_inputs:
        shape = getattr(value, "shape", None)
        if shape is None or masking.get_keras_mask(value) is not None:
            return None
        key.append((tuple(shape), value.dtype))
    return tuple(key)


class DirectCalls:
    """Per graph: for each recorded signature, which steps call the layer's `call` directly.

    When every step does, the record also holds the run as a chain of
    `(bound call, input slot, keyword arguments, output slot)`, which `Graph.run`
    replays without looking at the steps.
    """

    def __init__(self):
        self._recorded = {}

    def record(self, key):
        """The recorded `(per-step flags, chain or None)` for `key`, or None when the run must record."""
        entry = self._recorded.get(key)
        if entry is None or entry[0] != layer_call_helpers.layer_changes():
            return None
        return entry[1]

    def store(self, key, flags, chain):
        """Keeps what a recording run found for `key`, valid until a layer attribute changes."""
        if len(self._recorded) >= MAX_SIGNATURES:
            self._recorded.clear()
        self._recorded[key] = (layer_call_helpers.layer_changes(), (tuple(flags), chain))


def direct_kwargs(operation, static_kwargs):
    """The keyword arguments of a direct `call`, or None when the node cannot be called directly.

    Args:
        operation: The node's operation.
        static_kwargs: The node's non-tensor keyword arguments.

    Returns:
        `(static kwargs, whether training is passed)`, or None.
    """
    from lamina.layers.layer import Layer

    if not isinstance(operation, Layer) or type(operation).__call__ is not Layer.__call__:
        return None
    if "training" in static_kwargs or "mask" in static_kwargs:
        return None
    signature = layer_call_helpers.call_signature(type(operation))
    return dict(static_kwargs), signature["has_training"]


def is_direct(operation, argument, outputs):
    """Whether the node's recorded `__call__` was only `call` with the context's training.

    Args:
        operation: The node's layer (a plain `Layer.__call__`).
        argument: The tensor it received.
        outputs: What the call returned.

    Returns:
        True when a direct `call` gives the same result.
    """
    if masking.get_keras_mask(argument) is not None or operation._convert_inputs(argument) is not argument:
        return False
    policy = operation.dtype_policy
    if operation.autocast and policy.compute_dtype != policy.variable_dtype:
        return False
    if operation.activity_regularizer is not None or operation._scope_on_call or not operation.built:
        return False
    return all(masking.get_keras_mask(value) is None for value in optree.tree_leaves(outputs))
