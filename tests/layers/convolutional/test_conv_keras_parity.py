"""Convolution layers against Keras 3 (the test oracle): configs, weights and outputs."""

import os

import numpy as np
import pytest
from testing_utils import assert_close

from lamina import layers
from lamina import ops


@pytest.fixture(scope="module")
def keras():
    os.environ.setdefault("KERAS_BACKEND", "jax")
    keras = pytest.importorskip("keras")
    if keras.backend.backend() != "jax":
        pytest.skip("keras was imported with another backend")
    return keras


CASES = [
    # class name, constructor arguments, input shape
    ("Conv1D", {"filters": 4, "kernel_size": 3}, (2, 9, 4)),
    ("Conv1D", {"filters": 4, "kernel_size": 3, "padding": "causal", "dilation_rate": 2}, (2, 9, 4)),
    ("Conv1D", {"filters": 6, "kernel_size": 2, "strides": 2, "padding": "same", "groups": 2}, (2, 9, 4)),
    (
        "Conv1D",
        {"filters": 4, "kernel_size": 3, "data_format": "channels_first", "activation": "tanh"},
        (2, 4, 9),
    ),
    ("Conv2D", {"filters": 4, "kernel_size": (3, 2), "strides": (2, 1), "padding": "same"}, (2, 7, 6, 4)),
    (
        "Conv2D",
        {"filters": 4, "kernel_size": 3, "dilation_rate": 2, "groups": 4, "use_bias": False},
        (2, 7, 6, 4),
    ),
    (
        "Conv2D",
        {"filters": 3, "kernel_size": 2, "data_format": "channels_first", "padding": "same"},
        (2, 4, 5, 6),
    ),
    ("Conv3D", {"filters": 3, "kernel_size": 2, "strides": 2, "padding": "same"}, (1, 5, 4, 3, 2)),
    ("Conv3D", {"filters": 2, "kernel_size": (2, 1, 2), "data_format": "channels_first"}, (1, 2, 4, 3, 3)),
    ("Conv1DTranspose", {"filters": 3, "kernel_size": 3, "strides": 2}, (2, 5, 4)),
    ("Conv1DTranspose", {"filters": 3, "kernel_size": 4, "strides": 3, "output_padding": 2}, (2, 5, 4)),
    ("Conv1DTranspose", {"filters": 3, "kernel_size": 3, "dilation_rate": 2, "padding": "same"}, (2, 5, 4)),
    ("Conv2DTranspose", {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"}, (2, 4, 3, 2)),
    (
        "Conv2DTranspose",
        {
            "filters": 3,
            "kernel_size": (2, 3),
            "strides": 2,
            "output_padding": 1,
            "data_format": "channels_first",
        },
        (2, 2, 4, 3),
    ),
    (
        "Conv3DTranspose",
        {"filters": 2, "kernel_size": 2, "strides": (1, 2, 2), "padding": "same"},
        (1, 3, 2, 2, 2),
    ),
]


@pytest.mark.parametrize("class_name, kwargs, input_shape", CASES)
def test_configs_match_keras(keras, class_name, kwargs, input_shape):
    ours = getattr(layers, class_name)(name="layer", **kwargs).get_config()
    theirs = getattr(keras.layers, class_name)(name="layer", **kwargs).get_config()
    assert ours == theirs
    assert getattr(layers, class_name).from_config(theirs).get_config() == theirs


@pytest.mark.parametrize("class_name, kwargs, input_shape", CASES)
def test_outputs_match_keras(keras, class_name, kwargs, input_shape):
    rng = np.random.default_rng(0)
    inputs = rng.standard_normal(input_shape).astype("float32")
    theirs = getattr(keras.layers, class_name)(**kwargs)
    theirs.build(input_shape)
    weights = [rng.standard_normal(tuple(w.shape)).astype("float32") for w in theirs.weights]
    theirs.set_weights(weights)
    ours = getattr(layers, class_name)(**kwargs)
    ours.build(input_shape)
    assert [w.path.split("/")[-1] for w in ours.weights] == [w.path.split("/")[-1] for w in theirs.weights]
    assert [tuple(w.shape) for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    ours.set_weights(weights)
    expected = np.asarray(theirs(inputs))
    actual = ours(ops.convert_to_tensor(inputs))
    assert tuple(actual.shape) == expected.shape
    assert ours.compute_output_shape(input_shape) == tuple(theirs.compute_output_shape(input_shape))
    assert_close(actual, expected, rtol=1e-5, atol=1e-5)
