"""Object serialization in Keras 3's format.

An object becomes `{"module", "class_name", "config", "registered_name"}`
(plus `build_config` for a built layer and `compile_config` for a compiled
model); a function becomes `{"module": "builtins", "class_name": "function",
"config": name, "registered_name": "function"}`. NumPy arrays, bytes, slices
and Ellipsis have Keras's `__numpy__` / `__bytes__` / `__slice__` /
`__ellipsis__` encodings.

`deserialize_keras_object` never imports a module named in a config: a name
resolves only to an object the user registered or passed in `custom_objects`,
or to one of lamina's public modelling objects (`public_objects.py`). A
Python lambda (`__lambda__`, marshalled bytecode) is refused unless safe mode
is off.
"""

import inspect

import numpy as np

from lamina.saving import loading_scopes
from lamina.saving import object_registration
from lamina.saving import public_objects


def serialize_keras_object(obj):
    """Returns the JSON-friendly description of a lamina object, function or plain value.

    Args:
        obj: A layer, model, optimizer, loss, metric, initializer, regularizer,
            constraint, function, NumPy array or plain Python value.

    Returns:
        A structure of dicts, lists, strings and numbers.

    Example:

    >>> import lamina
    >>> serialize_keras_object(lamina.regularizers.L2(0.01))["class_name"]
    'L2'
    >>> serialize_keras_object(lamina.activations.relu)["config"]
    'relu'
    """
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    if isinstance(obj, (np.generic,)):
        return obj.item()
    if isinstance(obj, tuple):
        # Kept a tuple in memory, as Keras does; JSON writes it as a list.
        return tuple(serialize_keras_object(item) for item in obj)
    if isinstance(obj, list):
        return [serialize_keras_object(item) for item in obj]
    if isinstance(obj, dict):
        return {key: serialize_keras_object(value) for key, value in obj.items()}
    if isinstance(obj, bytes):
        return {"class_name": "__bytes__", "config": {"value": obj.decode("utf-8")}}
    if isinstance(obj, slice):
        return {
            "class_name": "__slice__",
            "config": {
                "start": serialize_keras_object(obj.start),
                "stop": serialize_keras_object(obj.stop),
                "step": serialize_keras_object(obj.step),
            },
        }
    if obj is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    if isinstance(obj, np.ndarray):
        return {"class_name": "__numpy__", "config": {"value": obj.tolist(), "dtype": obj.dtype.name}}
    if inspect.isfunction(obj) or inspect.isbuiltin(obj):
        registered = object_registration._GLOBAL_CUSTOM_NAMES.get(obj)
        return {
            "module": "builtins",
            "class_name": "function",
            "config": registered or obj.__name__,
            "registered_name": "function",
        }
    if hasattr(obj, "get_config"):
        return _serialize_configurable(obj)
    raise TypeError(
        f"Cannot serialize {obj!r} of type {type(obj).__name__}: expected a lamina object with "
        "get_config(), a function, an array or a plain Python value."
    )


def _serialize_configurable(obj):
    cls = obj.__class__
    registered = object_registration._GLOBAL_CUSTOM_NAMES.get(cls)
    public = public_objects.public_name(cls)
    if public is not None and registered is None:
        module, class_name, registered = public
    else:
        module = None if cls.__module__ == "__main__" else cls.__module__
        class_name = cls.__name__
    config = {key: serialize_keras_object(value) for key, value in obj.get_config().items()}
    serialized = {
        "module": module,
        "class_name": class_name,
        "config": config,
        "registered_name": registered,
    }
    build_config = obj.get_build_config() if hasattr(obj, "get_build_config") else None
    if build_config is not None:
        serialized["build_config"] = serialize_keras_object(build_config)
    compile_config = obj.get_compile_config() if hasattr(obj, "get_compile_config") else None
    if compile_config is not None:
        serialized["compile_config"] = serialize_keras_object(compile_config)
    return serialized


def deserialize_keras_object(config, custom_objects=None, safe_mode=True, **kwargs):
    """Rebuilds an object from `serialize_keras_object`'s output (or a plain name).

    Names resolve through `custom_objects`, the active `custom_object_scope`s,
    the registry of `register_keras_serializable`, then lamina's public
    objects. Nothing named in a config is ever imported.

    Args:
        config: A dict, a string name, or None.
        custom_objects: Dict of user objects by name.
        safe_mode: Whether to refuse Python lambdas (bytecode) in the config.
        **kwargs: `module_objects` (dict of a namespace's own objects by name,
            searched before lamina's public objects) and `printable_module_name`
            (used in error messages: "initializer", "loss", ...).

    Returns:
        The object (an instance, a class for function-like names, or a function).

    Example:

    >>> import lamina
    >>> layer = deserialize_keras_object(serialize_keras_object(lamina.layers.Dense(3)))
    >>> layer.units
    3
    """
    module_objects = kwargs.pop("module_objects", None)
    what = kwargs.pop("printable_module_name", "object")
    if kwargs:
        raise TypeError(f"deserialize_keras_object() got unexpected arguments {sorted(kwargs)}.")
    with loading_scopes.SafeModeScope(loading_scopes.effective_safe_mode(safe_mode)):
        return _deserialize(config, module_objects, custom_objects, what)


