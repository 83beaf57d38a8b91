"""`lamina.regularizers`: weight penalties added to the loss."""

import inspect

from lamina.regularizers.regularizers import L1
from lamina.regularizers.regularizers import L1L2
from lamina.regularizers.regularizers import L2
from lamina.regularizers.regularizers import Regularizer
from lamina.saving import serialization

l1 = L1
l2 = L2
l1_l2 = L1L2

ALL_OBJECTS = {"Regularizer": Regularizer, "L1": L1, "L2": L2, "L1L2": L1L2, "l1": L1, "l2": L2, "l1_l2": L1L2}


def serialize(regularizer):
    """Returns the config dict of a regularizer."""
    return serialization.serialize_keras_object(regularizer)


def deserialize(config, custom_objects=None):
    """Returns a regularizer from its config dict."""
    return serialization.deserialize_keras_object(config, ALL_OBJECTS, custom_objects, "regularizer")


def get(identifier):
    """Returns a regularizer from a name, a config dict, an instance, a callable or None.

    Example:

    >>> get("l2").__class__.__name__
    'L2'
    """
    if identifier is None:
        return None
    if isinstance(identifier, (str, dict)):
        found = deserialize(identifier)
        return found() if inspect.isclass(found) else found
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret regularizer identifier: {identifier!r}")
