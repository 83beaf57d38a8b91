"""`lamina.layers.serialize` / `deserialize`: layers (and models) to and from config dicts."""

from lamina.saving import object_registration
from lamina.saving import public_objects
from lamina.saving import serialization


def _layer_objects():
    from lamina import layers
    from lamina import models

    objects = public_objects.classes_of(layers, layers.Layer)
    objects.update({"Sequential": models.Sequential, "Functional": models.Functional, "Model": models.Model})
    return objects


def serialize(layer):
    """Returns the config dict of a layer: module, class name, config and registered name.

    Example:

    >>> import lamina
    >>> serialize(lamina.layers.Dense(2))["class_name"]
    'Dense'
    """
    return serialization.serialize_keras_object(layer)


def deserialize(config, custom_objects=None):
    """Creates a layer (or a model) from its config dict.

    Args:
        config: A dict made by `serialize`.
        custom_objects: Optional dict of custom layer classes and functions by name.

    Returns:
        The layer.

    Example:

    >>> import lamina
    >>> layer = deserialize(serialize(lamina.layers.Dense(3, name="head")))
    >>> layer.name, layer.units
    ('head', 3)
    """
    with object_registration.CustomObjectScope(custom_objects or {}):
        return serialization.deserialize_keras_object(
            config,
            custom_objects=custom_objects,
            module_objects=_layer_objects(),
            printable_module_name="layer",
        )
