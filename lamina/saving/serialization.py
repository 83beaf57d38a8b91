"""Object serialization in Keras 3's format.

An object becomes `{"module", "class_name", "config", "registered_name"}`;
a function becomes `{"module": "builtins", "class_name": "function",
"config": name, "registered_name": "function"}`. `deserialize_keras_object`
resolves names through the custom-object registry, then a namespace's own
objects.
"""

import inspect

from lamina.saving import object_registration

_PUBLIC_MODULES = {
    "lamina.initializers": "keras.initializers",
    "lamina.regularizers": "keras.regularizers",
    "lamina.constraints": "keras.constraints",
    "lamina.losses": "keras.losses",
    "lamina.metrics": "keras.metrics",
    "lamina.optimizers": "keras.optimizers",
    "lamina.layers": "keras.layers",
    "lamina.activations": "keras.activations",
    "lamina.callbacks": "keras.callbacks",
}


def _public_module(cls):
    module = cls.__module__
    for prefix, public in _PUBLIC_MODULES.items():
        if module.startswith(prefix + ".") or module == prefix:
            return public
    if module.startswith("lamina"):
        return "keras"
    return module


def serialize_keras_object(obj):
    """Returns the JSON-friendly description of a lamina object, function or plain value.

    Example:

    >>> import lamina
    >>> serialize_keras_object(lamina.regularizers.L2(0.01))["class_name"]
    'L2'
    """
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    if isinstance(obj, (list, tuple)):
        return [serialize_keras_object(item) for item in obj]
    if isinstance(obj, dict):
        return {key: serialize_keras_object(value) for key, value in obj.items()}
    if inspect.isfunction(obj) or inspect.isbuiltin(obj):
        registered = object_registration._GLOBAL_CUSTOM_NAMES.get(obj)
        return {
            "module": "builtins",
            "class_name": "function",
            "config": registered or obj.__name__,
            "registered_name": "function",
        }
    if hasattr(obj, "get_config"):
        cls = obj.__class__
        registered = object_registration._GLOBAL_CUSTOM_NAMES.get(cls)
        config = {key: serialize_keras_object(value) for key, value in obj.get_config().items()}
        return {
            "module": None if registered and cls.__module__ == "__main__" else _public_module(cls),
            "class_name": cls.__name__,
            "config": config,
            "registered_name": registered,
        }
    raise TypeError(f"Cannot serialize {obj!r} of type {type(obj).__name__}.")


def deserialize_keras_object(
    config, module_objects=None, custom_objects=None, printable_module_name="object"
):
    """Rebuilds an object from `serialize_keras_object`'s output (or a plain name).

    Args:
        config: A dict, a string name, or None.
        module_objects: Dict of the namespace's own objects by name.
        custom_objects: Dict of user objects by name.
        printable_module_name: Used in error messages ("initializer", "loss", ...).

    Returns:
        The object (an instance, a class for function-like names, or a function).
    """
    if config is None:
        return None
    if isinstance(config, str):
        found = object_registration.get_registered_object(config, custom_objects, module_objects)
        if found is None:
            raise ValueError(
                f"Unknown {printable_module_name}: '{config}'. Please ensure you are "
                "using a lamina/Keras name, or register your custom object with "
                "@lamina.saving.register_keras_serializable() or pass it in "
                "custom_objects."
            )
        return found
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            f"Could not interpret the {printable_module_name} config {config!r}: "
            "expected a dict with 'class_name' and 'config'."
        )
    class_name = config["class_name"]
    inner = config.get("config", {})
    if class_name == "function":
        return deserialize_keras_object(inner, module_objects, custom_objects, printable_module_name)
    registered = config.get("registered_name") or class_name
    cls = object_registration.get_registered_object(registered, custom_objects, module_objects)
    if cls is None:
        cls = object_registration.get_registered_object(class_name, custom_objects, module_objects)
    if cls is None:
        raise ValueError(
            f"Unknown {printable_module_name}: '{class_name}'. Register it with "
            "@lamina.saving.register_keras_serializable() or pass it in custom_objects."
        )
    if not inspect.isclass(cls):
        return cls
    return cls.from_config(inner)


def get_callable(identifier, deserialize, what, example_name):
    """The shared body of a namespace's `get`: None, a name or dict, a class, or a callable.

    Args:
        identifier: What the user passed.
        deserialize: The namespace's `deserialize(config)`.
        what: What the namespace holds, for the error ("constraint", "regularizer").
        example_name: A valid name to show in the error.

    Returns:
        The callable object, or None.
    """
    if identifier is None:
        return None
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if inspect.isclass(identifier):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(
        f"Could not interpret {what} identifier: {identifier!r}. Expected a name such "
        f"as '{example_name}', a serialized dict, a {what.capitalize()}, a callable, or None."
    )
