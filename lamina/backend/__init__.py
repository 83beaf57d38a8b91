"""The backend boundary.

Only this package imports jax or torch. `current` is the active backend
package (`lamina.backend.jax`, `lamina.backend.torch` or
`lamina.backend.numpy`); each holds the same modules (`core`, `numpy`, `nn`,
`math`, `linalg`, `random`, `layer`, `trainer`) with the same functions.
Everything above this package goes through `lamina.ops`.
"""

import importlib

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

current = importlib.import_module(f"lamina.backend.{backend()}")
Variable = current.core.Variable

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