def deserialize_nested(structure, custom_objects=None):
    """Deserializes the objects inside a plain structure, leaving strings and numbers as they are.

    Compile configs mix names (`"mse"`, `"accuracy"`) that must stay names with
    serialized objects (an optimizer dict) that must become objects.

    Args:
        structure: Dicts, lists and values, some of them serialized objects.
        custom_objects: Dict of user objects by name.

    Returns:
        The same structure with every serialized object rebuilt.

    Example:

    >>> import lamina
    >>> config = {"loss": "mse", "optimizer": serialize_keras_object(lamina.optimizers.SGD())}
    >>> restored = deserialize_nested(config)
    >>> restored["loss"], type(restored["optimizer"]).__name__
    ('mse', 'SGD')
    """
    if isinstance(structure, dict) and "class_name" in structure:
        return deserialize_keras_object(structure, custom_objects=custom_objects)
    if isinstance(structure, dict):
        return {key: deserialize_nested(value, custom_objects) for key, value in structure.items()}
    if isinstance(structure, list):
        return [deserialize_nested(item, custom_objects) for item in structure]
    return structure


def _deserialize(config, module_objects, custom_objects, what):
    if config is None or isinstance(config, (int, float, bool)):
        return config
    if isinstance(config, str):
        return _resolve_name(config, None, module_objects, custom_objects, what)
    if isinstance(config, list):
        return [_deserialize(item, module_objects, custom_objects, what) for item in config]
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            f"Could not interpret the {what} config {_abbreviate(config)}: "
            "expected a dict with 'class_name' and 'config'."
        )
    class_name = config["class_name"]
    if not isinstance(class_name, str):
        raise ValueError(f"The {what} config has a non-string class_name: {_abbreviate(class_name)}.")
    inner = config.get("config", {})
    special = _SPECIAL_DECODERS.get(class_name)
    if special is not None:
        return special(inner)
    shared_id = config.get("shared_object_id")
    shared = loading_scopes.shared_object(shared_id)
    if shared is not None:
        return shared
    if class_name == "function":
        if not isinstance(inner, str):
            raise ValueError(f"A serialized function needs a name as its config; received {inner!r}.")
        return _resolve_name(inner, None, module_objects, custom_objects, what, functions=True)
    target = _resolve_class(config, module_objects, custom_objects, what)
    if not inspect.isclass(target):
        return target
    if not isinstance(inner, dict):
        raise ValueError(
            f"The config of {what} '{class_name}' must be a dict; received {_abbreviate(inner)}."
        )
    instance = _from_config(target, inner, custom_objects)
    build_config = config.get("build_config")
    if build_config and hasattr(instance, "build_from_config") and not getattr(instance, "built", False):
        instance.build_from_config(build_config)
    compile_config = config.get("compile_config")
    if compile_config and hasattr(instance, "compile_from_config"):
        instance.compile_from_config(compile_config)
    loading_scopes.remember_shared_object(shared_id, instance)
    return instance


def _from_config(target, inner, custom_objects):
    parameters = inspect.signature(target.from_config).parameters
    if "custom_objects" in parameters:
        return target.from_config(inner, custom_objects=custom_objects)
    return target.from_config(inner)


def _resolve_class(config, module_objects, custom_objects, what):
    class_name = config["class_name"]
    registered = config.get("registered_name")
    module = config.get("module")
    found = None
    if isinstance(registered, str) and registered != class_name:
        found = object_registration.get_registered_object(registered, custom_objects)
        if found is None:
            found = public_objects.find_registered(registered)
    if found is None:
        found = object_registration.get_registered_object(class_name, custom_objects, module_objects)
    if found is None:
        found = public_objects.find(module, class_name)
    if found is None:
        raise ValueError(
            f"Unknown {what}: '{class_name}' (module {module!r}, registered name "
            f"{registered!r}). lamina never imports modules named in a config: make sure the "
            "class is registered with @lamina.saving.register_keras_serializable() or passed "
            "in custom_objects=."
        )
    return found


def _resolve_name(name, module, module_objects, custom_objects, what, functions=False):
    found = object_registration.get_registered_object(name, custom_objects, module_objects)
    if found is None:
        found = public_objects.find_function(name) if functions else public_objects.find(module, name)
    if found is None:
        raise ValueError(
            f"Unknown {what}: '{name}'. Please ensure you are using a lamina/Keras name, or "
            "register your custom object with @lamina.saving.register_keras_serializable() "
            "or pass it in custom_objects."
        )
    return found


def _decode_numpy(inner):
    dtype = np.dtype(inner["dtype"])
    if dtype.kind not in "biufcUS":
        raise ValueError(f"An encoded array has the unsupported dtype {inner['dtype']!r}.")
    return np.array(inner["value"], dtype=dtype)


def _decode_tensor(inner):
    from lamina import ops

    return ops.convert_to_tensor(_decode_numpy(inner))


def _decode_lambda(inner):
    loading_scopes.refuse_lambda_if_safe("a function")
    from lamina.layers.core import lambda_layer

    return lambda_layer.load_lambda(inner)


def _refuse_keras_tensor(inner):
    raise ValueError(
        "A symbolic tensor (__keras_tensor__) appears outside a Functional model's layer nodes; "
        "the config is malformed."
    )


_SPECIAL_DECODERS = {
    "__numpy__": _decode_numpy,
    "__tensor__": _decode_tensor,
    "__bytes__": lambda inner: inner["value"].encode("utf-8"),
    "__slice__": lambda inner: slice(inner["start"], inner["stop"], inner["step"]),
    "__ellipsis__": lambda inner: Ellipsis,
    "__lambda__": _decode_lambda,
    "__keras_tensor__": _refuse_keras_tensor,
}


def _abbreviate(value, limit=200):
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


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
