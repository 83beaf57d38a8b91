"""Backend packages that import their modules on first use (so `import lamina` imports no framework)."""

import functools
import importlib

# The modules every backend package holds (the backend contract test checks the files).
BACKEND_MODULES = (
    "core",
    "gradients",
    "image",
    "layer",
    "linalg",
    "math",
    "nn",
    "nn_attention",
    "nn_conv",
    "nn_linear",
    "nn_pooling",
    "numpy",
    "random",
    "rnn",
)


def lazy_module_getattr(package_name, namespace):
    """Returns a PEP 562 `__getattr__` for a backend package that loads its modules on first use.

    `layer` loads alone (its `BackendLayer` is a plain class, so defining
    `Layer` needs no framework); the first read of any other module loads them
    all, as an eager package import would.

    Args:
        package_name: The package's `__name__`.
        namespace: The package's `globals()` (where the imported modules land).

    Returns:
        The function to bind as the package's module-level `__getattr__`.

    Example:

    >>> getattr_ = lazy_module_getattr("lamina.backend.numpy", {})
    >>> getattr_("layer").__name__
    'lamina.backend.numpy.layer'
    """

    def __getattr__(name):
        if name == "layer":
            return importlib.import_module(f"{package_name}.layer")
        if name in BACKEND_MODULES:
            for module in BACKEND_MODULES:
                importlib.import_module(f"{package_name}.{module}")
            return namespace[name]
        raise AttributeError(f"module {package_name!r} has no attribute {name!r}")

    return __getattr__


@functools.cache
def in_place_updates(backend_name):
    """The backend's optional in-place update module (`_optimizer_updates`, torch only), else None.

    Optimizers and metrics update their variables through it when the backend
    can do it in place (one kernel per update, no new tensor).

    Args:
        backend_name: `"jax"`, `"torch"` or `"numpy"`.

    Returns:
        The module, or None.

    Example:

    >>> in_place_updates("numpy") is None
    True
    """
    module_name = f"lamina.backend.{backend_name}._optimizer_updates"
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name != module_name:
            raise
        return None
