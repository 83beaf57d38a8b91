"""Sharded weights (`.weights.json` + `x_00000.weights.h5`, ...): the same files as Keras 3, both ways."""

import json
import os

import h5py
import numpy as np
import pytest

import lamina
from lamina.saving import weights_h5
from lamina.saving import weights_sharded
from tests.testing_utils import assert_close

# Keras's own jax code trips a NumPy 2 DeprecationWarning (`__array__` without `copy`).
keras_oracle = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")

# 200 bytes: the test model spreads over several shards, and layer groups span shards.
LIMIT = 200 / 1024**3
WITH_OPTIMIZER = [False, pytest.param(True, marks=pytest.mark.requires_trainable_backend)]


def _build(K):
    L = K.layers  # No Dropout: its random masks differ between the libraries.
    return K.Sequential([K.Input((4,)), L.Dense(8), L.BatchNormalization(), L.Dense(3, use_bias=False)])


def _data():
    generator = np.random.default_rng(3)
    return generator.normal(size=(8, 4)).astype("float32"), generator.normal(size=(8, 3)).astype("float32")


def _predict(model, inputs):
    return np.asarray(lamina.ops.convert_to_numpy(model(inputs, training=False)))


def _contents(path):
    """Every group's attribute names and every dataset of an h5 file, keyed by path."""
    contents = {}
    with h5py.File(path, "r") as file:

        def visit(name, entry):
            if isinstance(entry, h5py.Dataset):
                contents[name] = np.asarray(entry[()])
            else:  # Layer names come from global counters, which differ between the libraries.
                contents[name] = sorted(entry.attrs)

        file.visititems(visit)
    return contents


def _assert_same_files(written_directory, reread_directory):
    """The two directories hold the same index and the same shards, value for value."""
    assert sorted(os.listdir(written_directory)) == sorted(os.listdir(reread_directory))
    for name in os.listdir(written_directory):
        written_path, reread_path = written_directory / name, reread_directory / name
        if name.endswith(".json"):
            assert json.loads(reread_path.read_text()) == json.loads(written_path.read_text())
            continue
        written, reread = _contents(written_path), _contents(reread_path)
        assert sorted(reread) == sorted(written), name
        for path, value in written.items():
            if isinstance(value, np.ndarray):
                assert reread[path].dtype == value.dtype, path
                np.testing.assert_array_equal(reread[path], value, err_msg=f"{name}: {path}")
            else:
                assert reread[path] == value, path


def _compile(model, train):
    model.compile(optimizer="adam", loss="mse")
    data, targets = _data()
    if train:
        model.train_on_batch(data, targets)
        model.train_on_batch(data, targets)
    else:
        model.optimizer.build(model.trainable_variables)


@keras_oracle
@pytest.mark.parametrize("with_optimizer", WITH_OPTIMIZER)
def test_keras_shards_load_in_lamina_and_lamina_writes_the_same_files(keras, tmp_path, with_optimizer):
    keras_model, lamina_model = _build(keras), _build(lamina)
    if with_optimizer:
        _compile(keras_model, train=True)
        _compile(lamina_model, train=False)
    (tmp_path / "keras").mkdir()
    (tmp_path / "lamina").mkdir()
    keras_model.save_weights(str(tmp_path / "keras" / "m.weights.json"), max_shard_size=LIMIT)
    index = json.loads((tmp_path / "keras" / "m.weights.json").read_text())
    # The test is only meaningful when groups span shards, and Keras writes both entry forms.
    assert any(isinstance(names, list) and len(names) > 1 for names in index["weight_map"].values())
    assert any(isinstance(names, str) for names in index["weight_map"].values())

    lamina_model.load_weights(str(tmp_path / "keras" / "m.weights.json"))
    inputs, targets = _data()
    assert_close(_predict(lamina_model, inputs), np.asarray(keras_model(inputs, training=False)), atol=1e-5)
    lamina_model.save_weights(str(tmp_path / "lamina" / "m.weights.json"), max_shard_size=LIMIT)
    _assert_same_files(tmp_path / "keras", tmp_path / "lamina")

    if with_optimizer:  # The restored optimizer state gives the same next step.
        keras_model.train_on_batch(inputs, targets)
        lamina_model.train_on_batch(inputs, targets)
        for keras_weight, lamina_weight in zip(keras_model.get_weights(), lamina_model.get_weights()):
            assert_close(np.asarray(lamina_weight), np.asarray(keras_weight), atol=1e-4)


