"""Malicious configs in `.keras` files: names of outside code, Lambda bytecode, shared-object tricks.

Each raises a `ValueError`, runs nothing and leaves safe mode on. The CVE
classes: CVE-2024-3660 (Lambda bytecode), CVE-2025-1550 (module import named
in a config), CVE-2025-9905 (safe_mode ignored for a legacy `.h5` Lambda),
CVE-2025-9906 (a config that calls `enable_unsafe_deserialization`),
CVE-2026-1462 (`TFSMLayer` loading a TensorFlow SavedModel past safe_mode).
"""

import io
import json
import os
import subprocess
import sys
import zipfile

import numpy as np
import pytest

import lamina
from lamina.saving import loading_scopes
from tests.saving import archive_fixtures
from tests.saving.archive_fixtures import config_of
from tests.saving.archive_fixtures import with_config

# Lambda bytecode (CVE-2024-3660, and CVE-2025-9905 for legacy .h5).


@pytest.fixture(scope="module")
def valid_bytes(tmp_path_factory):
    return archive_fixtures.valid_archive_bytes(tmp_path_factory.mktemp("valid"))


@pytest.fixture
def stays_safe():
    """Asserts after the test that safe mode is still on and no `FORBIDDEN_MODULES` module was imported."""
    before = set(sys.modules)
    yield
    assert loading_scopes.in_safe_mode()
    forbidden = archive_fixtures.FORBIDDEN_MODULES
    new_modules = {name for name in set(sys.modules) - before if name.split(".")[0] in forbidden}
    assert not new_modules, f"loading imported {sorted(new_modules)}"


def _marker_lambda_model(marker):
    # The lambda writes a marker file when it runs: its presence would prove code execution.
    function = eval(f"lambda x: (open({str(marker)!r}, 'w').close(), x)[1]")
    model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Lambda(function), lamina.layers.Dense(2)])
    # Building the model traced the lambda once.
    os.remove(marker)
    return model


@pytest.mark.filterwarnings("ignore:No training configuration found")
@pytest.mark.parametrize("suffix", [".keras", ".h5"])
def test_lambda_bytecode_refused_in_safe_mode_and_loaded_when_unsafe(tmp_path, suffix, stays_safe):
    """CVE-2024-3660 (.keras Lambda bytecode) and CVE-2025-9905 (safe_mode ignored for .h5 Lambda)."""
    marker = tmp_path / "marker"
    path = tmp_path / f"lambda{suffix}"
    _marker_lambda_model(marker).save(path)
    assert not marker.exists()
    with pytest.raises(ValueError, match="safe_mode=False"):
        lamina.saving.load_model(path)
    assert not marker.exists()
    # Unsafe mode really runs the stored code: rebuilding the model traces the lambda.
    model = lamina.saving.load_model(path, safe_mode=False)
    assert marker.exists()
    os.remove(marker)
    np.testing.assert_array_equal(model.layers[0].function(np.ones(3)), np.ones(3))
    assert marker.exists()


def _lambda_config(marker):
    with zipfile.ZipFile(io.BytesIO(_lambda_archive_bytes(marker))) as archive:
        return json.loads(archive.read("config.json"))["config"]["layers"][1]["config"]["function"]


def _lambda_archive_bytes(marker):
    buffer = io.BytesIO()
    path = os.path.join(os.path.dirname(marker), "source.keras")
    _marker_lambda_model(marker).save(path)
    with open(path, "rb") as file:
        buffer.write(file.read())
    return buffer.getvalue()


@pytest.mark.parametrize("field", ["activation", "kernel_initializer", "kernel_regularizer", "loss"])
def test_lambda_bytecode_in_any_field_is_refused(valid_bytes, tmp_path, field, stays_safe):
    """CVE-2024-3660: a `__lambda__` hidden in a layer argument or the compile config."""
    marker = tmp_path / "marker"
    lambda_config = _lambda_config(marker)
    config = config_of(valid_bytes)
    if field == "loss":
        config["compile_config"]["loss"] = lambda_config
    else:
        config["config"]["layers"][1]["config"][field] = lambda_config
    with pytest.raises(ValueError):
        model = lamina.saving.load_model(with_config(valid_bytes, tmp_path / "m.keras", config))
        # Were a lambda accepted, using the model must still never reach it.
        model.predict(np.ones((1, 3), "float32"), verbose=0)
    assert not marker.exists()


# Names of code outside lamina (CVE-2025-1550, CVE-2025-9906, CVE-2026-1462).

_FOREIGN_NAMES = [
    ("os", "system"),
    ("subprocess", "Popen"),
    ("subprocess", "run"),
    ("builtins", "eval"),
    ("builtins", "exec"),
    ("builtins", "__import__"),
    ("keras.src.saving.saving_lib", "load_model"),
    ("keras.saving", "load_model"),
    ("keras.utils", "get_file"),
    ("keras.config", "enable_unsafe_deserialization"),
    ("keras.src.backend.config", "enable_unsafe_deserialization"),
    ("lamina.config", "enable_unsafe_deserialization"),
    ("lamina.saving.loading_scopes", "enable_unsafe_deserialization"),
    ("keras.layers", "TFSMLayer"),
    (None, "enable_unsafe_deserialization"),
    (None, "get_file"),
]


def _inject(config, place, payload):
    dense = config["config"]["layers"][1]
    if place == "layer":
        config["config"]["layers"].insert(1, payload)
    elif place == "model":
        config.update({key: payload[key] for key in ("module", "class_name", "registered_name")})
    elif place == "compile_loss":
        config["compile_config"]["loss"] = payload
    elif place == "compile_optimizer":
        config["compile_config"]["optimizer"] = payload
    elif place == "dtype":
        dense["config"]["dtype"] = payload
    else:
        dense["config"][place] = payload


