"""lamina: the Keras 3 API on JAX, PyTorch and NumPy.

`import lamina as keras` runs ordinary Keras 3 code. The backend is chosen by
`LAMINA_BACKEND` (else `KERAS_BACKEND`, else `~/.lamina/lamina.json`, else
`jax`) when lamina is first imported.

Importing lamina reads the configuration only: each public submodule
(`lamina.layers`, `lamina.ops`, ...) and top-level name (`lamina.Model`, ...)
is imported on its first use, and the backend framework (jax or torch) when a
tensor is first made or, on torch, when the first layer class is defined.
"""

from lamina import config
from lamina import lazy_names

__version__ = "0.1.0"
version = __version__

_SUBMODULES = frozenset(
    (
        "activations",
        "backend",
        "callbacks",
        "constraints",
        "dtype_policies",
        "initializers",
        "layers",
        "losses",
        "metrics",
        "mixed_precision",
        "models",
        "ops",
        "optimizers",
        "random",
        "regularizers",
        "saving",
        "utils",
    )
)

# Top-level name: the module that defines it.
_NAMES = {
    "KerasTensor": "lamina.backend",
    "StatelessScope": "lamina.backend",
    "SymbolicScope": "lamina.backend",
    "Variable": "lamina.backend",
    "DTypePolicy": "lamina.dtype_policies",
    "Initializer": "lamina.initializers",
    "Input": "lamina.layers",
    "InputSpec": "lamina.layers",
    "Layer": "lamina.layers",
    "Loss": "lamina.losses",
    "Metric": "lamina.metrics",
    "Model": "lamina.models",
    "Sequential": "lamina.models",
    "Operation": "lamina.ops.operation",
    "Optimizer": "lamina.optimizers",
    "Regularizer": "lamina.regularizers",
}


__getattr__ = lazy_names.lazy_getattr(__name__, globals(), _NAMES)


def __dir__():
    return sorted(set(globals()) | _SUBMODULES | set(_NAMES))
