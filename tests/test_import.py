"""`import lamina` loads no framework; first use loads the chosen backend's and no other.

`import lamina` only reads the configuration: submodules and the backend are
imported on first use, so a script that never makes a tensor never pays jax's or
torch's import time. A NumPy-only deployment must not need jax or torch
installed, and a JAX user must not pay torch's import time (and vice versa). The
library never imports keras or tensorflow. Each case runs in a fresh interpreter.
"""

import importlib.util
import json
import os
import subprocess
import sys

import pytest

import lamina

_REPOSITORY_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(lamina.__file__)))
_FRAMEWORKS = ("jax", "torch", "keras", "tensorflow")
_PROBE = f"""
import json
import sys

import lamina

print(json.dumps([name for name in {_FRAMEWORKS!r} if name in sys.modules]))
"""
# Each step's frameworks, then what the lazy names resolve to once the backend is loaded.
_STAGED_PROBE = f"""
import json
import sys

import numpy as np


def loaded():
    return [name for name in {_FRAMEWORKS!r} if name in sys.modules]


stages = {{}}
import lamina

stages["import"] = loaded()
stages["backend_name"] = lamina.backend.backend()
stages["current_name"] = lamina.backend.current.__name__
layer = lamina.layers.Dense(1)
stages["unbuilt_dense"] = loaded()
output = layer(np.ones((2, 3), "float32"))
stages["called_dense"] = loaded()
stages["output_shape"] = list(lamina.ops.shape(output))
stages["kernel_is_variable"] = isinstance(layer.kernel, lamina.Variable)
stages["variable_class"] = lamina.backend.Variable.__module__
stages["same_variable_class"] = lamina.Variable is lamina.backend.Variable
package = sys.modules[lamina.backend.current.__name__]
stages["current_is_loaded"] = lamina.backend.current.numpy is package.numpy
print(json.dumps(stages))
"""


def _run_probe(probe, backend_name):
    environment = {key: value for key, value in os.environ.items() if key != "KERAS_BACKEND"}
    environment["LAMINA_BACKEND"] = backend_name
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env=environment,
        cwd=_REPOSITORY_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _frameworks_imported_by_lamina(backend_name):
    return _run_probe(_PROBE, backend_name)


def _require(framework):
    if importlib.util.find_spec(framework) is None:
        pytest.skip(f"{framework} is not installed")


@pytest.mark.parametrize("backend_name", ["numpy", "jax", "torch"])
def test_import_lamina_imports_no_framework(backend_name):
    assert _frameworks_imported_by_lamina(backend_name) == []


@pytest.mark.parametrize(
    "backend_name, unbuilt_dense_frameworks",
    [
        ("numpy", []),
        ("jax", []),
        # Every torch layer is a torch.nn.Module, so defining the Layer class needs torch.
        ("torch", ["torch"]),
    ],
)
def test_first_use_loads_the_configured_backend_only(backend_name, unbuilt_dense_frameworks):
    if backend_name != "numpy":
        _require(backend_name)
    expected_after_call = [] if backend_name == "numpy" else [backend_name]
    stages = _run_probe(_STAGED_PROBE, backend_name)
    assert stages["import"] == []
    assert stages["backend_name"] == backend_name
    assert stages["current_name"] == f"lamina.backend.{backend_name}"
    assert stages["unbuilt_dense"] == unbuilt_dense_frameworks
    assert stages["called_dense"] == expected_after_call
    assert stages["output_shape"] == [2, 1]
    assert stages["kernel_is_variable"] is True
    assert stages["variable_class"] == f"lamina.backend.{backend_name}.core"
    assert stages["same_variable_class"] is True
    assert stages["current_is_loaded"] is True


def test_lazy_names_are_listed_and_resolve():
    for name in ("layers", "ops", "Model", "Sequential", "Variable", "Layer", "Input", "config"):
        assert name in dir(lamina)
    assert lamina.Model is lamina.models.Model
    assert lamina.Operation is lamina.ops.operation.Operation
    assert lamina.Variable is lamina.backend.current.core.Variable
    with pytest.raises(AttributeError, match="no_such_name"):
        lamina.no_such_name  # noqa: B018
    with pytest.raises(AttributeError, match="no_such_name"):
        lamina.backend.no_such_name  # noqa: B018
    with pytest.raises(AttributeError, match="no_such_name"):
        lamina.backend.current.no_such_name  # noqa: B018
