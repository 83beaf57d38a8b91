"""lamina's public modelling objects, under the Keras module names files use for them.

A saved config names each object by a public Keras module and class name
(`"keras.layers"`, `"Dense"`). Loading looks the pair up in these tables and
never imports anything, so a config cannot reach code outside them (Keras's
CVE-2025-1550 and CVE-2025-9906 came from importing modules named in a
file). Writing uses the same tables, so Keras reads lamina's files.
"""

import functools
import inspect

FUNCTIONAL_MODULE = "keras.src.models.functional"


def classes_of(module, base):
    """The public classes of `module` (by name) that subclass `base`.

    Names come from `dir(module)`, so a package that imports its modules on first
    use (`lamina.layers`) lists them all.

    Args:
        module: A module.
        base: A class.

    Returns:
        A dict `{name: class}`.

    Example:

    >>> import lamina
    >>> classes_of(lamina.layers, lamina.layers.Layer)["Dense"] is lamina.layers.Dense
    True
    """
    classes = {}
    for name in dir(module):
        if name.startswith("_"):
            continue
        value = getattr(module, name)
        if inspect.isclass(value) and issubclass(value, base):
            classes[name] = value
    return classes


def _callables(objects):
    return {name: value for name, value in dict(objects).items() if callable(value)}


def _by_name(objects):
    return {obj.__name__: obj for obj in objects}


@functools.cache
def _namespaces():
    """Keras public module -> {name: object}, in the order names are chosen when writing."""
    from lamina import activations
    from lamina import constraints
    from lamina import dtype_policies
    from lamina import initializers
    from lamina import layers
    from lamina import losses
    from lamina import metrics
    from lamina import models
    from lamina import optimizers
    from lamina import random
    from lamina import regularizers

    namespaces = {
        FUNCTIONAL_MODULE: {"Functional": models.Functional},
        "keras": {
            "Sequential": models.Sequential,
            "Model": models.Model,
            "DTypePolicy": dtype_policies.DTypePolicy,
            "FloatDTypePolicy": dtype_policies.DTypePolicy,
        },
        "keras.layers": classes_of(layers, layers.Layer),
        "keras.optimizers": _by_name(optimizers.ALL_OBJECTS),
        "keras.losses": _callables(losses.ALL_OBJECTS_DICT),
        "keras.metrics": _callables(metrics.ALL_OBJECTS_DICT),
        "keras.initializers": _callables(initializers.ALL_OBJECTS),
        "keras.regularizers": _callables(regularizers.ALL_OBJECTS),
        "keras.constraints": _callables(constraints.ALL_OBJECTS),
        "keras.activations": _callables(activations.ALL_OBJECTS),
        "keras.random": {"SeedGenerator": random.SeedGenerator},
        "keras.dtype_policies": {"DTypePolicy": dtype_policies.DTypePolicy},
        "keras.models": {
            "Sequential": models.Sequential,
            "Model": models.Model,
            "Functional": models.Functional,
        },
    }
    schedules = getattr(optimizers, "schedules", None)
    if schedules is not None and hasattr(schedules, "ALL_OBJECTS_DICT"):
        namespaces["keras.optimizers.schedules"] = _callables(schedules.ALL_OBJECTS_DICT)
    return namespaces


# Keras's own registered names for classes it has no public name for.
_KERAS_REGISTERED = {"Functional": (FUNCTIONAL_MODULE, "Functional")}

# Where a `builtins` function name is looked up, as Keras does.
_FUNCTION_MODULES = (
    "keras.activations",
    "keras.losses",
    "keras.metrics",
    "keras.initializers",
    "keras.regularizers",
    "keras.constraints",
    "keras.optimizers",
)


@functools.cache
def _public_names():
    names = {}
    for module, objects in _namespaces().items():
        for name, obj in objects.items():
            if inspect.isclass(obj) and obj.__name__ == name and obj not in names:
                registered = "Functional" if module == FUNCTIONAL_MODULE else None
                names[obj] = (module, name, registered)
    return names


def public_name(cls):
    """Returns `(module, class_name, registered_name)` Keras files use for `cls`, or None.

    Example:

    >>> import lamina
    >>> public_name(lamina.layers.Dense)
    ('keras.layers', 'Dense', None)
    """
    return _public_names().get(cls)


def find(module, class_name):
    """Returns the public object a config names, or None when the name is not a public one.

    A Keras public module is searched for `class_name`; a module of Keras's or
    lamina's own source tree (`"keras.src.layers.core.dense"`), or none at all
    (legacy configs), is resolved by class name among lamina's public classes.
    Any other module gives None: nothing is imported.

    Example:

    >>> find("keras.layers", "Dense").__name__
    'Dense'
    >>> find("os", "system") is None
    True
    """
    if not isinstance(class_name, str):
        return None
    namespaces = _namespaces()
    if isinstance(module, str) and module in namespaces:
        return namespaces[module].get(class_name)
    if module is None or (isinstance(module, str) and module.split(".")[0] in ("keras", "lamina")):
        for objects in namespaces.values():
            found = objects.get(class_name)
            if inspect.isclass(found):
                return found
    return None


def find_registered(registered_name):
    """Returns the lamina class for one of Keras's own registered names (e.g. "Functional"), or None."""
    location = _KERAS_REGISTERED.get(registered_name)
    return find(*location) if location else None


def find_function(name):
    """Returns a public function (activation, loss, metric, ...) by its bare name, or None.

    Example:

    >>> find_function("relu").__name__
    'relu'
    """
    namespaces = _namespaces()
    for module in _FUNCTION_MODULES:
        found = namespaces.get(module, {}).get(name)
        if found is not None:
            return found
    return None
