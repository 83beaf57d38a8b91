"""`lamina.activations`: activation functions, by name or as callables."""

import inspect

from lamina.activations.activations import celu
from lamina.activations.activations import elu
from lamina.activations.activations import exponential
from lamina.activations.activations import gelu
from lamina.activations.activations import glu
from lamina.activations.activations import hard_sigmoid
from lamina.activations.activations import hard_silu
from lamina.activations.activations import hard_swish
from lamina.activations.activations import leaky_relu
from lamina.activations.activations import linear
from lamina.activations.activations import log_sigmoid
from lamina.activations.activations import log_softmax
from lamina.activations.activations import mish
from lamina.activations.activations import relu
from lamina.activations.activations import relu6
from lamina.activations.activations import selu
from lamina.activations.activations import sigmoid
from lamina.activations.activations import silu
from lamina.activations.activations import softmax
from lamina.activations.activations import softplus
from lamina.activations.activations import softsign
from lamina.activations.activations import swish
from lamina.activations.activations import tanh
from lamina.activations.thresholded_activations import hard_shrink
from lamina.activations.thresholded_activations import hard_tanh
from lamina.activations.thresholded_activations import soft_shrink
from lamina.activations.thresholded_activations import sparse_plus
from lamina.activations.thresholded_activations import sparse_sigmoid
from lamina.activations.thresholded_activations import sparsemax
from lamina.activations.thresholded_activations import squareplus
from lamina.activations.thresholded_activations import tanh_shrink
from lamina.activations.thresholded_activations import threshold
from lamina.saving import object_registration
from lamina.saving import serialization

_BUILT_INS = (
    celu,
    elu,
    exponential,
    gelu,
    glu,
    hard_shrink,
    hard_sigmoid,
    hard_silu,
    hard_tanh,
    leaky_relu,
    linear,
    log_sigmoid,
    log_softmax,
    mish,
    relu,
    relu6,
    selu,
    sigmoid,
    silu,
    softmax,
    softplus,
    soft_shrink,
    softsign,
    sparse_plus,
    sparse_sigmoid,
    sparsemax,
    squareplus,
    tanh,
    tanh_shrink,
    threshold,
)

ALL_OBJECTS = {function.__name__: function for function in _BUILT_INS}
ALL_OBJECTS["swish"] = silu
ALL_OBJECTS["hard_swish"] = hard_silu

__all__ = sorted(ALL_OBJECTS) + ["deserialize", "get", "serialize"]


def serialize(activation):
    """Returns what a layer config stores for `activation`.

    Built-in activations become their bare name (as in Keras configs); other
    functions and activation objects become a full serialized dict.

    Args:
        activation: An activation function, an activation object, or None.

    Returns:
        A string for built-ins, else a dict.

    Example:

    >>> import lamina
    >>> serialize(lamina.activations.gelu)
    'gelu'
    >>> serialize(lamina.activations.swish)
    'silu'
    """
    if activation is None:
        return "linear"
    name = getattr(activation, "__name__", None)
    if name in ALL_OBJECTS and ALL_OBJECTS[name] is activation:
        return name
    if inspect.isfunction(activation) and activation.__name__ == "<lambda>":
        raise ValueError(
            "activations.serialize cannot store a lambda by name. Define the activation "
            "with `def`, register it with @lamina.saving.register_keras_serializable(), "
            "or use a built-in name such as 'relu'."
        )
    if not (inspect.isfunction(activation) or hasattr(activation, "get_config")):
        raise ValueError(
            f"activations.serialize cannot serialize {activation!r}: expected a "
            "function or an object with get_config()."
        )
    return serialization.serialize_keras_object(activation)


def deserialize(config, custom_objects=None):
    """Returns the activation named or described by `config`.

    Args:
        config: A name (`"relu"`), a registered name (`"package>name"`), or a
            serialized dict.
        custom_objects: Optional dict of user activations by name.

    Returns:
        A callable.

    Example:

    >>> deserialize("relu").__name__
    'relu'
    """
    if isinstance(config, str):
        found = object_registration.get_registered_object(config, custom_objects, ALL_OBJECTS)
        if found is None:
            raise ValueError(
                f"Unknown activation function: '{config}'. Expected one of "
                f"{sorted(ALL_OBJECTS)}, or a custom activation registered with "
                "@lamina.saving.register_keras_serializable() or passed in custom_objects."
            )
    else:
        found = serialization.deserialize_keras_object(
            config,
            custom_objects=custom_objects,
            module_objects=ALL_OBJECTS,
            printable_module_name="activation function",
        )
    if inspect.isclass(found):
        found = found()
    return found


def get(identifier):
    """Returns an activation function from a name, a config, a callable, or None (linear).

    Args:
        identifier: A string, a serialized dict, a callable, or None.

    Returns:
        A callable activation.

    Example:

    >>> get(None).__name__
    'linear'
    >>> get("swish").__name__
    'silu'
    """
    if identifier is None:
        return linear
    if isinstance(identifier, (str, dict)):
        found = deserialize(identifier)
    else:
        found = identifier
    if callable(found):
        return found
    raise ValueError(
        f"Could not interpret activation function identifier: {identifier!r}. Expected a "
        "name such as 'relu', a serialized dict, a callable, or None."
    )