@keras_oracle
@pytest.mark.parametrize("with_optimizer", WITH_OPTIMIZER)
def test_lamina_shards_load_in_keras(keras, tmp_path, with_optimizer):
    keras_model, lamina_model = _build(keras), _build(lamina)
    if with_optimizer:
        _compile(lamina_model, train=True)
        _compile(keras_model, train=False)
    (tmp_path / "lamina").mkdir()
    (tmp_path / "keras").mkdir()
    weights_h5.save_weights(lamina_model, str(tmp_path / "lamina" / "m.weights.json"), max_shard_size=LIMIT)
    assert len(os.listdir(tmp_path / "lamina")) >= 3  # The index and at least two shards.
    keras_model.load_weights(str(tmp_path / "lamina" / "m.weights.json"))
    inputs, _ = _data()
    assert_close(_predict(lamina_model, inputs), np.asarray(keras_model(inputs, training=False)), atol=1e-5)
    # Keras writes back exactly what it read (optimizer variables included).
    keras_model.save_weights(str(tmp_path / "keras" / "m.weights.json"), max_shard_size=LIMIT)
    _assert_same_files(tmp_path / "lamina", tmp_path / "keras")
    if with_optimizer:
        shards = [name for name in os.listdir(tmp_path / "lamina") if name.endswith(".h5")]
        assert any("optimizer/vars/11" in _contents(tmp_path / "lamina" / name) for name in shards)


def _functional():
    inputs = lamina.Input((5,))
    hidden = lamina.layers.Dense(6)(inputs)
    inner = lamina.Sequential([lamina.Input((6,)), lamina.layers.Dense(4), lamina.layers.Dense(2)])
    return lamina.Model(inputs, inner(lamina.layers.LayerNormalization()(hidden)))


def test_round_trip_and_a_weights_h5_name_is_renamed(tmp_path):
    source, target = _functional(), _functional()
    with pytest.warns(UserWarning, match=r"renamed to .*m\.weights\.json"):
        source.save_weights(str(tmp_path / "m.weights.h5"), max_shard_size=128 / 1024**3)
    names = sorted(os.listdir(tmp_path))
    assert names[0] == "m.weights.json" and names[1:] == [
        f"m_{i:05}.weights.h5" for i in range(len(names) - 1)
    ]
    assert len(names) > 3
    index = json.loads((tmp_path / "m.weights.json").read_text())
    sizes = sum(np.asarray(lamina.ops.convert_to_numpy(weight)).nbytes for weight in source.weights)
    assert index["metadata"]["total_size"] == float(sizes)
    target.load_weights(str(tmp_path / "m.weights.json"))
    inputs = np.random.default_rng(0).normal(size=(3, 5)).astype("float32")
    np.testing.assert_array_equal(_predict(target, inputs), _predict(source, inputs))

    # A later save with fewer shards removes the shards only the old index used.
    source.save_weights(str(tmp_path / "m.weights.json"), max_shard_size=1)
    assert sorted(os.listdir(tmp_path)) == ["m.weights.json", "m_00000.weights.h5"]
    target.load_weights(str(tmp_path / "m.weights.json"))
    np.testing.assert_array_equal(_predict(target, inputs), _predict(source, inputs))


def test_a_layer_saves_under_the_root_group(tmp_path):
    layer = lamina.layers.Dense(2, name="solo")
    layer.build((None, 3))
    path = str(tmp_path / "solo.weights.json")
    weights_sharded.save_weights_sharded(layer, path, max_shard_size=1)
    assert json.loads((tmp_path / "solo.weights.json").read_text())["weight_map"] == {
        "/vars": ["solo_00000.weights.h5"]
    }
    other = lamina.layers.Dense(2)
    other.build((None, 3))
    weights_sharded.load_weights_sharded(other, path)
    assert_close(lamina.ops.convert_to_numpy(other.kernel), lamina.ops.convert_to_numpy(layer.kernel))


def _saved(tmp_path, limit=LIMIT):
    model = _build(lamina)
    path = tmp_path / "m.weights.json"
    model.save_weights(str(path), max_shard_size=limit)
    return model, path


