"""`import lamina` loads the chosen backend's framework and no other.

A NumPy-only deployment must not need jax or torch installed, and a JAX user must
not pay torch's import time (and vice versa). The library never imports keras or
tensorflow. Each case runs in a fresh interpreter.
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


def _frameworks_imported_by_lamina(backend_name):
    environment = {key: value for key, value in os.environ.items() if key != "KERAS_BACKEND"}
    environment["LAMINA_BACKEND"] = backend_name
    result = subprocess.run(
        [sys.executable, "-c", _PROBE],
        env=environment,
        cwd=_REPOSITORY_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _require(framework):
    if importlib.util.find_spec(framework) is None:
        pytest.skip(f"{framework} is not installed")


def test_numpy_backend_imports_no_framework():
    assert _frameworks_imported_by_lamina("numpy") == []


def test_jax_backend_does_not_import_torch():
    _require("jax")
    assert _frameworks_imported_by_lamina("jax") == ["jax"]


def test_torch_backend_does_not_import_jax():
    _require("torch")
    assert _frameworks_imported_by_lamina("torch") == ["torch"]
