"""Tests for lamina.config: how the backend is chosen, and the global settings.

The backend is fixed when lamina is first imported, so each resolution case runs in
a fresh interpreter. Most load `lamina/config.py` on its own (fast: no framework is
imported); two import the whole package to check the choice reaches
`lamina.backend.current`.
"""

import json
import os
import subprocess
import sys

import pytest

import lamina
from lamina import config

_REPOSITORY_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(lamina.__file__)))

_PROBE_CONFIG_ALONE = """
import importlib.util
import sys

spec = importlib.util.spec_from_file_location("config_probe", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
print(module.backend(), module.floatx(), module.epsilon(), module.image_data_format())
"""

_PROBE_PACKAGE = """
import lamina

print(lamina.config.backend(), lamina.backend.current.__name__)
"""


def _run(code, tmp_path, env_overrides, args=()):
    """Runs `code` in a fresh interpreter whose environment names no backend."""
    environment = {
        key: value for key, value in os.environ.items() if key not in ("LAMINA_BACKEND", "KERAS_BACKEND")
    }
    environment["HOME"] = str(tmp_path / "home")
    environment["LAMINA_HOME"] = str(tmp_path / "lamina_home")
    environment.update(env_overrides)
    environment = {key: value for key, value in environment.items() if value is not None}
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        env=environment,
        cwd=_REPOSITORY_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _resolve(tmp_path, file_content=None, file_folder="lamina_home", **env_overrides):
    """Returns `[backend, floatx, epsilon, image_data_format]` as a fresh import sees them."""
    if file_content is not None:
        folder = tmp_path / file_folder
        folder.mkdir(parents=True, exist_ok=True)
        text = file_content if isinstance(file_content, str) else json.dumps(file_content)
        (folder / "lamina.json").write_text(text)
    result = _run(_PROBE_CONFIG_ALONE, tmp_path, env_overrides, args=(config.__file__,))
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def _resolve_error(tmp_path, file_content=None, **env_overrides):
    if file_content is not None:
        (tmp_path / "lamina_home").mkdir(parents=True, exist_ok=True)
        (tmp_path / "lamina_home" / "lamina.json").write_text(json.dumps(file_content))
    result = _run(_PROBE_CONFIG_ALONE, tmp_path, env_overrides, args=(config.__file__,))
    assert result.returncode != 0, result.stdout
    return result.stderr


def test_default_backend_is_jax_with_keras_defaults(tmp_path):
    assert _resolve(tmp_path) == ["jax", "float32", "1e-07", "channels_last"]


def test_lamina_backend_variable_wins_over_everything(tmp_path):
    chosen = _resolve(tmp_path, {"backend": "numpy"}, LAMINA_BACKEND="torch", KERAS_BACKEND="jax")
    assert chosen[0] == "torch"


def test_keras_backend_variable_comes_second(tmp_path):
    assert _resolve(tmp_path, {"backend": "numpy"}, KERAS_BACKEND="torch")[0] == "torch"


def test_config_file_comes_third(tmp_path):
    assert _resolve(tmp_path, {"backend": "numpy"})[0] == "numpy"


def test_config_file_defaults_to_home_dot_lamina(tmp_path):
    chosen = _resolve(tmp_path, {"backend": "torch"}, file_folder="home/.lamina", LAMINA_HOME=None)
    assert chosen[0] == "torch"


def test_lamina_home_moves_the_config_file(tmp_path):
    # A file under ~/.lamina is ignored once LAMINA_HOME points elsewhere.
    chosen = _resolve(tmp_path, {"backend": "torch"}, file_folder="home/.lamina")
    assert chosen[0] == "jax"


def test_empty_variable_falls_through(tmp_path):
    assert _resolve(tmp_path, LAMINA_BACKEND="", KERAS_BACKEND="numpy")[0] == "numpy"


def test_backend_name_is_case_and_space_insensitive(tmp_path):
    assert _resolve(tmp_path, LAMINA_BACKEND=" Torch ")[0] == "torch"


def test_config_file_sets_floatx_epsilon_and_image_data_format(tmp_path):
    settings = {"floatx": "float64", "epsilon": 0.001, "image_data_format": "channels_first"}
    assert _resolve(tmp_path, settings) == ["jax", "float64", "0.001", "channels_first"]


def test_unreadable_config_file_is_ignored(tmp_path):
    assert _resolve(tmp_path, "{not json")[0] == "jax"