@pytest.mark.parametrize(
    "shard_name",
    ["../m_00000.weights.h5", "/etc/passwd", "sub/m_00000.weights.h5", "..", "", "c:m.h5", "a\\b.h5", 3],
)
def test_shard_names_outside_the_directory_are_rejected(tmp_path, shard_name):
    model, path = _saved(tmp_path)
    index = json.loads(path.read_text())
    first = next(iter(index["weight_map"]))
    index["weight_map"][first] = [shard_name]
    path.write_text(json.dumps(index))
    with pytest.raises(ValueError, match="plain file names"):
        model.load_weights(str(path))


def test_missing_shard_and_malformed_index_are_clear(tmp_path):
    model, path = _saved(tmp_path)
    os.remove(tmp_path / "m_00001.weights.h5")
    with pytest.raises(FileNotFoundError, match=r"do not exist.*m_00001\.weights\.h5"):
        model.load_weights(str(path))
    path.write_text('{"metadata": {}}')
    with pytest.raises(ValueError, match="`weight_map` dict"):
        model.load_weights(str(path))
    path.write_text("not json")
    with pytest.raises(ValueError, match="not a valid JSON index"):
        model.load_weights(str(path))
    with pytest.raises(ValueError, match=r"`\.weights\.json` index"):
        weights_sharded.load_weights_sharded(model, str(tmp_path / "m.weights.h5"))


def test_index_naming_a_shard_without_the_group_is_clear(tmp_path):
    model, path = _saved(tmp_path)
    index = json.loads(path.read_text())
    index["weight_map"]["/layers/dense/vars"] = ["m_00001.weights.h5"]
    path.write_text(json.dumps(index))
    with pytest.raises(ValueError, match=r"shard m_00001\.weights\.h5 holds '/layers/dense/vars'"):
        model.load_weights(str(path))


def test_argument_checks(tmp_path):
    model = _build(lamina)
    with pytest.raises(ValueError, match=r"must end in `\.weights\.json`"):
        model.save_weights(str(tmp_path / "m.h5"), max_shard_size=1)
    with pytest.raises(ValueError, match="positive"):
        model.save_weights(str(tmp_path / "m.weights.json"), max_shard_size=0)
    with pytest.raises(TypeError, match="max_shard_size"):
        model.save_weights(str(tmp_path / "m.weights.json"), max_shard_size="1GB")
    with pytest.raises(ValueError, match="not yet been built"):
        lamina.Sequential([lamina.layers.Dense(2)]).save_weights(
            str(tmp_path / "u.weights.json"), max_shard_size=1
        )
    model.save_weights(str(tmp_path / "m.weights.json"), max_shard_size=1)
    with pytest.raises(FileExistsError):
        model.save_weights(str(tmp_path / "m.weights.json"), max_shard_size=1, overwrite=False)


def test_a_variable_larger_than_a_shard_is_an_error_and_leaves_no_files(tmp_path):
    model = _build(lamina)  # The first kernel is 4 x 8 float32: 128 bytes.
    with pytest.raises(
        ValueError, match=r"'/layers/dense/vars/0' is 128\.00 B.*maximum shard size 100\.00 B"
    ):
        model.save_weights(str(tmp_path / "m.weights.json"), max_shard_size=100 / 1024**3)
    assert os.listdir(tmp_path) == []


def test_interrupted_save_keeps_the_previous_files(tmp_path, monkeypatch):
    limit = 130 / 1024**3  # Four files: the index and three shards.
    _, path = _saved(tmp_path, limit)
    before = {name: (tmp_path / name).read_bytes() for name in os.listdir(tmp_path)}
    assert len(before) > 3
    original = weights_h5._H5Store.__setitem__
    calls = []

    def fail_midway(self, key, value):
        calls.append(key)
        if len(calls) == 5:  # The first shard is complete, the second half written.
            raise RuntimeError("disk full")
        original(self, key, value)

    monkeypatch.setattr(weights_h5._H5Store, "__setitem__", fail_midway)
    with pytest.raises(RuntimeError, match="disk full"):
        _build(lamina).save_weights(str(path), max_shard_size=limit)
    after = {name: (tmp_path / name).read_bytes() for name in os.listdir(tmp_path)}
    assert after == before  # Same names (no temporary left behind) and same bytes.
