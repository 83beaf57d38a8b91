"""`.weights.h5` files: lamina reads what Keras 3 writes and the other way round."""

import os
import warnings

import h5py
import numpy as np
import pytest

import lamina
from lamina.saving import weights_h5
from tests.testing_utils import assert_close


@pytest.fixture(scope="module")
def keras():
    os.environ.setdefault("KERAS_BACKEND", "jax")
    keras = pytest.importorskip("keras")
    if keras.backend.backend() != "jax":
        pytest.skip("the Keras oracle needs KERAS_BACKEND=jax")
    return keras


# Keras's own jax code trips a NumPy 2 DeprecationWarning (`__array__` without `copy`).
keras_oracle = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")


def _sequential(K):
    L = K.layers
    return K.Sequential([K.Input((4,)), L.Dense(8), L.BatchNormalization(), L.Dropout(0.1), L.Dense(3)])


def _conv(K):
    L = K.layers
    inputs = K.Input((6, 6, 2))
    outputs = L.Dense(2)(L.Flatten()(L.Conv2D(3, 3)(inputs)))
    return K.Model(inputs, outputs)


def _recurrent(K):
    L = K.layers
    inputs = K.Input((5,), dtype="int32")
    hidden = L.LSTM(3, return_sequences=True)(L.Embedding(10, 4)(inputs))
    return K.Model(inputs, L.Bidirectional(L.LSTM(2))(hidden))


def _attention_and_nested(K):
    L = K.layers
    inputs = K.Input((5, 4))
    inner = K.Sequential([K.Input((5, 4)), L.Dense(3), L.Dense(2)])
    return K.Model(inputs, inner(L.MultiHeadAttention(2, 3)(inputs, inputs)))


def _time_distributed(K):
    L = K.layers
    return K.Sequential([K.Input((4, 2)), L.TimeDistributed(L.Dense(3)), L.GRU(2)])


def _subclassed(K):
    class Tower(K.Model):
        def __init__(self):
            super().__init__()
            self.hidden = K.layers.Dense(4)
            # After `layers` in dir() order: Keras files it under layers/dense_*.
            self.zed = K.layers.Dense(2)
            self.blocks = [K.layers.Dense(3), K.layers.Dense(3)]
            self._private_blocks = {"first": K.layers.Dense(3)}
            # An attribute that first held a non-layer (torch's registry keeps a duplicate).
            self.late = None
            self.late = K.layers.Dense(3)

        def call(self, inputs):
            for block in self.blocks:
                inputs = block(inputs)
            inputs = self.late(self._private_blocks["first"](inputs))
            return self.zed(self.hidden(inputs))

    model = Tower()
    model(np.ones((1, 3), "float32"))
    return model


ARCHITECTURES = {
    "sequential": (_sequential, (2, 4), "float32"),
    "conv": (_conv, (2, 6, 6, 2), "float32"),
    "recurrent": (_recurrent, (2, 5), "int32"),
    "attention_nested": (_attention_and_nested, (2, 5, 4), "float32"),
    "time_distributed": (_time_distributed, (2, 4, 2), "float32"),
    "subclassed": (_subclassed, (2, 3), "float32"),
}


def _contents(path):
    """Every group attribute and dataset of an h5 file, keyed by path."""
    contents = {}
    with h5py.File(path, "r") as file:

        def visit(name, entry):
            if isinstance(entry, h5py.Dataset):
                contents[name] = np.asarray(entry[()])
            else:
                contents[name] = dict(entry.attrs)

        file.visititems(visit)
    return contents


def _structure(contents):
    # Layer names come from global counters, which differ between the two libraries.
    return {
        path: (value.shape, value.dtype) if isinstance(value, np.ndarray) else sorted(value)
        for path, value in contents.items()
    }


def _inputs(shape, dtype):
    if dtype == "int32":
        return np.arange(np.prod(shape)).reshape(shape).astype("int32") % 10
    return np.random.default_rng(0).normal(size=shape).astype("float32")


def _predict(model, inputs):
    return np.asarray(lamina.ops.convert_to_numpy(model(inputs, training=False)))


@keras_oracle
@pytest.mark.parametrize("architecture", sorted(ARCHITECTURES))
def test_keras_file_loads_in_lamina(keras, tmp_path, architecture):
    builder, shape, dtype = ARCHITECTURES[architecture]
    keras_model, lamina_model = builder(keras), builder(lamina)
    keras_path, lamina_path = str(tmp_path / "k.weights.h5"), str(tmp_path / "l.weights.h5")
    keras_model.save_weights(keras_path)
    lamina_model.load_weights(lamina_path.replace("l.", "k."))
    lamina_model.save_weights(lamina_path)
    written, reread = _contents(keras_path), _contents(lamina_path)
    assert _structure(reread) == _structure(written)
    for path, value in written.items():
        if isinstance(value, np.ndarray):
            np.testing.assert_array_equal(reread[path], value, err_msg=path)
    inputs = _inputs(shape, dtype)
    assert_close(_predict(lamina_model, inputs), np.asarray(keras_model(inputs, training=False)), atol=1e-5)


