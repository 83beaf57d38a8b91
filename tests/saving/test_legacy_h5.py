"""Legacy `.h5` files: Keras 3's and Keras 2's whole-model files and weights, both ways."""

import base64
import json
import marshal
import os

import h5py
import numpy as np
import pytest

import lamina
from lamina.saving import legacy_h5
from lamina.saving import legacy_h5_config
from tests.testing_utils import assert_close

# Keras's own jax code trips a NumPy 2 DeprecationWarning (`__array__` without `copy`).
pytestmark = [
    pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:No training configuration found"),
]


def _sequential(K):
    L = K.layers
    model = K.Sequential(
        [K.Input((4,)), L.Dense(8, activation="relu"), L.BatchNormalization(), L.Dropout(0.3), L.Dense(3)],
        name="seq",
    )
    model.compile("adam", "mean_squared_error", metrics=["mean_absolute_error"])
    model.fit(np.ones((4, 4), "float32"), np.ones((4, 3), "float32"), verbose=0)
    return model, np.random.default_rng(0).normal(size=(2, 4)).astype("float32")


def _shared_dict(K):
    L = K.layers
    first, second = K.Input((4,), name="first"), K.Input((4,), name="second")
    shared = L.Dense(3, activation="tanh", name="shared")
    merged = L.Concatenate()([shared(first), shared(second)])
    outputs = {"score": L.Dense(1, name="score")(merged), "logits": L.Dense(2, name="logits")(merged)}
    model = K.Model({"first": first, "second": second}, outputs)
    rng = np.random.default_rng(1)
    inputs = {key: rng.normal(size=(2, 4)).astype("float32") for key in ("first", "second")}
    return model, inputs


def _recurrent_and_conv(K):
    L = K.layers
    tokens, image = K.Input((5,), dtype="int32", name="tokens"), K.Input((6, 6, 2), name="image")
    sequence = L.LSTM(3, return_sequences=True)(L.Embedding(10, 4)(tokens))
    features = L.Flatten()(L.Conv2D(2, 3)(image))
    outputs = L.Dense(2)(L.Concatenate()([L.GRU(2)(sequence), features]))
    model = K.Model([tokens, image], outputs)
    rng = np.random.default_rng(2)
    inputs = [np.arange(10).reshape(2, 5).astype("int32"), rng.normal(size=(2, 6, 6, 2)).astype("float32")]
    return model, inputs


ARCHITECTURES = {
    "sequential": _sequential,
    "shared_dict": _shared_dict,
    "recurrent_conv": _recurrent_and_conv,
}


def _predict(model, inputs):
    # A direct call, not predict(): no compilation, which keeps the test fast.
    outputs = model(inputs, training=False)
    to_numpy = np.asarray if type(model).__module__.startswith("keras") else lamina.ops.convert_to_numpy
    if isinstance(outputs, dict):
        return {key: np.asarray(to_numpy(value)) for key, value in outputs.items()}
    return np.asarray(to_numpy(outputs))


