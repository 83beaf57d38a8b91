"""The backend boundary.

Only this package imports jax or torch. `current` is the active backend
package (`lamina.backend.jax`, `lamina.backend.torch` or
`lamina.backend.numpy`); each holds the same modules (`core`, `numpy`, `nn`,
`math`, `linalg`, `random`, `layer`, `trainer`) with the same functions.
Everything above this package goes through `lamina.ops`.

Importing lamina imports no framework: `current` is a stand-in module that
imports the backend package on its first attribute read and then holds copies
of that package's attributes, so later reads (the op dispatch path) are plain
module attribute lookups. `Variable` resolves to `current.core.Variable` on
first use.
"""

import importlib
import types

from lamina.backend.common import dtypes
from lamina.backend.common.dtypes import result_type
from lamina.backend.common.dtypes import standardize_dtype
from lamina.backend.common.global_state import clear_session
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.backend.common.keras_tensor import any_symbolic_tensors
from lamina.backend.common.keras_tensor import is_keras_tensor
from lamina.backend.common.scopes import NameScope
from lamina.backend.common.scopes import StatelessScope
from lamina.backend.common.scopes import SymbolicScope
from lamina.backend.common.scopes import in_stateless_scope
from lamina.config import backend
from lamina.config import epsilon
from lamina.config import floatx
from lamina.config import image_data_format


def _make_lazy_backend(name):
    module_name = f"lamina.backend.{name}"
    lazy_module = types.ModuleType(module_name, f"The {name} backend, imported on first use.")

    # A `__getattr__` in a plain module's namespace (PEP 562) runs only on a missing
    # name, so once the copies are in, attribute reads cost what they cost on the package.
    def load_and_get(attribute):
        package = importlib.import_module(module_name)
        copies = {key: value for key, value in vars(package).items() if key != "__getattr__"}
        lazy_module.__dict__.update(copies)
        # A submodule imported after the first load (e.g. `trainer`) appears here on its first read.
        try:
            value = getattr(package, attribute)
        except AttributeError:
            raise AttributeError(f"module {module_name!r} has no attribute {attribute!r}") from None
        lazy_module.__dict__[attribute] = value
        return value

    lazy_module.__getattr__ = load_and_get
    return lazy_module


current = _make_lazy_backend(backend())


def __getattr__(name):
    # Module-level lookup (PEP 562): `Variable` is the backend's class, so naming it loads the backend.
    if name == "Variable":
        return current.core.Variable
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "KerasTensor",
    "NameScope",
    "StatelessScope",
    "SymbolicScope",
    "Variable",
    "any_symbolic_tensors",
    "backend",
    "clear_session",
    "current",
    "dtypes",
    "epsilon",
    "floatx",
    "image_data_format",
    "in_stateless_scope",
    "is_keras_tensor",
    "result_type",
    "standardize_dtype",
]
