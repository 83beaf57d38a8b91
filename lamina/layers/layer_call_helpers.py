"""Small helpers of `Layer.__call__` that keep its per-call cost low on eager backends."""

import functools
import inspect

import optree

from lamina.backend.common import masking
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers import input_spec as input_spec_lib

# How many layer attributes were set so far (see `note_layer_change`).
_LAYER_CHANGES = [0]


def note_layer_change():
    """Counts one layer attribute set (Functional runs re-record their direct calls after one)."""
    _LAYER_CHANGES[0] += 1


def layer_changes():
    """The number of layer attribute sets so far (compare two readings to see whether any happened)."""
    return _LAYER_CHANGES[0]


def note_own_change(layer):
    """Counts one attribute set on `layer` itself (`Layer.__setattr__` calls it; see `own_changes`)."""
    state = layer.__dict__
    state["_own_changes"] = state.get("_own_changes", 0) + 1


def own_changes(layer):
    """How many attributes were set on `layer` itself, besides its `_losses` (which every call resets).

    A compiled call compares these counts over a model's layers to tell whether a
    layer was reconfigured (a new activation, say) since it traced the model.

    Example:

    >>> import lamina
    >>> dense = lamina.layers.Dense(2)
    >>> before = own_changes(dense)
    >>> dense.activation = lamina.activations.tanh
    >>> own_changes(dense) > before
    True
    """
    return layer.__dict__.get("_own_changes", 0)


def until_layer_change(owner, name, compute):
    """`compute()`, kept on `owner` under `name` and computed again only after a layer change.

    The entry is a plain instance attribute (set past `Layer.__setattr__`), so keeping
    it is not itself a layer change.

    Args:
        owner: The object that keeps the value (a layer, or any object with a `__dict__`).
        name: The attribute name of the kept `(layer_changes(), value)` pair.
        compute: A function of no arguments giving the value.

    Returns:
        The kept value, or a fresh `compute()` when a layer changed since.

    Example:

    >>> class Holder:
    ...     pass
    >>> holder, calls = Holder(), []
    >>> until_layer_change(holder, "_memo", lambda: calls.append(1) or len(calls))
    1
    >>> until_layer_change(holder, "_memo", lambda: calls.append(1) or len(calls))
    1
    >>> note_layer_change()
    >>> until_layer_change(holder, "_memo", lambda: calls.append(1) or len(calls))
    2
    """
    changes = _LAYER_CHANGES[0]
    kept = owner.__dict__.get(name)
    if kept is not None and kept[0] == changes:
        return kept[1]
    value = compute()
    object.__setattr__(owner, name, (changes, value))
    return value


@functools.cache
def call_signature(cls):
    """What `cls.call` accepts: `training` (and its default), `mask`, and its parameter names.

    Args:
        cls: A Layer class.

    Returns:
        A dict with `has_training`, `training_default`, `has_mask` and `names`.

    Example:

    >>> import lamina
    >>> call_signature(lamina.layers.Dropout)["has_training"]
    True
    """
    signature = inspect.signature(cls.call)
    parameters = signature.parameters
    training = parameters.get("training")
    return {
        "has_training": training is not None,
        "training_default": None
        if training is None or training.default is inspect.Parameter.empty
        else training.default,
        "has_mask": "mask" in parameters,
        "names": [name for name in parameters if name != "self"],
    }


@functools.cache
def dtype_name(dtype):
    """The dtype name of a backend dtype object, without its module prefix.

    Args:
        dtype: A backend dtype (`torch.float32`, a NumPy dtype, ...).

    Returns:
        The name as a string.

    Example:

    >>> import numpy as np
    >>> dtype_name(np.dtype("float32"))
    'float32'
    """
    return str(dtype).split(".")[-1]


def check_input_spec(layer, inputs):
    """Raises a ValueError naming `layer` when `inputs` do not satisfy `layer.input_spec`.

    Eager steps call a layer with the same shape again and again, and the check
    depends only on the spec and the shapes: a single concrete input whose
    `(spec, shape)` pair already passed is not checked again.

    Args:
        layer: The layer, with an `input_spec` (an InputSpec or a list of them).
        inputs: The call's first argument.

    Example:

    >>> import numpy as np
    >>> import lamina
    >>> dense = lamina.layers.Dense(2)
    >>> _ = dense(np.ones((1, 3), "float32"))
    >>> check_input_spec(dense, np.ones((4, 3), "float32"))
    """
    spec = layer.input_spec
    shape = getattr(inputs, "shape", None)
    cacheable = shape is not None and not isinstance(inputs, KerasTensor)
    if cacheable:
        shape = tuple(shape)
        passed = layer.__dict__.get("_passed_input_spec")
        if passed is not None and passed[0] is spec and passed[1] == shape:
            return
    specs = spec if isinstance(spec, (list, tuple)) else [spec]
    flat_inputs = optree.tree_leaves(inputs)
    for index, (one_spec, tensor) in enumerate(zip(specs, flat_inputs)):
        if one_spec is not None and hasattr(tensor, "shape"):
            input_spec_lib.check_input_spec(layer, one_spec, tuple(tensor.shape), index)
    if cacheable:
        # Not a tracked attribute: a plain instance entry, invisible to layer tracking.
        object.__setattr__(layer, "_passed_input_spec", (spec, shape))


def first_mask(inputs):
    """The Keras mask of the first masked tensor in a call's first argument, or None."""
    if not isinstance(inputs, (list, tuple, dict)):
        return masking.get_keras_mask(inputs) if inputs is not None else None
    for tensor in optree.tree_leaves(inputs):
        mask = masking.get_keras_mask(tensor)
        if mask is not None:
            return mask
    return None