@keras_oracle
@pytest.mark.parametrize("architecture", sorted(ARCHITECTURES))
def test_lamina_file_loads_in_keras(keras, tmp_path, architecture):
    builder, shape, dtype = ARCHITECTURES[architecture]
    keras_model, lamina_model = builder(keras), builder(lamina)
    lamina_path, keras_path = str(tmp_path / "l.weights.h5"), str(tmp_path / "k.weights.h5")
    lamina_model.save_weights(lamina_path)
    keras_model.load_weights(lamina_path)
    keras_model.save_weights(keras_path)
    written, reread = _contents(lamina_path), _contents(keras_path)
    assert _structure(reread) == _structure(written)
    for path, value in written.items():
        if isinstance(value, np.ndarray):
            np.testing.assert_array_equal(reread[path], value, err_msg=path)
    inputs = _inputs(shape, dtype)
    assert_close(_predict(lamina_model, inputs), np.asarray(keras_model(inputs, training=False)), atol=1e-5)


@keras_oracle
@pytest.mark.requires_trainable_backend
def test_optimizer_state_round_trips_with_keras(keras, tmp_path):
    def build(K):  # No Dropout: its random masks differ between the libraries.
        layers = [K.layers.Dense(8), K.layers.BatchNormalization(), K.layers.Dense(3)]
        return K.Sequential([K.Input((4,))] + layers)

    data = np.random.default_rng(1).normal(size=(8, 4)).astype("float32")
    targets = np.ones((8, 3), "float32")
    keras_model = build(keras)
    keras_model.compile(optimizer="adam", loss="mse")
    keras_model.fit(data, targets, epochs=2, verbose=0)
    keras_path = str(tmp_path / "k.weights.h5")
    keras_model.save_weights(keras_path)
    assert "optimizer/vars/13" in _contents(keras_path)

    lamina_model = build(lamina)
    lamina_model.compile(optimizer="adam", loss="mse")
    lamina_model.optimizer.build(lamina_model.trainable_variables)
    lamina_model.load_weights(keras_path)
    lamina_path = str(tmp_path / "l.weights.h5")
    lamina_model.save_weights(lamina_path)
    written, reread = _contents(keras_path), _contents(lamina_path)
    assert _structure(reread) == _structure(written)
    for path, value in written.items():
        if isinstance(value, np.ndarray):
            np.testing.assert_array_equal(reread[path], value, err_msg=path)

    # One more identical training step on each side gives the same weights (BatchNormalization
    # leaves the first bias with near-zero gradients, which Adam's m / sqrt(v) magnifies).
    keras_model.train_on_batch(data, targets)
    lamina_model.train_on_batch(data, targets)
    for keras_weight, lamina_weight in zip(keras_model.get_weights(), lamina_model.get_weights()):
        assert_close(np.asarray(lamina_weight), np.asarray(keras_weight), atol=1e-4)


def test_layer_round_trip_and_root_group(tmp_path):
    layer = lamina.layers.Dense(2, name="solo")
    layer.build((None, 3))
    path = str(tmp_path / "solo.weights.h5")
    weights_h5.save_weights(layer, path)
    contents = _contents(path)
    assert contents["vars"] == {"name": "solo"}
    np.testing.assert_array_equal(contents["vars/0"], lamina.ops.convert_to_numpy(layer.kernel))
    other = lamina.layers.Dense(2)
    other.build((None, 3))
    weights_h5.load_weights(other, path)
    np.testing.assert_array_equal(
        lamina.ops.convert_to_numpy(other.kernel), lamina.ops.convert_to_numpy(layer.kernel)
    )


def test_filename_and_build_checks(tmp_path):
    model = _sequential(lamina)
    with pytest.raises(ValueError, match=r"must end in `\.weights\.h5`"):
        model.save_weights(str(tmp_path / "model.h5"))
    with pytest.raises(ValueError, match="File format not supported"):
        model.load_weights(str(tmp_path / "model.npz"))
    with pytest.raises(ValueError, match="not yet been built"):
        lamina.Sequential([lamina.layers.Dense(2)]).save_weights(str(tmp_path / "u.weights.h5"))
    with pytest.raises(ValueError, match="max_shard_size"):
        model.save_weights(str(tmp_path / "s.weights.h5"), max_shard_size=0)
    model.save_weights(str(tmp_path / "m.weights.h5"))
    with pytest.raises(FileExistsError):
        model.save_weights(str(tmp_path / "m.weights.h5"), overwrite=False)


