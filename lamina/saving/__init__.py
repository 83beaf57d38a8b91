"""`lamina.saving`: object serialization and the custom-object registry."""

from lamina.saving.object_registration import CustomObjectScope
from lamina.saving.object_registration import custom_object_scope
from lamina.saving.object_registration import get_custom_objects
from lamina.saving.object_registration import get_registered_name
from lamina.saving.object_registration import get_registered_object
from lamina.saving.object_registration import register_keras_serializable
from lamina.saving.serialization import deserialize_keras_object
from lamina.saving.serialization import serialize_keras_object

__all__ = [
    "CustomObjectScope",
    "custom_object_scope",
    "deserialize_keras_object",
    "get_custom_objects",
    "get_registered_name",
    "get_registered_object",
    "register_keras_serializable",
    "serialize_keras_object",
]