def _assert_same(first, second):
    if isinstance(first, dict):
        assert sorted(first) == sorted(second)
        for key in first:
            assert_close(first[key], second[key], atol=1e-5, rtol=1e-5)
    else:
        assert_close(first, second, atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("architecture", sorted(ARCHITECTURES))
def test_keras_h5_loads_in_lamina_and_back(keras, tmp_path, architecture):
    keras_model, inputs = ARCHITECTURES[architecture](keras)
    expected = _predict(keras_model, inputs)
    keras_model.save(tmp_path / "keras.h5")

    model = legacy_h5.load_model_from_hdf5(tmp_path / "keras.h5")
    _assert_same(_predict(model, inputs), expected)

    legacy_h5.save_model_to_hdf5(model, tmp_path / "lamina.h5")
    reloaded = keras.saving.load_model(tmp_path / "lamina.h5")
    _assert_same(_predict(reloaded, inputs), expected)


def test_optimizer_state_and_compile_survive_both_ways(keras, tmp_path):
    keras_model, _ = _sequential(keras)
    keras_model.save(tmp_path / "keras.h5")
    model = legacy_h5.load_model_from_hdf5(tmp_path / "keras.h5")
    assert model.compiled and model.optimizer.__class__.__name__ == "Adam"
    saved = [np.asarray(variable) for variable in keras_model.optimizer.variables]
    assert int(saved[0]) == 1  # One training step was taken.
    restored = [variable.numpy() for variable in model.optimizer.variables]
    assert len(restored) == len(saved)
    for mine, theirs in zip(restored, saved):
        assert_close(mine, theirs, atol=0, rtol=0)

    legacy_h5.save_model_to_hdf5(model, tmp_path / "lamina.h5")
    with h5py.File(tmp_path / "lamina.h5", "r") as file:
        training = json.loads(file.attrs["training_config"])
        assert training["optimizer_config"]["class_name"] == "Adam"
        assert training["loss"] == "mean_squared_error"
    reloaded = keras.saving.load_model(tmp_path / "lamina.h5")
    for mine, theirs in zip(reloaded.optimizer.variables, saved):
        assert_close(np.asarray(mine), theirs, atol=0, rtol=0)
    assert legacy_h5.load_model_from_hdf5(tmp_path / "lamina.h5", compile=False).optimizer is None


def _dense_model(names, units=(3, 2)):
    inputs = lamina.Input((4,), name="inputs")
    hidden = lamina.layers.Dense(units[0], name=names[0])(inputs)
    hidden = lamina.layers.BatchNormalization(name=names[1])(hidden)
    outputs = lamina.layers.Dense(units[1], name=names[2])(hidden)
    return lamina.Model(inputs, outputs)


def test_load_weights_by_position_and_by_name(tmp_path):
    source = _dense_model(["a", "norm", "b"])
    path = tmp_path / "source.h5"
    legacy_h5.save_model_to_hdf5(source, path)
    inputs = np.random.default_rng(3).normal(size=(2, 4)).astype("float32")

    renamed = _dense_model(["x", "y", "z"])
    legacy_h5.load_weights_from_hdf5(renamed, path)
    _assert_same(_predict(renamed, inputs), _predict(source, inputs))

    partly = _dense_model(["x", "norm", "b"])
    untouched = partly.get_layer("x").kernel.numpy().copy()
    legacy_h5.load_weights_from_hdf5(partly, path, by_name=True)
    assert_close(partly.get_layer("b").kernel.numpy(), source.get_layer("b").kernel.numpy(), atol=0, rtol=0)
    assert_close(partly.get_layer("x").kernel.numpy(), untouched, atol=0, rtol=0)

    wrong = _dense_model(["a", "norm", "b"], units=(3, 5))
    with pytest.raises(ValueError, match="'b'.*shape"):
        legacy_h5.load_weights_from_hdf5(wrong, path)
    with pytest.warns(UserWarning, match="Skipping"):
        legacy_h5.load_weights_from_hdf5(wrong, path, by_name=True, skip_mismatch=True)
    assert_close(wrong.get_layer("a").kernel.numpy(), source.get_layer("a").kernel.numpy(), atol=0, rtol=0)

    smaller = lamina.Sequential([lamina.Input((4,)), lamina.layers.Dense(2)])
    with pytest.raises(ValueError, match="Layer count mismatch"):
        legacy_h5.load_weights_from_hdf5(smaller, path)


def _fixed(names):
    """Keras 2 / h5py 2 style: a fixed-length `|S` bytes array."""
    return np.array([name.encode("utf8") for name in names], dtype="S")


def _keras2_config():
    def dense(name, units, activation, inbound):
        return {
            "class_name": "Dense",
            "name": name,
            "config": {
                "name": name,
                "trainable": True,
                "dtype": "float32",
                "units": units,
                "activation": activation,
                "use_bias": True,
                "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
                "bias_initializer": {"class_name": "Zeros", "config": {}},
                "kernel_regularizer": None,
                "bias_regularizer": None,
                "activity_regularizer": None,
                "kernel_constraint": None,
                "bias_constraint": None,
            },
            "inbound_nodes": [[[inbound, 0, 0, {}]]],
        }

    input_layer = {
        "class_name": "InputLayer",
        "name": "input_1",
        "config": {"batch_input_shape": [None, 4], "dtype": "float32", "sparse": False, "name": "input_1"},
        "inbound_nodes": [],
    }
    concatenate = {
        "class_name": "Concatenate",
        "name": "concatenate",
        "config": {"name": "concatenate", "trainable": True, "dtype": "float32", "axis": [-1]},
        "inbound_nodes": [[["dense", 0, 0, {}], ["dense_1", 0, 0, {}]]],
    }
    return {
        "class_name": "Functional",
        "config": {
            "name": "model",
            "layers": [
                input_layer,
                dense("dense", 3, "relu", "input_1"),
                dense("dense_1", 2, "linear", "input_1"),
                concatenate,
            ],
            "input_layers": [["input_1", 0, 0]],
            "output_layers": [["concatenate", 0, 0]],
        },
    }


def _write_keras2_file(path, config, weights, training_config=None):
    with h5py.File(path, "w") as file:
        file.attrs["keras_version"] = np.bytes_(b"2.13.1")
        file.attrs["backend"] = np.bytes_(b"tensorflow")
        file.attrs["model_config"] = np.bytes_(json.dumps(config).encode("utf8"))
        if training_config is not None:
            file.attrs["training_config"] = np.bytes_(json.dumps(training_config).encode("utf8"))
        group = file.create_group("model_weights")
        group.attrs["layer_names"] = _fixed([entry["name"] for entry in config["config"]["layers"]])
        for entry in config["config"]["layers"]:
            layer_group = group.create_group(entry["name"])
            names = [name for name in weights if name.startswith(entry["name"] + "/")]
            layer_group.attrs["weight_names"] = _fixed(names) if names else np.array([], "float64")
            for name in names:
                layer_group.create_dataset(name, data=weights[name])
        return file.filename


@pytest.mark.parametrize("class_name", ["Functional", "Model"])  # "Model": Keras 2 before 2.4.
def test_keras2_style_file_loads(tmp_path, class_name):
    rng = np.random.default_rng(4)
    weights = {
        "dense/kernel:0": rng.normal(size=(4, 3)).astype("float32"),
        "dense/bias:0": rng.normal(size=(3,)).astype("float32"),
        "dense_1/kernel:0": rng.normal(size=(4, 2)).astype("float32"),
        "dense_1/bias:0": rng.normal(size=(2,)).astype("float32"),
    }
    training = {
        "loss": "mse",
        "metrics": [[{"class_name": "MeanMetricWrapper", "config": {"name": "mae", "dtype": "float32"}}]],
        "weighted_metrics": None,
        "loss_weights": None,
        "optimizer_config": {
            "class_name": "Adam",
            "config": {"name": "Adam", "learning_rate": 0.01, "decay": 0.0, "beta_1": 0.9, "amsgrad": False},
        },
    }
    config = _keras2_config()
    config["class_name"] = class_name
    path = _write_keras2_file(tmp_path / "keras2.h5", config, weights, training)
    with h5py.File(path, "a") as file:
        # Keras 2 spells optimizer slots differently: the state cannot be matched, only warned about.
        group = file.create_group("optimizer_weights")
        group.attrs["weight_names"] = _fixed(["Adam/iter:0"])
        group.create_dataset("Adam/iter:0", data=np.int64(7))

    with pytest.warns(UserWarning, match="freshly initialized optimizer"):
        model = legacy_h5.load_model_from_hdf5(path)
    inputs = rng.normal(size=(2, 4)).astype("float32")
    first = np.maximum(inputs @ weights["dense/kernel:0"] + weights["dense/bias:0"], 0)
    second = inputs @ weights["dense_1/kernel:0"] + weights["dense_1/bias:0"]
    _assert_same(_predict(model, inputs), np.concatenate([first, second], axis=-1))
    assert model.compiled
    assert_close(float(np.asarray(model.optimizer.learning_rate)), 0.01, atol=1e-7, rtol=0)

    # A Keras 2 `save_weights("x.h5")` file: the layer groups sit at the root.
    weights_only = tmp_path / "weights_only.h5"
    with h5py.File(path, "r") as source, h5py.File(weights_only, "w") as target:
        for key, value in source["model_weights"].attrs.items():
            target.attrs[key] = value
        for key in source["model_weights"]:
            source.copy(source["model_weights"][key], target, name=key)
    fresh = lamina.models.Functional.from_config(model.get_config())
    legacy_h5.load_weights_from_hdf5(fresh, weights_only)
    _assert_same(_predict(fresh, inputs), _predict(model, inputs))


def test_legacy_config_conversions():
    config = legacy_h5_config.convert_model_config(
        {
            "class_name": "Sequential",
            "config": {
                "layers": [
                    {
                        "class_name": "BatchNormalization",
                        "config": {
                            "axis": [3],
                            "batch_input_shape": [None, 2, 2, 3],
                            "dtype": {"class_name": "Policy", "config": {"name": "mixed_float16"}},
                        },
                    },
                    {"class_name": "Lambda", "config": {"name": "twice", "function": ["AAAA", None, None]}},
                ]
            },
        }
    )
    input_layer, norm, function = config["config"]["layers"]
    assert input_layer == {
        "class_name": "InputLayer",
        "config": {"batch_shape": [None, 2, 2, 3], "dtype": "float32"},
    }
    assert norm["config"] == {"axis": 3, "dtype": "mixed_float16"}
    assert function["config"]["function"] == {
        "class_name": "__lambda__",
        "config": {"code": "AAAA", "defaults": None, "closure": None},
    }
    assert legacy_h5_config.find_python_lambdas(config) == ["twice"]
    with pytest.raises(ValueError, match="model_config"):
        legacy_h5_config.convert_model_config(["not", "a", "dict"])


def test_keras2_sequential_with_input_shape_on_first_layer(tmp_path):
    dense = _keras2_config()["config"]["layers"][1]
    dense["config"]["batch_input_shape"] = [None, 4]
    config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": [dense]}}
    weights = {"dense/kernel:0": np.ones((4, 3), "float32"), "dense/bias:0": np.arange(3, dtype="float32")}
    path = _write_keras2_file(tmp_path / "seq2.h5", config, weights)
    model = legacy_h5.load_model_from_hdf5(path)
    _assert_same(_predict(model, np.ones((1, 4), "float32")), np.array([[4.0, 5.0, 6.0]], "float32"))


def test_chunked_and_fixed_length_attributes(tmp_path):
    model = _dense_model(["a", "norm", "b"])
    path = tmp_path / "chunked.h5"
    legacy_h5.save_model_to_hdf5(model, path)
    with h5py.File(path, "a") as file:
        group = file["model_weights"]
        names = [name.decode() if isinstance(name, bytes) else name for name in group.attrs["layer_names"]]
        del group.attrs["layer_names"]
        group.attrs["layer_names0"] = _fixed(names[:2])
        group.attrs["layer_names1"] = _fixed(names[2:])
    fresh = _dense_model(["p", "q", "r"])
    legacy_h5.load_weights_from_hdf5(fresh, path)
    inputs = np.ones((1, 4), "float32")
    _assert_same(_predict(fresh, inputs), _predict(model, inputs))


def test_long_name_lists_are_chunked_on_save(tmp_path):
    with h5py.File(tmp_path / "names.h5", "w") as file:
        names = [f"layer_{index:05d}_" + "x" * 100 for index in range(1000)]
        legacy_h5._save_names(file, "layer_names", names)
        assert "layer_names" not in file.attrs and "layer_names1" in file.attrs
        assert legacy_h5._load_names(file, "layer_names") == names


def test_lambda_bytecode_is_refused_in_safe_mode(tmp_path):
    marker = tmp_path / "pwned"
    function = eval(f"lambda x: (open({str(marker)!r}, 'w').close(), x * 2.0)[1]")  # noqa: S307
    code = base64.b64encode(marshal.dumps(function.__code__)).decode("ascii")
    config = _keras2_config()
    config["config"]["layers"].append(
        {
            "class_name": "Lambda",
            "name": "evil",
            "config": {
                "name": "evil",
                "trainable": True,
                "dtype": "float32",
                "function": [code, None, None],
                "function_type": "lambda",
                "module": "__main__",
                "output_shape": None,
                "output_shape_type": "raw",
                "arguments": {},
            },
            "inbound_nodes": [[["concatenate", 0, 0, {}]]],
        }
    )
    config["config"]["output_layers"] = [["evil", 0, 0]]
    weights = {"dense/kernel:0": np.ones((4, 3), "float32"), "dense/bias:0": np.zeros(3, "float32")}
    weights.update({"dense_1/kernel:0": np.ones((4, 2), "float32"), "dense_1/bias:0": np.zeros(2, "float32")})
    path = _write_keras2_file(tmp_path / "lambda.h5", config, weights)
    with pytest.raises(ValueError, match=r"evil.*safe_mode=False"):
        legacy_h5.load_model_from_hdf5(path)
    assert not marker.exists()
    # The opt-in works (and shows that the bytecode above would have run).
    model = legacy_h5.load_model_from_hdf5(path, safe_mode=False)
    assert marker.exists() and model.get_layer("evil") is not None


def test_corrupt_and_truncated_files_raise_clear_errors(tmp_path):
    model = _dense_model(["a", "norm", "b"])
    path = tmp_path / "model.h5"
    legacy_h5.save_model_to_hdf5(model, path)
    data = path.read_bytes()

    truncated = tmp_path / "truncated.h5"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="truncated or corrupt"):
        legacy_h5.load_model_from_hdf5(truncated)
    garbage = tmp_path / "garbage.h5"
    garbage.write_bytes(b"not an hdf5 file at all" * 10)
    with pytest.raises(ValueError, match="not a readable HDF5 file"):
        legacy_h5.load_weights_from_hdf5(model, garbage)
    with pytest.raises(FileNotFoundError):
        legacy_h5.load_model_from_hdf5(tmp_path / "missing.h5")

    broken = tmp_path / "broken.h5"
    broken.write_bytes(data)
    with h5py.File(broken, "a") as file:
        file.attrs["model_config"] = "{not json"
    with pytest.raises(ValueError, match="not valid JSON"):
        legacy_h5.load_model_from_hdf5(broken)

    linked = tmp_path / "linked.h5"
    linked.write_bytes(data)
    with h5py.File(linked, "a") as file:
        group = file["model_weights/a"]
        name = [key for key in group.attrs["weight_names"]][0]
        name = name.decode() if isinstance(name, bytes) else name
        del group[name]
        group[name] = h5py.ExternalLink(str(tmp_path / "elsewhere.h5"), "/secret")
    with pytest.raises(ValueError, match="not a plain entry"):
        legacy_h5.load_model_from_hdf5(linked)


