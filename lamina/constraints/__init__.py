"""`lamina.constraints`: projections applied to weights after each optimizer step."""

import inspect

from lamina.constraints.constraints import Constraint
from lamina.saving import serialization

ALL_OBJECTS = {"Constraint": Constraint}


def serialize(constraint):
    """Returns the config dict of a constraint."""
    return serialization.serialize_keras_object(constraint)


def deserialize(config, custom_objects=None):
    """Returns a constraint from its config dict."""
    return serialization.deserialize_keras_object(config, ALL_OBJECTS, custom_objects, "constraint")


def get(identifier):
    """Returns a constraint from a name, a config dict, an instance, a callable or None."""
    if identifier is None:
        return None
    if isinstance(identifier, (str, dict)):
        found = deserialize(identifier)
        return found() if inspect.isclass(found) else found
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret constraint identifier: {identifier!r}")
