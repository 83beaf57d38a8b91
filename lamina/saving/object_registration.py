"""The registry of custom objects (`register_keras_serializable`, `custom_object_scope`)."""

import inspect

from lamina.backend.common import global_state

_GLOBAL_CUSTOM_OBJECTS = {}
_GLOBAL_CUSTOM_NAMES = {}


def _scope_stack():
    return global_state.get_global_attribute("custom_object_scopes", [], set_to_default=True)


class CustomObjectScope:
    """Makes custom objects resolvable by name while the scope is active.

    Args:
        custom_objects: A dict of name -> class or function (or several dicts).

    Example:

    >>> import lamina
    >>> def double(x):
    ...     return x * 2
    >>> with lamina.saving.custom_object_scope({"double": double}):
    ...     lamina.activations.get("double") is double
    True
    """

    def __init__(self, *custom_objects):
        self.custom_objects = {}
        for objects in custom_objects:
            self.custom_objects.update(objects or {})

    def __enter__(self):
        _scope_stack().append(self.custom_objects)
        return self

    def __exit__(self, *exc_info):
        _scope_stack().pop()


custom_object_scope = CustomObjectScope


def get_custom_objects():
    """Returns the global dict of registered custom objects (mutable)."""
    return _GLOBAL_CUSTOM_OBJECTS


def register_keras_serializable(package="Custom", name=None):
    """Registers a class or function under `"package>name"` so files can refer to it.

    Args:
        package: The package part of the registered name.
        name: The name part (default: the object's `__name__`).

    Example:

    >>> import lamina
    >>> @lamina.saving.register_keras_serializable(package="demo")
    ... def triple(x):
    ...     return x * 3
    >>> lamina.saving.get_registered_name(triple)
    'demo>triple'
    """

    def decorate(obj):
        registered = f"{package}>{name or obj.__name__}"
        if inspect.isclass(obj) and not hasattr(obj, "get_config"):
            raise ValueError(
                f"Cannot register {obj.__name__}: a serializable class needs a get_config() method."
            )
        _GLOBAL_CUSTOM_OBJECTS[registered] = obj
        _GLOBAL_CUSTOM_NAMES[obj] = registered
        return obj

    return decorate


def get_registered_name(obj):
    """Returns the name `obj` is registered under, or its `__name__`."""
    return _GLOBAL_CUSTOM_NAMES.get(obj, getattr(obj, "__name__", None))


def get_registered_object(name, custom_objects=None, module_objects=None):
    """Looks `name` up in custom_objects, active scopes, the global registry, then module_objects."""
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    for scope in reversed(_scope_stack()):
        if name in scope:
            return scope[name]
    if name in _GLOBAL_CUSTOM_OBJECTS:
        return _GLOBAL_CUSTOM_OBJECTS[name]
    if module_objects and name in module_objects:
        return module_objects[name]
    return None