def test_interrupted_save_keeps_the_previous_file(tmp_path, monkeypatch):
    model = _dense_model(["a", "norm", "b"])
    path = tmp_path / "model.h5"
    legacy_h5.save_model_to_hdf5(model, path)
    before = path.read_bytes()

    def explode(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(legacy_h5, "_save_model_weights", explode)
    with pytest.raises(RuntimeError, match="disk full"):
        legacy_h5.save_model_to_hdf5(_dense_model(["c", "d", "e"]), path)
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["model.h5"]
    with pytest.raises(FileExistsError):
        legacy_h5.save_model_to_hdf5(model, path, overwrite=False)


@pytest.mark.requires_trainable_backend
def test_training_resumes_exactly_after_a_round_trip(tmp_path):
    model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)])
    model.compile("adam", "mse", metrics=["mae"])
    inputs, targets = np.ones((4, 3), "float32"), np.ones((4, 2), "float32")
    model.fit(inputs, targets, verbose=0, epochs=2)
    legacy_h5.save_model_to_hdf5(model, tmp_path / "model.h5")
    restored = legacy_h5.load_model_from_hdf5(tmp_path / "model.h5")
    assert int(restored.optimizer.iterations.numpy()) == 2
    model.fit(inputs, targets, verbose=0, shuffle=False)
    restored.fit(inputs, targets, verbose=0, shuffle=False)
    assert_close(restored.layers[0].kernel.numpy(), model.layers[0].kernel.numpy(), atol=1e-6, rtol=1e-6)