@pytest.mark.parametrize(
    "source, env_overrides, file_content",
    [
        ("LAMINA_BACKEND", {"LAMINA_BACKEND": "tensorflow"}, None),
        ("KERAS_BACKEND", {"KERAS_BACKEND": "tensorflow"}, None),
        ("lamina.json", {}, {"backend": "tensorflow"}),
    ],
)
def test_unsupported_backend_name_is_an_error(tmp_path, source, env_overrides, file_content):
    stderr = _resolve_error(tmp_path, file_content, **env_overrides)
    assert "ValueError" in stderr
    assert source in stderr
    assert "'tensorflow'" in stderr
    assert "('jax', 'torch', 'numpy')" in stderr


def test_choice_reaches_the_backend_package(tmp_path):
    result = _run(_PROBE_PACKAGE, tmp_path, {"KERAS_BACKEND": "numpy"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["numpy", "lamina.backend.numpy"]


def test_config_file_choice_reaches_the_backend_package(tmp_path):
    (tmp_path / "lamina_home").mkdir()
    (tmp_path / "lamina_home" / "lamina.json").write_text(json.dumps({"backend": "numpy"}))
    result = _run(_PROBE_PACKAGE, tmp_path, {})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["numpy", "lamina.backend.numpy"]


def test_backend_matches_the_running_suite():
    expected = os.environ.get("LAMINA_BACKEND") or os.environ.get("KERAS_BACKEND")
    if expected:
        assert lamina.config.backend() == expected.strip().lower()
    assert lamina.backend.current.__name__ == f"lamina.backend.{lamina.config.backend()}"


@pytest.fixture
def restore_settings():
    saved = (config.floatx(), config.epsilon(), config.image_data_format())
    yield
    config.set_floatx(saved[0])
    config.set_epsilon(saved[1])
    config.set_image_data_format(saved[2])


@pytest.mark.parametrize("value", ["float16", "bfloat16", "float32", "float64"])
def test_set_floatx(restore_settings, value):
    config.set_floatx(value)
    assert config.floatx() == value


@pytest.mark.parametrize("value", ["float8", "int32", "double", None])
def test_set_floatx_rejects_unsupported_values(restore_settings, value):
    before = config.floatx()
    with pytest.raises(ValueError, match=rf"set_floatx expects one of .*Received: value='{value}'"):
        config.set_floatx(value)
    assert config.floatx() == before


def test_set_epsilon(restore_settings):
    config.set_epsilon(1e-4)
    assert config.epsilon() == 1e-4
    assert isinstance(config.epsilon(), float)


def test_set_epsilon_rejects_non_numbers(restore_settings):
    before = config.epsilon()
    with pytest.raises((TypeError, ValueError)):
        config.set_epsilon("small")
    assert config.epsilon() == before


@pytest.mark.parametrize("value", ["channels_first", "channels_last", "CHANNELS_FIRST"])
def test_set_image_data_format(restore_settings, value):
    config.set_image_data_format(value)
    assert config.image_data_format() == value.lower()
    assert config.standardize_data_format(None) == value.lower()


def test_set_image_data_format_rejects_unknown_formats(restore_settings):
    before = config.image_data_format()
    with pytest.raises(ValueError, match=r"set_image_data_format expects one of .*data_format='nhwc'"):
        config.set_image_data_format("nhwc")
    assert config.image_data_format() == before


def test_standardize_data_format():
    assert config.standardize_data_format("Channels_First") == "channels_first"
    with pytest.raises(ValueError, match=r"data_format must be one of .*data_format='nchw'"):
        config.standardize_data_format("nchw")


def test_backend_namespace_reexports_the_getters():
    assert lamina.backend.backend() == config.backend()
    assert lamina.backend.floatx() == config.floatx()
    assert lamina.backend.epsilon() == config.epsilon()
    assert lamina.backend.image_data_format() == config.image_data_format()


def test_set_dtype_policy_is_the_global_policy():
    try:
        lamina.config.set_dtype_policy("mixed_float16")
        assert lamina.config.dtype_policy() == lamina.mixed_precision.dtype_policy()
        layer = lamina.layers.Dense(2)
        assert (layer.compute_dtype, layer.variable_dtype) == ("float16", "float32")
    finally:
        lamina.config.set_dtype_policy("float32")
    assert lamina.config.dtype_policy().name == "float32"
