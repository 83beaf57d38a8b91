"""`lamina.constraints`: projections applied to weights after each optimizer step."""

import inspect

from lamina.constraints.constraints import Constraint
from lamina.constraints.constraints import MaxNorm
from lamina.constraints.constraints import MinMaxNorm
from lamina.constraints.constraints import NonNeg
from lamina.constraints.constraints import UnitNorm
from lamina.saving import serialization

max_norm = MaxNorm
min_max_norm = MinMaxNorm
non_neg = NonNeg
unit_norm = UnitNorm

ALL_OBJECTS = {
    "Constraint": Constraint,
    "MaxNorm": MaxNorm,
    "MinMaxNorm": MinMaxNorm,
    "NonNeg": NonNeg,
    "UnitNorm": UnitNorm,
    "constraint": Constraint,
    "max_norm": MaxNorm,
    "min_max_norm": MinMaxNorm,
    "non_neg": NonNeg,
    "unit_norm": UnitNorm,
}


def serialize(constraint):
    """Returns the config dict of a constraint (None stays None).

    Example:

    >>> serialize(MaxNorm())["config"]
    {'max_value': 2, 'axis': 0}
    """
    return serialization.serialize_keras_object(constraint)


def deserialize(config, custom_objects=None):
    """Returns a constraint from its serialized dict or its name.

    Example:

    >>> deserialize("non_neg").__class__.__name__
    'NonNeg'
    """
    found = serialization.deserialize_keras_object(
        config, custom_objects=custom_objects, module_objects=ALL_OBJECTS, printable_module_name="constraint"
    )
    return found() if inspect.isclass(found) else found


def get(identifier):
    """Returns a constraint from a name, a config dict, an instance, a callable or None.

    Args:
        identifier: A name (`"max_norm"`, `"NonNeg"`), a serialized dict, a
            `Constraint`, a callable `(weights) -> weights`, or None.

    Returns:
        A callable constraint, or None.

    Example:

    >>> get("unit_norm").__class__.__name__
    'UnitNorm'
    """
    return serialization.get_callable(identifier, deserialize, "constraint", "max_norm")