_PLACES = [
    "layer",
    "model",
    "activation",
    "kernel_initializer",
    "bias_regularizer",
    "kernel_constraint",
    "dtype",
    "compile_loss",
    "compile_optimizer",
]


@pytest.fixture
def no_code_runs(monkeypatch, tmp_path):
    """Replaces the obvious sinks with tripwires; any call fails the test."""
    calls = []

    def tripwire(name):
        def call(*args, **kwargs):
            calls.append(name)
            raise AssertionError(f"{name} was called while loading")

        return call

    monkeypatch.setattr(os, "system", tripwire("os.system"))
    monkeypatch.setattr(subprocess, "Popen", tripwire("subprocess.Popen"))
    monkeypatch.setattr(loading_scopes, "enable_unsafe_deserialization", tripwire("enable_unsafe"))
    yield calls
    assert calls == []


@pytest.mark.parametrize("place", _PLACES)
@pytest.mark.parametrize("module, name", _FOREIGN_NAMES)
def test_foreign_class_names_are_refused(
    valid_bytes, tmp_path, place, module, name, stays_safe, no_code_runs
):
    """CVE-2025-1550 (module import from a config), CVE-2025-9906 (a config that calls
    `enable_unsafe_deserialization`), CVE-2026-1462 (TFSMLayer loading a SavedModel past safe_mode)."""
    payload = {
        "module": module,
        "class_name": name,
        "config": {"command": "touch pwned", "filepath": "/tmp", "origin": "http://x"},
        "registered_name": name,
    }
    config = config_of(valid_bytes)
    _inject(config, place, payload)
    with pytest.raises(ValueError):
        lamina.saving.load_model(with_config(valid_bytes, tmp_path / "m.keras", config))
    assert loading_scopes.in_safe_mode()


@pytest.mark.parametrize("place", _PLACES)
@pytest.mark.parametrize("module, name", _FOREIGN_NAMES)
def test_foreign_function_names_are_refused(
    valid_bytes, tmp_path, place, module, name, stays_safe, no_code_runs
):
    """CVE-2025-1550 / CVE-2025-9906 through the `{"class_name": "function"}` form."""
    config = config_of(valid_bytes)
    payload = {"module": module, "class_name": "function", "config": name, "registered_name": "function"}
    _inject(config, place, payload)
    with pytest.raises(ValueError):
        lamina.saving.load_model(with_config(valid_bytes, tmp_path / "m.keras", config))
    assert loading_scopes.in_safe_mode()


@pytest.mark.parametrize(
    "registered_name",
    ["os>system", "builtins>eval", "keras.config>enable_unsafe_deserialization", "Custom>os.system"],
)
def test_registered_name_tricks_are_refused(valid_bytes, tmp_path, registered_name, stays_safe, no_code_runs):
    config = config_of(valid_bytes)
    dense = config["config"]["layers"][1]
    dense.update({"module": None, "class_name": "Evil", "registered_name": registered_name})
    with pytest.raises(ValueError, match="Unknown"):
        lamina.saving.load_model(with_config(valid_bytes, tmp_path / "m.keras", config))


def test_unsafe_enabling_config_does_not_unlock_a_later_lambda(valid_bytes, tmp_path, stays_safe):
    """CVE-2025-9906: a config names `enable_unsafe_deserialization` before a Lambda layer."""
    marker = tmp_path / "marker"
    config = config_of(_lambda_archive_bytes(marker))
    enabler = {"module": "keras.config", "class_name": "function", "config": "enable_unsafe_deserialization"}
    config["config"]["layers"][2]["config"]["activation"] = enabler
    config["config"]["layers"].insert(
        1, {"module": "keras.config", "class_name": "enable_unsafe_deserialization", "config": {}}
    )
    with pytest.raises(ValueError):
        lamina.saving.load_model(with_config(valid_bytes, tmp_path / "m.keras", config))
    del config["config"]["layers"][1]
    with pytest.raises(ValueError):
        lamina.saving.load_model(with_config(valid_bytes, tmp_path / "m2.keras", config))
    assert not marker.exists()


# shared_object_id tricks.


@pytest.mark.parametrize("shared_id", [0, 1, -1, 2**70, "1", [1], {"a": 1}, 1.5, None, True])
def test_shared_object_id_tricks_fail_cleanly(valid_bytes, tmp_path, shared_id):
    """Ids that alias a layer as an activation, a model inside itself, or are not ints."""
    config = config_of(valid_bytes)
    layers = config["config"]["layers"]
    layers[1]["shared_object_id"] = shared_id
    layers[2]["shared_object_id"] = shared_id
    layers[2]["config"]["activation"] = dict(layers[1], shared_object_id=shared_id)
    config["compile_config"]["optimizer"] = {
        "module": "keras.optimizers",
        "class_name": "Adam",
        "config": {},
        "shared_object_id": shared_id,
    }
    path = with_config(valid_bytes, tmp_path / "m.keras", config)
    try:
        model = lamina.saving.load_model(path)
    except ValueError:
        return
    model.predict(np.ones((1, 3), "float32"), verbose=0)


@pytest.mark.parametrize(
    "layer_config",
    [{}, {"units": 2, "no_such_argument": 1}],
)
def test_bad_layer_arguments_raise_value_error(valid_bytes, tmp_path, layer_config):
    """A config whose arguments do not fit the class must fail as ValueError, not TypeError."""
    config = config_of(valid_bytes)
    config["config"]["layers"][1]["config"] = layer_config
    with pytest.raises(ValueError):
        lamina.saving.load_model(with_config(valid_bytes, tmp_path / "m.keras", config))
