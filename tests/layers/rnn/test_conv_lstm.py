"""ConvLSTM1D/2D/3D: run_layer_test, parity with Keras 3 (the test oracle), config, errors, training."""

import numpy as np
import optree
import pytest
from layers.layer_test_case import run_layer_test

import lamina
from lamina import layers
from lamina import ops

CLASSES = {1: "ConvLSTM1D", 2: "ConvLSTM2D", 3: "ConvLSTM3D"}


def _data(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


def _sequence_shape(rank, channels_first=False, size=5, channels=2):
    spatial = (size,) * rank
    if channels_first:
        return (2, 3, channels, *spatial)
    return (2, 3, *spatial, channels)


@pytest.mark.parametrize("rank", [1, 2, 3])
def test_run_layer_test(rank):
    spatial = (3,) * rank
    run_layer_test(
        getattr(layers, CLASSES[rank]),
        init_kwargs={"filters": 3, "kernel_size": 3, "return_sequences": True},
        input_shape=_sequence_shape(rank),
        expected_output_shape=(2, 3, *spatial, 3),
        expected_num_trainable_weights=3,
        expected_num_non_trainable_weights=0,
        expected_num_seed_generators=1,
        supports_masking=True,
    )


def test_run_layer_test_with_states_and_dropout():
    run_layer_test(
        layers.ConvLSTM2D,
        init_kwargs={
            "filters": 2,
            "kernel_size": 2,
            "padding": "same",
            "return_state": True,
            "dropout": 0.3,
            "recurrent_dropout": 0.2,
            "seed": 1,
        },
        input_shape=(2, 3, 4, 4, 2),
        call_kwargs={"training": True},
        expected_output_shape=[(2, 4, 4, 2)] * 3,
        expected_num_trainable_weights=3,
        expected_num_seed_generators=1,
    )


def _assert_same(ours, theirs):
    ours = [np.asarray(ops.convert_to_numpy(x)) for x in optree.tree_leaves(ours)]
    theirs = [np.asarray(x) for x in optree.tree_leaves(theirs)]
    assert [x.shape for x in ours] == [x.shape for x in theirs]
    for mine, reference in zip(ours, theirs):
        np.testing.assert_allclose(mine, reference, rtol=1e-5, atol=1e-5)


PARITY_CASES = [
    (1, {}),
    (2, {}),
    (3, {}),
    (2, {"return_sequences": True}),
    (2, {"return_state": True, "go_backwards": True}),
    (2, {"return_sequences": True, "return_state": True, "padding": "same"}),
    (1, {"return_sequences": True, "strides": 2, "padding": "same"}),
    (2, {"strides": 2, "kernel_size": 2}),
    (2, {"data_format": "channels_first", "return_sequences": True, "padding": "same"}),
    (3, {"data_format": "channels_first", "return_state": True, "kernel_size": 2}),
    (2, {"dilation_rate": 2, "use_bias": False, "activation": "relu"}),
    (1, {"go_backwards": True, "return_sequences": True, "unit_forget_bias": False}),
]


@pytest.mark.parametrize("rank, kwargs", PARITY_CASES)
def test_outputs_match_keras(keras, rank, kwargs):
    kwargs = {"filters": 3, "kernel_size": 3, **kwargs}
    x = _data(_sequence_shape(rank, kwargs.get("data_format") == "channels_first"))
    # Automatic names: both libraries snake-case the class name (counters differ between them).
    assert getattr(layers, CLASSES[rank])(**kwargs).name.startswith(f"conv_lstm{rank}d")
    name = f"conv_lstm{rank}d"
    ours = getattr(layers, CLASSES[rank])(name=name, **kwargs)
    theirs = getattr(keras.layers, CLASSES[rank])(name=name, **kwargs)
    ours(ops.convert_to_tensor(x))
    theirs(x)
    assert [(w.path, tuple(w.shape)) for w in ours.weights] == [
        (w.path, tuple(w.shape)) for w in theirs.weights
    ]
    # Random, non-trivial weights (the default bias is mostly zeros).
    weights = [_data(w.shape, seed=index + 1) * 0.3 for index, w in enumerate(ours.get_weights())]
    ours.set_weights(weights)
    theirs.set_weights(weights)
    ours_output = ours(ops.convert_to_tensor(x))
    _assert_same(ours_output, theirs(x))
    shape = tuple(x.shape)
    _assert_same(ours.compute_output_shape(shape), theirs.compute_output_shape(shape))


def test_initial_state_matches_keras(keras):
    x = _data((2, 3, 5, 5, 2))
    states = [_data((2, 5, 5, 3), seed=7), _data((2, 5, 5, 3), seed=8)]
    kwargs = {
        "filters": 3,
        "kernel_size": 3,
        "padding": "same",
        "return_sequences": True,
        "return_state": True,
    }
    ours, theirs = layers.ConvLSTM2D(**kwargs), keras.layers.ConvLSTM2D(**kwargs)
    ours(x)
    theirs(x)
    theirs.set_weights(ours.get_weights())
    _assert_same(
        ours(ops.convert_to_tensor(x), initial_state=[ops.convert_to_tensor(s) for s in states]),
        theirs(x, initial_state=states),
    )


def test_masked_steps_keep_the_states():
    # Keras 3's ConvLSTM fails on masks (its mask broadcast assumes rank-2 states), so the
    # reference is the unmasked layer run on the kept timesteps only.
    x = _data((2, 3, 5, 2))
    mask = np.array([[True, False, True], [True, True, True]])
    layer = layers.ConvLSTM1D(3, 3, padding="same", return_sequences=True, return_state=True)
    outputs, h, c = (
        ops.convert_to_numpy(t) for t in layer(ops.convert_to_tensor(x), mask=ops.convert_to_tensor(mask))
    )
    np.testing.assert_allclose(outputs[0, 1], outputs[0, 0], rtol=1e-6, atol=1e-6)
    kept_outputs, kept_h, kept_c = (ops.convert_to_numpy(t) for t in layer(x[:1, [0, 2]]))
    np.testing.assert_allclose(outputs[0, 2], kept_outputs[0, 1], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(h[:1], kept_h, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(c[:1], kept_c, rtol=1e-5, atol=1e-5)
    full_outputs = ops.convert_to_numpy(layer(x[1:])[0])
    np.testing.assert_allclose(outputs[1], full_outputs[0], rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("rank", [1, 2, 3])
def test_configs_match_keras(keras, rank):
    kwargs = {
        "filters": 2,
        "kernel_size": 3,
        "padding": "same",
        "dropout": 0.25,
        "seed": 3,
        "return_sequences": True,
        "kernel_regularizer": "l2",
        "name": "recurrent",
    }
    ours = getattr(layers, CLASSES[rank])(**kwargs).get_config()
    theirs = getattr(keras.layers, CLASSES[rank])(**kwargs).get_config()
    assert list(ours) == list(theirs)
    assert ours == theirs
    assert getattr(layers, CLASSES[rank]).from_config(theirs).get_config() == theirs


def test_symbolic_outputs_and_functional_model():
    inputs = lamina.Input((3, 5, 5, 2))
    output, h, c = layers.ConvLSTM2D(4, 3, return_state=True, strides=2, padding="same")(inputs)
    assert output.shape == h.shape == c.shape == (None, 3, 3, 4)
    model = lamina.Model(inputs, output)
    assert tuple(model(_data((2, 3, 5, 5, 2))).shape) == (2, 3, 3, 4)


def test_stateful_carries_states_between_calls():
    layer = layers.ConvLSTM1D(2, 3, padding="same", stateful=True)
    x = _data((2, 3, 5, 2))
    first = ops.convert_to_numpy(layer(x))
    second = ops.convert_to_numpy(layer(x))
    assert tuple(layer.states[0].shape) == (2, 5, 2)
    assert not np.allclose(first, second)
    layer.reset_states()
    np.testing.assert_allclose(ops.convert_to_numpy(layer(x)), first, rtol=1e-6, atol=1e-6)


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match="ConvLSTM2D layer 'conv_lstm2d.*rank 5"):
        layers.ConvLSTM2D(2, 3)(np.ones((2, 3, 5, 2), "float32"))
    with pytest.raises(ValueError, match="ConvLSTM1D layer .*rank 4"):
        layers.ConvLSTM1D(2, 3)(lamina.KerasTensor((None, 3, 5, 5, 2)))
    with pytest.raises(ValueError, match=r"initial_state\[0\] of shape \(2, 3, 2\)"):
        layers.ConvLSTM1D(2, 3)(
            np.ones((2, 3, 5, 2), "float32"), initial_state=[np.zeros((2, 5, 2), "float32")] * 2
        )
    with pytest.raises(ValueError, match="padding to be 'valid' or 'same'"):
        layers.ConvLSTM2D(2, 3, padding="causal")
    with pytest.raises(ValueError, match="filters to be a positive integer"):
        layers.ConvLSTM3D(0, 3)
    with pytest.raises(ValueError, match="strides > 1 together with dilation_rate > 1"):
        layers.ConvLSTM2D(2, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match="static spatial"):
        layers.ConvLSTM2D(2, 3)(lamina.KerasTensor((None, 3, None, 5, 2)))


@pytest.mark.requires_trainable_backend
def test_one_fit_step_reduces_the_loss():
    x = _data((2, 3, 5, 5, 2))
    y = _data((2, 3, 3, 3), seed=4) * 0.5
    model = lamina.Sequential([lamina.Input((3, 5, 5, 2)), layers.ConvLSTM2D(3, 3)])
    model.compile(optimizer=lamina.optimizers.SGD(0.5), loss="mse")
    before = model.evaluate(x, y, verbose=0)
    model.fit(x, y, epochs=2, batch_size=2, verbose=0)
    assert model.evaluate(x, y, verbose=0) < before