def _two_dense(units):
    return lamina.Sequential([lamina.Input((4,)), lamina.layers.Dense(5), lamina.layers.Dense(units)])


def test_shape_mismatch_names_the_path_and_skip_mismatch_skips_it(tmp_path):
    path = str(tmp_path / "m.weights.h5")
    source = _two_dense(3)
    source.save_weights(path)
    target = _two_dense(2)
    with pytest.raises(ValueError, match=r"'/layers/dense_1/vars/0' has shape \(5, 3\)"):
        target.load_weights(path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        target.load_weights(path, skip_mismatch=True)
    assert any("Skipping loading weights for Dense" in str(warning.message) for warning in caught)
    np.testing.assert_array_equal(
        lamina.ops.convert_to_numpy(target.layers[0].kernel),
        lamina.ops.convert_to_numpy(source.layers[0].kernel),
    )


def test_missing_group_and_count_mismatch_are_clear(tmp_path):
    path = str(tmp_path / "m.weights.h5")
    lamina.Sequential([lamina.Input((4,)), lamina.layers.Dense(5)]).save_weights(path)
    with pytest.raises(ValueError, match=r"no group '/layers/dense_1/vars'"):
        _two_dense(3).load_weights(path)
    no_bias = lamina.Sequential([lamina.Input((4,)), lamina.layers.Dense(5, use_bias=False)])
    expected = r"expects 1 variables, but the file has 2 under '/layers/dense/vars'"
    with pytest.raises(ValueError, match=expected):
        no_bias.load_weights(path)
    unbuilt = lamina.Sequential([lamina.layers.Dense(5)])
    with pytest.raises(ValueError, match=r"expects 0 variables.*build the model"):
        unbuilt.load_weights(path)


def test_own_variable_hooks_are_used(tmp_path):
    class Counter(lamina.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.count = np.array([0, 0], "int64")

        def save_own_variables(self, store):
            store["count"] = self.count

        def load_own_variables(self, store):
            self.count = store["count"]

    layer = Counter()
    layer.count = np.array([3, 4], "int64")
    layer.built = True
    path = str(tmp_path / "c.weights.h5")
    weights_h5.save_weights(layer, path)
    assert sorted(_contents(path)) == ["vars", "vars/count"]
    other = Counter()
    weights_h5.load_weights(other, path)
    np.testing.assert_array_equal(other.count, [3, 4])


def test_interrupted_save_keeps_the_previous_file(tmp_path, monkeypatch):
    path = str(tmp_path / "m.weights.h5")
    model = _two_dense(3)
    model.save_weights(path)
    before = _contents(path)

    def fail(self, key, value):
        raise RuntimeError("disk full")

    monkeypatch.setattr(weights_h5._H5Store, "__setitem__", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        _two_dense(3).save_weights(path)
    after = _contents(path)
    assert sorted(after) == sorted(before)
    for key, value in before.items():
        if isinstance(value, np.ndarray):
            np.testing.assert_array_equal(after[key], value)
    assert os.listdir(tmp_path) == ["m.weights.h5"]


@keras_oracle
def test_bfloat16_is_stored_as_keras_does(keras, tmp_path):
    def build(K):
        return K.Sequential([K.Input((3,)), K.layers.Dense(2, dtype="bfloat16")])

    keras_path, lamina_path = str(tmp_path / "k.weights.h5"), str(tmp_path / "l.weights.h5")
    build(keras).save_weights(keras_path)
    lamina_model = build(lamina)
    lamina_model.load_weights(keras_path)
    lamina_model.save_weights(lamina_path)
    with h5py.File(keras_path, "r") as written, h5py.File(lamina_path, "r") as reread:
        for key in ("layers/dense/vars/0", "layers/dense/vars/1"):
            assert reread[key].dtype == written[key].dtype
            assert reread[key].attrs["dtype"] == written[key].attrs["dtype"] == "bfloat16"
            np.testing.assert_array_equal(reread[key][()], written[key][()])
    keras_model = build(keras)
    keras_model.load_weights(lamina_path)
    np.testing.assert_array_equal(
        np.asarray(keras_model.layers[0].kernel.numpy()).astype("float32"),
        np.asarray(lamina.ops.convert_to_numpy(lamina_model.layers[0].kernel)).astype("float32"),
    )
