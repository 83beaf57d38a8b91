"""Packages whose public names are imported on first use (PEP 562 module `__getattr__`)."""

import importlib


def lazy_getattr(package_name, namespace, names):
    """Returns a module `__getattr__` that imports each of `names` on its first use.

    A name found in `names` is imported from its module and stored in the
    package's namespace (so it is resolved once); any other name is tried as a
    subpackage (`lamina.layers.core`), as after an eager import of it.

    Args:
        package_name: The package's `__name__`.
        namespace: The package's `globals()`.
        names: `{public name: module}` or `{public name: (module, name in that module)}`,
            with absolute module names.

    Returns:
        The function to bind as the package's `__getattr__`.

    Example:

    >>> getattr_ = lazy_getattr("lamina", {}, {"floatx": "lamina.config"})
    >>> getattr_("floatx")()
    'float32'
    """

    def __getattr__(name):
        location = names.get(name)
        if location is not None:
            module_name, attribute = (location, name) if isinstance(location, str) else location
            value = getattr(importlib.import_module(module_name), attribute)
            namespace[name] = value
            return value
        if not name.startswith("__"):
            try:
                return importlib.import_module(f"{package_name}.{name}")
            except ModuleNotFoundError as error:
                if error.name != f"{package_name}.{name}":
                    raise
        raise AttributeError(f"module {package_name!r} has no attribute {name!r}")

    return __getattr__
