"""Normalization layers against Keras 3 (the oracle): configs, weight names, outputs, moving statistics."""

import warnings

import numpy as np
import pytest
from testing_utils import assert_close

from lamina import layers
from lamina import ops


def _random_weights(weights, rng):
    # Variances must stay positive; every other weight is free.
    return [np.abs(rng.standard_normal(w.shape)).astype("float32") + 0.5 for w in weights]


def _twin_layers(keras, class_name, kwargs, input_shape, seed=0):
    rng = np.random.default_rng(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = getattr(keras.layers, class_name)(name="norm", **kwargs)
        ours = getattr(layers, class_name)(name="norm", **kwargs)
    theirs.build(input_shape)
    ours.build(input_shape)
    values = _random_weights(_keras_weights(theirs), rng)
    theirs.set_weights(values)
    ours.set_weights(values)
    return theirs, ours


def _keras_weights(layer):
    return [np.asarray(w.value) for w in layer.weights]


def _paths(layer):
    return [w.path for w in layer.weights]


BATCH_CASES = [
    ({}, (6, 3)),
    ({"axis": 1}, (4, 3, 5)),
    ({"axis": -1, "momentum": 0.9, "epsilon": 1e-5}, (2, 3, 3, 4)),
    ({"center": False}, (6, 3)),
    ({"scale": False}, (6, 3)),
    ({"renorm": True, "renorm_clipping": {"rmax": 1.5, "rmin": 0.8, "dmax": 0.5}}, (6, 3)),
    ({"renorm": True, "renorm_momentum": 0.5}, (4, 2, 3)),
]


@pytest.mark.parametrize("kwargs, input_shape", BATCH_CASES)
def test_batch_normalization_matches_keras(keras, kwargs, input_shape):
    theirs, ours = _twin_layers(keras, "BatchNormalization", kwargs, input_shape)
    assert ours.get_config() == theirs.get_config()
    assert _paths(ours) == _paths(theirs)
    assert [w.trainable for w in ours.weights] == [w.trainable for w in theirs.weights]
    x = (np.random.default_rng(1).standard_normal(input_shape) * 3 + 1).astype("float32")
    assert_close(ours(ops.convert_to_tensor(x)), np.asarray(theirs(x)), rtol=1e-5, atol=1e-5)
    for step in range(2):
        expected = np.asarray(theirs(x * (step + 1), training=True))
        actual = ours(ops.convert_to_tensor(x * (step + 1)), training=True)
        assert_close(actual, expected, rtol=1e-5, atol=1e-5)
        for our_weight, their_weight in zip(ours.get_weights(), _keras_weights(theirs)):
            assert_close(our_weight, their_weight, rtol=1e-5, atol=1e-5)
    assert_close(ours(ops.convert_to_tensor(x)), np.asarray(theirs(x)), rtol=1e-5, atol=1e-5)


def test_batch_normalization_mask_matches_keras(keras):
    theirs, ours = _twin_layers(keras, "BatchNormalization", {"momentum": 0.5}, (2, 5, 3))
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, 5, 3)).astype("float32")
    mask = np.array([[True, True, True, False, False], [True, True, True, True, False]])
    expected = np.asarray(theirs(x, training=True, mask=mask))
    actual = ours(ops.convert_to_tensor(x), training=True, mask=ops.convert_to_tensor(mask))
    assert_close(actual, expected, rtol=1e-5, atol=1e-5)
    for our_weight, their_weight in zip(ours.get_weights(), _keras_weights(theirs)):
        assert_close(our_weight, their_weight, rtol=1e-5, atol=1e-5)
    # The statistics really ignore the masked steps: they equal those of the kept steps alone.
    kept = np.concatenate([x[0, :3], x[1, :4]])
    initial_mean = _random_weights(_keras_weights(theirs), np.random.default_rng(0))[2]
    assert_close(ours.moving_mean, 0.5 * initial_mean + 0.5 * kept.mean(axis=0), rtol=1e-5, atol=1e-5)


def test_frozen_batch_normalization_matches_keras(keras):
    theirs, ours = _twin_layers(keras, "BatchNormalization", {}, (6, 3))
    theirs.trainable = False
    ours.trainable = False
    x = np.random.default_rng(3).standard_normal((6, 3)).astype("float32")
    before = ours.get_weights()
    expected = np.asarray(theirs(x, training=True))
    assert_close(ours(ops.convert_to_tensor(x), training=True), expected, rtol=1e-5, atol=1e-5)
    assert_close(ours(ops.convert_to_tensor(x), training=False), expected, rtol=1e-5, atol=1e-5)
    for after, original in zip(ours.get_weights(), before):
        np.testing.assert_array_equal(after, original)


LAYER_CASES = [
    ("LayerNormalization", {}, (3, 5)),
    ("LayerNormalization", {"axis": [1, 2]}, (2, 3, 4)),
    ("LayerNormalization", {"axis": 1, "epsilon": 1e-5}, (2, 3, 4)),
    ("LayerNormalization", {"center": False}, (3, 5)),
    ("LayerNormalization", {"scale": False}, (3, 5)),
    ("LayerNormalization", {"rms_scaling": True}, (3, 5)),
    ("GroupNormalization", {"groups": 2}, (3, 4)),
    ("GroupNormalization", {"groups": -1}, (2, 5, 3)),
    ("GroupNormalization", {"groups": 1, "center": False}, (2, 5, 3)),
    ("GroupNormalization", {"groups": 2, "axis": 1, "scale": False}, (2, 4, 3)),
    ("GroupNormalization", {"groups": 3, "epsilon": 1e-5}, (2, 2, 2, 6)),
    ("RMSNormalization", {}, (3, 5)),
    ("RMSNormalization", {"axis": [1, 2], "epsilon": 1e-3}, (2, 3, 4)),
    ("UnitNormalization", {}, (3, 5)),
    ("UnitNormalization", {"axis": [1, 2]}, (2, 3, 4)),
]


@pytest.mark.parametrize("class_name, kwargs, input_shape", LAYER_CASES)
def test_layers_match_keras(keras, class_name, kwargs, input_shape):
    theirs, ours = _twin_layers(keras, class_name, kwargs, input_shape)
    assert ours.get_config() == theirs.get_config()
    assert _paths(ours) == _paths(theirs)
    x = (np.random.default_rng(4).standard_normal(input_shape) * 2 + 0.5).astype("float32")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Keras warns on every call with rms_scaling=True.
        expected = np.asarray(theirs(x))
    assert_close(ours(ops.convert_to_tensor(x)), expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    "class_name, kwargs",
    [
        ("BatchNormalization", {"momentum": 0.9}),
        ("LayerNormalization", {"axis": [1, 2]}),
        ("GroupNormalization", {"groups": 4}),
        ("RMSNormalization", {}),
        ("UnitNormalization", {"axis": 1}),
    ],
)
def test_keras_configs_load(keras, class_name, kwargs):
    config = getattr(keras.layers, class_name)(name="norm", **kwargs).get_config()
    assert getattr(layers, class_name).from_config(config).get_config() == config
