"""`lamina.saving`: saving and loading models, and object serialization.

The file-format modules behind `save_model` / `load_model` / `save_weights` /
`load_weights` are imported on the first use of one of those names (making a
layer needs only the serialization helpers).
"""

from lamina import lazy_names
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
    "load_model",
    "load_weights",
    "register_keras_serializable",
    "save_model",
    "save_weights",
    "serialize_keras_object",
]

_SAVING_API_NAMES = frozenset(("load_model", "load_weights", "save_model", "save_weights"))
__getattr__ = lazy_names.lazy_getattr(
    __name__, globals(), {name: "lamina.saving.saving_api" for name in _SAVING_API_NAMES}
)


def __dir__():
    return sorted(set(globals()) | _SAVING_API_NAMES)
