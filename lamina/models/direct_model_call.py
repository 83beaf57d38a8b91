"""A Functional model's eager call without the per-call work of `Layer.__call__` and `Functional.call`.

On an eager backend (PyTorch, NumPy) `model(x)` runs once per training step and
once per predicted batch. For a Functional or Sequential model called on one
input (a tensor or an array it converts) with no mask and no autocast,
`Layer.__call__` and `Functional.call` only convert the input, clear the layers'
losses, push the call's `training` and run the graph; their other checks give
the same answer every time for the same input signature (shape, dtype, training). The
first such call takes the full path and is recorded; later calls with the same
signature do only those four things, until a layer attribute changes
(`layer_call_helpers.layer_changes`).
"""

from lamina.backend import current
from lamina.backend.common import masking
from lamina.backend.common import scopes
from lamina.layers import call_context
from lamina.layers import layer_call_helpers
from lamina.models import direct_calls

NOT_HANDLED = object()


def _plain_call(args, kwargs):
    # One positional input and at most `training`: the calls the record covers.
    return len(args) == 1 and (not kwargs or (len(kwargs) == 1 and "training" in kwargs))


def _training(model, kwargs):
    training = kwargs.get("training")
    if training is None:
        default = layer_call_helpers.call_signature(type(model))["training_default"]
        training = False if default is None else default
    return training


def run(model, args, kwargs):
    """Runs `model(*args, **kwargs)` directly when a recorded call covers it.

    Args:
        model: The model being called (outside any other layer's call).
        args: The call's positional arguments.
        kwargs: The call's keyword arguments.

    Returns:
        The outputs, or `NOT_HANDLED` (the caller takes the full path).
    """
    if not _plain_call(args, kwargs):
        return NOT_HANDLED
    records = model.__dict__.get("_direct_model_calls")
    if not records:
        return NOT_HANDLED
    training = _training(model, kwargs)
    x = model._convert_inputs(args[0])
    key = direct_calls.signature_key((x,), training, None)
    if key is None or records.get(key) != layer_call_helpers.layer_changes():
        return NOT_HANDLED
    contexts = call_context.call_contexts()
    if contexts:
        return NOT_HANDLED
    model._clear_losses()
    contexts.append(call_context.CallContext(training))
    try:
        return model._compiled_call_graph().run([x], direct_key=key, training=training)[0]
    finally:
        contexts.pop()


def batch_runner(model, first, training):
    """`model(batch, training=training)` for a series of batches like `first`, with the checks done once.

    `predict` calls the model on many batches of one shape and dtype. When `run`
    covers `first`, the returned function runs later batches of `first`'s type,
    shape and dtype as `run` would, with the per-call checks done once: per batch
    it only checks that no layer changed and no autocast scope or outer call
    opened. Where the recorded graph run calls every layer directly, it replays
    those calls (`Graph.direct_chain`). Any other batch gets the ordinary call.

    Args:
        model: The model (called outside any other layer's call).
        first: The first batch's input (inputs other than a tensor the model takes
            as it is, such as NumPy arrays or nests, get the ordinary call).
        training: The calls' training flag.

    Returns:
        A function of one batch returning the model's outputs.

    Example:

    >>> import numpy as np
    >>> import lamina
    >>> model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)])
    >>> x = lamina.ops.convert_to_tensor(np.ones((4, 3), "float32"))
    >>> call = batch_runner(model, x, False)
    >>> [tuple(call(batch).shape) for batch in (x, x[:1])]
    [(4, 2), (1, 2)]
    """

    def ordinary(batch):
        return model(batch, training=training)

    if not model.__dict__.get("_direct_model_calls") or call_context.call_contexts():
        return ordinary
    if model._convert_inputs(first) is not first:
        return ordinary
    key = direct_calls.signature_key((first,), training, None)
    changes = layer_call_helpers.layer_changes()
    if key is None or model._direct_model_calls.get(key) != changes:
        return ordinary
    graph = model._compiled_call_graph()
    replay = graph.direct_chain(key)
    if replay is None:
        # Recorded for the model but not yet replayable: this run records the chain.
        def replay(batch):
            return graph.run([batch], direct_key=key, training=training)[0]

    kind, shape, dtype = type(first), first.shape, first.dtype
    contexts = call_context.call_contexts()
    context = call_context.CallContext(training)

    def recorded(batch):
        if (
            type(batch) is not kind
            or batch.shape != shape
            or batch.dtype != dtype
            or layer_call_helpers.layer_changes() != changes
            or scopes.autocast_active()
            or contexts
        ):
            return ordinary(batch)
        model._clear_losses()
        contexts.append(context)
        try:
            return replay(batch)
        finally:
            contexts.pop()

    return recorded


def record(model, args, kwargs, outputs):
    """After a full outermost call, notes whether a direct run gives the same result for its signature.

    Args:
        model: The model that was called.
        args: The call's positional arguments.
        kwargs: The call's keyword arguments.
        outputs: What the call returned.

    Example:

    >>> import numpy as np
    >>> import lamina
    >>> model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)])
    >>> x = lamina.ops.convert_to_tensor(np.ones((4, 3), "float32"))
    >>> outputs = model(x)  # a full call: on PyTorch and NumPy its signature is recorded
    >>> run(model, (x,), {"mask": None}) is NOT_HANDLED  # only `training` is covered
    True
    """
    if not _plain_call(args, kwargs) or call_context.current_call_context() is not None:
        return
    graph = model._compiled_call_graph()
    if graph is None or len(graph.inputs) != 1 or len(graph.outputs) != 1:
        return
    if not current.core.is_tensor(outputs) or masking.get_keras_mask(outputs) is not None:
        return
    policy = model.dtype_policy
    if model.autocast and policy.compute_dtype != policy.variable_dtype:
        return
    x = model._convert_inputs(args[0])
    if not current.core.is_tensor(x) or model._scope_on_call:
        return
    key = direct_calls.signature_key((x,), _training(model, kwargs), None)
    if key is None:
        return
    records = model.__dict__.get("_direct_model_calls")
    if records is None:
        records = {}
        # Not a tracked attribute: a plain instance entry, invisible to layer tracking.
        object.__setattr__(model, "_direct_model_calls", records)
    if len(records) >= direct_calls.MAX_SIGNATURES:
        records.clear()
    records[key] = layer_call_helpers.layer_changes()
