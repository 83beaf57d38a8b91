"""`lamina.initializers`: how weights start."""

import inspect

from lamina.initializers.constant_initializers import Ones
from lamina.initializers.constant_initializers import Zeros
from lamina.initializers.initializer import Initializer
from lamina.initializers.random_initializers import GlorotUniform
from lamina.initializers.random_initializers import VarianceScaling
from lamina.saving import serialization

ALL_OBJECTS = {
    "Initializer": Initializer,
    "Zeros": Zeros,
    "Ones": Ones,
    "GlorotUniform": GlorotUniform,
    "VarianceScaling": VarianceScaling,
    "zeros": Zeros,
    "ones": Ones,
    "glorot_uniform": GlorotUniform,
    "variance_scaling": VarianceScaling,
}


def serialize(initializer):
    """Returns the config dict of an initializer."""
    return serialization.serialize_keras_object(initializer)


def deserialize(config, custom_objects=None):
    """Returns an initializer from its config dict."""
    return serialization.deserialize_keras_object(config, ALL_OBJECTS, custom_objects, "initializer")


def get(identifier):
    """Returns an initializer from a name, a config dict, a class, an instance or a callable.

    Example:

    >>> get("zeros").__class__.__name__
    'Zeros'
    """
    if identifier is None:
        return None
    if isinstance(identifier, (str, dict)):
        found = deserialize(identifier)
        return found() if inspect.isclass(found) else found
    if inspect.isclass(identifier):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret initializer identifier: {identifier!r}")
