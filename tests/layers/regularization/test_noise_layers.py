"""SpatialDropout*, GaussianDropout, GaussianNoise, AlphaDropout, ActivityRegularization."""

import math

import numpy as np
import pytest
from layers.layer_test_case import run_layer_test
from testing_utils import assert_close

from lamina import layers
from lamina import ops

RANDOM_CASES = [
    ("SpatialDropout1D", {"rate": 0.5, "seed": 1}, (2, 3, 4)),
    ("SpatialDropout2D", {"rate": 0.5, "seed": 1}, (2, 3, 3, 4)),
    ("SpatialDropout2D", {"rate": 0.5, "data_format": "channels_first"}, (2, 4, 3, 3)),
    ("SpatialDropout3D", {"rate": 0.5, "seed": 2}, (1, 2, 2, 2, 3)),
    ("GaussianDropout", {"rate": 0.3, "seed": 1}, (2, 3)),
    ("GaussianNoise", {"stddev": 0.2, "seed": 1}, (2, 3)),
    ("AlphaDropout", {"rate": 0.2, "seed": 1}, (2, 3)),
    ("AlphaDropout", {"rate": 0.2, "noise_shape": (None, 1, 4)}, (2, 3, 4)),
]


@pytest.mark.parametrize("class_name, kwargs, input_shape", RANDOM_CASES)
def test_random_layer_basics(class_name, kwargs, input_shape):
    run_layer_test(
        getattr(layers, class_name),
        init_kwargs=kwargs,
        input_shape=input_shape,
        call_kwargs={"training": True},
        expected_output_shape=input_shape,
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
        expected_num_non_trainable_variables=1,
        expected_num_seed_generators=1,
        supports_masking=True,
        assert_built_after_instantiation=True,
    )


@pytest.mark.parametrize("class_name, kwargs, input_shape", RANDOM_CASES)
def test_random_layer_is_identity_at_inference(class_name, kwargs, input_shape):
    data = np.random.default_rng(0).standard_normal(input_shape).astype("float32")
    assert_close(getattr(layers, class_name)(**kwargs)(ops.convert_to_tensor(data)), data)


@pytest.mark.parametrize("class_name, kwargs, input_shape", RANDOM_CASES)
def test_random_layer_config_matches_keras(keras, class_name, kwargs, input_shape):
    theirs = getattr(keras.layers, class_name)(name="noise", **kwargs).get_config()
    ours = getattr(layers, class_name)(name="noise", **kwargs).get_config()
    if "noise_shape" in theirs and theirs["noise_shape"] is not None:
        theirs["noise_shape"] = tuple(theirs["noise_shape"])
    assert ours == theirs
    assert getattr(layers, class_name).from_config(theirs).get_config() == ours


@pytest.mark.parametrize("data_format, channel_axis", [("channels_last", -1), ("channels_first", 1)])
def test_spatial_dropout_drops_whole_channels(data_format, channel_axis):
    layer = layers.SpatialDropout2D(0.5, data_format=data_format, seed=3)
    outputs = ops.convert_to_numpy(layer(ops.ones((4, 5, 5, 5)), training=True))
    per_channel = np.moveaxis(outputs, channel_axis, 1).reshape(4, 5, -1)
    assert np.all(per_channel == per_channel[:, :, :1])
    assert set(np.unique(outputs).tolist()) <= {0.0, 2.0}


def test_gaussian_noise_statistics():
    outputs = layers.GaussianNoise(0.5, seed=1)(ops.zeros((200, 100)), training=True)
    values = ops.convert_to_numpy(outputs)
    assert abs(values.mean()) < 0.02
    assert abs(values.std() - 0.5) < 0.02


def test_gaussian_dropout_statistics():
    rate = 0.2
    values = ops.convert_to_numpy(layers.GaussianDropout(rate, seed=1)(ops.ones((200, 100)), training=True))
    assert abs(values.mean() - 1.0) < 0.02
    assert abs(values.std() - math.sqrt(rate / (1 - rate))) < 0.02


def test_alpha_dropout_keeps_mean_and_variance():
    data = np.random.default_rng(0).standard_normal((200, 100)).astype("float32")
    values = ops.convert_to_numpy(
        layers.AlphaDropout(0.2, seed=1)(ops.convert_to_tensor(data), training=True)
    )
    assert abs(values.mean()) < 0.05
    assert abs(values.std() - 1.0) < 0.05
    kept = np.isclose(values, data * _alpha_scale(0.2) + _alpha_shift(0.2), atol=1e-5)
    assert 0.75 < kept.mean() < 0.85


def _alpha_scale(rate):
    alpha_prime = -1.6732632423543772 * 1.0507009873554805
    return ((1 - rate) * (1 + rate * alpha_prime**2)) ** -0.5


def _alpha_shift(rate):
    alpha_prime = -1.6732632423543772 * 1.0507009873554805
    return -_alpha_scale(rate) * alpha_prime * rate


def test_activity_regularization_basics_and_loss():
    run_layer_test(
        layers.ActivityRegularization,
        init_kwargs={"l1": 0.1, "l2": 0.2},
        input_shape=(2, 3),
        expected_output_shape=(2, 3),
        expected_num_losses=1,
        supports_masking=True,
        assert_built_after_instantiation=True,
    )
    data = np.random.default_rng(0).standard_normal((4, 3)).astype("float32")
    layer = layers.ActivityRegularization(l1=0.1, l2=0.2)
    assert_close(layer(ops.convert_to_tensor(data)), data)
    expected = (0.1 * np.abs(data).sum() + 0.2 * np.square(data).sum()) / 4
    assert_close(layer.losses[0], expected, rtol=1e-5)


def test_activity_regularization_matches_keras(keras):
    data = np.random.default_rng(0).standard_normal((4, 3)).astype("float32")
    theirs = keras.layers.ActivityRegularization(l1=0.1, l2=0.2, name="reg")
    theirs(data)
    ours = layers.ActivityRegularization(l1=0.1, l2=0.2, name="reg")
    ours(ops.convert_to_tensor(data))
    assert_close(ours.losses[0], np.array(theirs.losses[0]), rtol=1e-5)
    assert ours.get_config() == theirs.get_config()


def test_bad_arguments_name_the_layer():
    with pytest.raises(ValueError, match="GaussianNoise layer .* stddev"):
        layers.GaussianNoise(2.0)
    with pytest.raises(ValueError, match="GaussianDropout layer .* rate"):
        layers.GaussianDropout(1.0)
    with pytest.raises(ValueError, match="AlphaDropout layer .* noise_shape"):
        layers.AlphaDropout(0.5, noise_shape=(None, 1))(ops.ones((2, 3, 4)), training=True)
