"""Activations against Keras 3 itself (the test oracle, on its JAX backend)."""

import numpy as np
import pytest
from testing_utils import assert_close

from lamina import activations
from lamina import ops

X = np.linspace(-7.0, 7.0, 29, dtype="float32").reshape(1, 29)

NAMES = [
    "relu",
    "sigmoid",
    "softmax",
    "tanh",
    "linear",
    "elu",
    "selu",
    "softplus",
    "softsign",
    "silu",
    "gelu",
    "leaky_relu",
    "relu6",
    "hard_sigmoid",
    "hard_silu",
    "exponential",
    "log_softmax",
    "mish",
    "log_sigmoid",
]


@pytest.mark.parametrize("name", NAMES)
def test_same_outputs_as_keras(keras, name):
    expected = np.asarray(getattr(keras.activations, name)(X))
    assert_close(getattr(activations, name)(ops.convert_to_tensor(X)), expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"negative_slope": 0.1, "max_value": 3.0, "threshold": 1.0},
        {"negative_slope": 0.2},
        {"max_value": 6.0},
        {"threshold": -2.0},
        {"negative_slope": 0.5, "threshold": 2.0},
    ],
)
def test_relu_arguments_match_keras(keras, kwargs):
    expected = np.asarray(keras.activations.relu(X, **kwargs))
    assert_close(activations.relu(ops.convert_to_tensor(X), **kwargs), expected)


def test_glu_and_threshold_match_keras(keras):
    x = X.reshape(1, 29)[:, :28]
    assert_close(activations.glu(ops.convert_to_tensor(x)), np.asarray(keras.activations.glu(x)))
    expected = np.asarray(keras.activations.threshold(X, 1.5, -1.0))
    assert_close(activations.threshold(ops.convert_to_tensor(X), 1.5, -1.0), expected)


def test_every_keras_activation_exists(keras):
    from keras.src.activations import ALL_OBJECTS_DICT

    assert sorted(set(ALL_OBJECTS_DICT) - set(activations.ALL_OBJECTS)) == []


def test_serialized_names_match_keras(keras):
    for name in NAMES + ["swish", "hard_swish"]:
        assert activations.serialize(activations.get(name)) == keras.activations.serialize(
            keras.activations.get(name)
        )
