"""`lamina.activations`: activation functions, by name or as callables."""

from lamina.activations.activations import linear
from lamina.saving import serialization

ALL_OBJECTS = {"linear": linear}


def serialize(activation):
    """Returns the activation's name (Keras stores activations in layer configs as bare strings)."""
    if activation is None:
        return "linear"
    name = getattr(activation, "__name__", None)
    if name in ALL_OBJECTS and ALL_OBJECTS[name] is activation:
        return name
    return serialization.serialize_keras_object(activation)


def deserialize(config, custom_objects=None):
    """Returns the activation function named by `config`."""
    return serialization.deserialize_keras_object(config, ALL_OBJECTS, custom_objects, "activation function")


def get(identifier):
    """Returns an activation function from a name, a config, a callable, or None (linear).

    Example:

    >>> get(None).__name__
    'linear'
    """
    if identifier is None:
        return linear
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret activation function identifier: {identifier!r}")
