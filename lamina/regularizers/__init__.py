"""`lamina.regularizers`: weight penalties added to the loss."""

import inspect

from lamina.regularizers.regularizers import L1
from lamina.regularizers.regularizers import L1L2
from lamina.regularizers.regularizers import L2
from lamina.regularizers.regularizers import OrthogonalRegularizer
from lamina.regularizers.regularizers import Regularizer
from lamina.saving import serialization

l1 = L1
l2 = L2
l1_l2 = L1L2
orthogonal_regularizer = OrthogonalRegularizer

ALL_OBJECTS = {
    "Regularizer": Regularizer,
    "L1": L1,
    "L2": L2,
    "L1L2": L1L2,
    "OrthogonalRegularizer": OrthogonalRegularizer,
    "regularizer": Regularizer,
    "l1": L1,
    "l2": L2,
    "l1_l2": L1L2,
    "l1l2": L1L2,
    "orthogonal_regularizer": OrthogonalRegularizer,
}


def serialize(regularizer):
    """Returns the config dict of a regularizer (None stays None).

    Example:

    >>> serialize(L2(0.5))["config"]
    {'l2': 0.5}
    """
    return serialization.serialize_keras_object(regularizer)


def deserialize(config, custom_objects=None):
    """Returns a regularizer from its serialized dict or its name.

    Example:

    >>> deserialize({"class_name": "L1", "config": {"l1": 0.5}}).l1
    0.5
    """
    found = serialization.deserialize_keras_object(
        config, custom_objects=custom_objects, module_objects=ALL_OBJECTS, printable_module_name="regularizer"
    )
    return found() if inspect.isclass(found) else found


def get(identifier):
    """Returns a regularizer from a name, a config dict, an instance, a callable or None.

    Args:
        identifier: A name (`"l2"`, `"L1L2"`), a serialized dict, a
            `Regularizer`, a callable `(weights) -> scalar`, or None.

    Returns:
        A callable regularizer, or None.

    Example:

    >>> get("l2").__class__.__name__
    'L2'
    """
    return serialization.get_callable(identifier, deserialize, "regularizer", "l2")
