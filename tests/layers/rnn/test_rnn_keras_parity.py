"""SimpleRNN, LSTM, GRU and stacked cells against Keras 3 (the test oracle): same weights, same outputs."""

import numpy as np
import optree
import pytest

import lamina
from lamina import layers
from lamina import ops


def _leaves(outputs):
    return [np.asarray(ops.convert_to_numpy(x)) for x in optree.tree_leaves(outputs)]


def _keras_leaves(outputs):
    return [np.asarray(x) for x in optree.tree_leaves(outputs)]


def _assert_same(ours, theirs):
    ours, theirs = _leaves(ours), _keras_leaves(theirs)
    assert [x.shape for x in ours] == [x.shape for x in theirs]
    for mine, reference in zip(ours, theirs):
        np.testing.assert_allclose(mine, reference, rtol=1e-5, atol=1e-5)


def _data(shape=(3, 5, 4), seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


MASK = np.array([[0, 1, 1, 0, 1], [1, 1, 0, 1, 0], [1, 1, 1, 1, 1]], bool)

CASES = [
    ({}, {}),
    ({"return_sequences": True}, {}),
    ({"return_state": True, "go_backwards": True}, {}),
    ({"return_sequences": True, "return_state": True}, {"mask": True}),
    ({"return_sequences": True, "go_backwards": True}, {"mask": True}),
    ({"return_sequences": True, "zero_output_for_mask": True}, {"mask": True}),
    ({"return_state": True}, {"initial_state": True, "mask": True}),
    ({"unroll": True, "return_sequences": True, "activation": "relu"}, {}),
]


def _call_arguments(layer_class_name, call_options, units):
    arguments = {}
    if call_options.get("mask"):
        arguments["mask"] = MASK
    if call_options.get("initial_state"):
        count = 2 if layer_class_name == "LSTM" else 1
        rng = np.random.default_rng(5)
        arguments["initial_state"] = [rng.standard_normal((3, units)).astype("float32") for _ in range(count)]
    return arguments


@pytest.mark.parametrize("class_name", ["SimpleRNN", "LSTM", "GRU"])
@pytest.mark.parametrize("kwargs, call_options", CASES)
def test_outputs_match_keras(keras, class_name, kwargs, call_options):
    x = _data()
    ours = getattr(layers, class_name)(3, name="recurrent", **kwargs)
    theirs = getattr(keras.layers, class_name)(3, name="recurrent", **kwargs)
    ours(x)
    theirs(x)
    assert [w.path for w in ours.weights] == [w.path for w in theirs.weights]
    theirs.set_weights(ours.get_weights())
    arguments = _call_arguments(class_name, call_options, 3)
    our_arguments = {
        key: ops.convert_to_tensor(value) if key == "mask" else [ops.convert_to_tensor(v) for v in value]
        for key, value in arguments.items()
    }
    _assert_same(ours(ops.convert_to_tensor(x), **our_arguments), theirs(x, **arguments))


@pytest.mark.parametrize("kwargs", [{"reset_after": False}, {"reset_after": False, "use_bias": False}])
def test_gru_variants_match_keras(keras, kwargs):
    x = _data(seed=1)
    ours = layers.GRU(4, return_sequences=True, **kwargs)
    theirs = keras.layers.GRU(4, return_sequences=True, **kwargs)
    ours(x)
    theirs(x)
    assert [w.shape for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    theirs.set_weights(ours.get_weights())
    _assert_same(ours(x), theirs(x))


def test_stacked_cells_match_keras(keras):
    x = _data(seed=2)
    ours = layers.RNN(
        [layers.LSTMCell(3), layers.GRUCell(2), layers.SimpleRNNCell(4)], return_state=True, name="r"
    )
    theirs = keras.layers.RNN(
        [keras.layers.LSTMCell(3), keras.layers.GRUCell(2), keras.layers.SimpleRNNCell(4)],
        return_state=True,
        name="r",
    )
    ours(x)
    theirs(x)
    assert [w.path for w in ours.weights] == [w.path for w in theirs.weights]
    theirs.set_weights(ours.get_weights())
    _assert_same(ours(x, mask=MASK), theirs(x, mask=MASK))


def test_embedding_mask_matches_keras(keras):
    tokens = np.array([[3, 4, 0, 0], [1, 0, 2, 0]], "int32")

    def build(library):
        return library.Sequential(
            [
                library.Input((4,), dtype="int32"),
                library.layers.Embedding(6, 3, mask_zero=True),
                library.layers.LSTM(2, return_sequences=True),
                library.layers.GRU(2),
            ]
        )

    ours, theirs = build(lamina), build(keras)
    theirs.set_weights(ours.get_weights())
    _assert_same(ours(tokens), theirs(tokens))


@pytest.mark.requires_trainable_backend
# Keras's own Variable.numpy() warns about numpy 2's __array__ copy keyword after a train step.
@pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")
@pytest.mark.parametrize("class_name", ["SimpleRNN", "LSTM", "GRU"])
def test_one_training_step_matches_keras(keras, class_name):
    x = _data((4, 5, 3), seed=3)
    y = np.random.default_rng(4).standard_normal((4, 1)).astype("float32")

    def build(library):
        model = library.Sequential(
            [library.Input((5, 3)), getattr(library.layers, class_name)(4), library.layers.Dense(1)]
        )
        model.compile(optimizer=library.optimizers.SGD(0.1), loss="mse")
        return model

    ours, theirs = build(lamina), build(keras)
    theirs.set_weights(ours.get_weights())
    ours.train_on_batch(x, y)
    theirs.train_on_batch(x, y)
    for mine, reference in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(mine, reference, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("class_name", ["SimpleRNN", "LSTM", "GRU", "SimpleRNNCell", "LSTMCell", "GRUCell"])
def test_configs_match_keras(keras, class_name):
    kwargs = {"dropout": 0.25, "seed": 3}
    ours = getattr(layers, class_name)(3, name="recurrent", **kwargs).get_config()
    theirs = getattr(keras.layers, class_name)(3, name="recurrent", **kwargs).get_config()
    assert ours == theirs
    assert getattr(layers, class_name).from_config(theirs).get_config() == theirs


def test_rnn_config_nests_the_cell_like_keras(keras):
    ours = layers.RNN(
        layers.StackedRNNCells([layers.LSTMCell(3, name="a"), layers.GRUCell(2, name="b")], name="s"),
        name="r",
    ).get_config()
    theirs = keras.layers.RNN(
        keras.layers.StackedRNNCells(
            [keras.layers.LSTMCell(3, name="a"), keras.layers.GRUCell(2, name="b")], name="s"
        ),
        name="r",
    ).get_config()
    assert ours == theirs
    revived = layers.RNN.from_config(theirs)
    assert isinstance(revived.cell, layers.StackedRNNCells)
    assert revived.get_config() == theirs
