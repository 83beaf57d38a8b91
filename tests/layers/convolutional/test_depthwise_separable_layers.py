"""DepthwiseConv1D/2D and SeparableConv1D/2D: `run_layer_test`, Keras 3 parity, argument errors."""

import os

import numpy as np
import pytest
from layers.layer_test_case import run_layer_test
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


@pytest.mark.parametrize(
    "layer_class, init_kwargs, input_shape, expected_output_shape, weight_count",
    [
        (layers.DepthwiseConv1D, {"kernel_size": 3, "depth_multiplier": 2}, (2, 8, 3), (2, 6, 6), 2),
        (
            layers.DepthwiseConv2D,
            {"kernel_size": 3, "padding": "same", "strides": 2, "use_bias": False},
            (2, 5, 5, 2),
            (2, 3, 3, 2),
            1,
        ),
        (
            layers.DepthwiseConv2D,
            {"kernel_size": 2, "data_format": "channels_first", "activation": "relu"},
            (2, 3, 4, 4),
            (2, 3, 3, 3),
            2,
        ),
        (
            layers.SeparableConv1D,
            {"filters": 4, "kernel_size": 3, "dilation_rate": 2},
            (2, 8, 3),
            (2, 4, 4),
            3,
        ),
        (
            layers.SeparableConv2D,
            {"filters": 4, "kernel_size": 3, "depth_multiplier": 2, "padding": "same"},
            (2, 5, 5, 2),
            (2, 5, 5, 4),
            3,
        ),
        (
            layers.SeparableConv2D,
            {"filters": 3, "kernel_size": 2, "data_format": "channels_first", "use_bias": False},
            (2, 2, 4, 5),
            (2, 3, 3, 4),
            2,
        ),
    ],
)
def test_run_layer_test(layer_class, init_kwargs, input_shape, expected_output_shape, weight_count):
    run_layer_test(
        layer_class,
        init_kwargs=init_kwargs,
        input_shape=input_shape,
        expected_output_shape=expected_output_shape,
        expected_num_trainable_weights=weight_count,
        expected_num_non_trainable_weights=0,
    )


CASES = [
    # class name, constructor arguments, input shape
    ("DepthwiseConv1D", {"kernel_size": 3}, (2, 9, 4)),
    (
        "DepthwiseConv1D",
        {"kernel_size": 2, "strides": 2, "padding": "same", "depth_multiplier": 3},
        (2, 9, 2),
    ),
    ("DepthwiseConv1D", {"kernel_size": 3, "dilation_rate": 2, "data_format": "channels_first"}, (2, 3, 9)),
    ("DepthwiseConv2D", {"kernel_size": (3, 2), "strides": (2, 1), "padding": "same"}, (2, 7, 6, 3)),
    ("DepthwiseConv2D", {"kernel_size": 3, "dilation_rate": 2, "depth_multiplier": 2}, (2, 7, 6, 2)),
    (
        "DepthwiseConv2D",
        {"kernel_size": 2, "data_format": "channels_first", "depth_multiplier": 2, "activation": "tanh"},
        (2, 3, 5, 4),
    ),
    ("SeparableConv1D", {"filters": 4, "kernel_size": 3}, (2, 9, 3)),
    (
        "SeparableConv1D",
        {"filters": 5, "kernel_size": 2, "strides": 2, "padding": "same", "depth_multiplier": 2},
        (2, 9, 3),
    ),
    ("SeparableConv1D", {"filters": 2, "kernel_size": 3, "data_format": "channels_first"}, (2, 3, 8)),
    (
        "SeparableConv2D",
        {"filters": 4, "kernel_size": 3, "dilation_rate": (2, 1), "use_bias": False},
        (2, 7, 6, 3),
    ),
    (
        "SeparableConv2D",
        {"filters": 3, "kernel_size": (2, 3), "strides": 2, "padding": "same", "depth_multiplier": 2},
        (2, 7, 6, 2),
    ),
    (
        "SeparableConv2D",
        {"filters": 3, "kernel_size": 2, "data_format": "channels_first", "activation": "relu"},
        (2, 2, 5, 4),
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


def test_automatic_names_and_aliases():
    assert layers.DepthwiseConv1D(2).name.startswith("depthwise_conv1d")
    assert layers.DepthwiseConv2D(2).name.startswith("depthwise_conv2d")
    assert layers.SeparableConv1D(2, 2).name.startswith("separable_conv1d")
    assert layers.SeparableConv2D(2, 2).name.startswith("separable_conv2d")
    assert layers.SeparableConvolution1D is layers.SeparableConv1D
    assert layers.SeparableConvolution2D is layers.SeparableConv2D


def test_bad_arguments_name_the_layer():
    with pytest.raises(ValueError, match="DepthwiseConv2D.*depth_multiplier"):
        layers.DepthwiseConv2D(3, depth_multiplier=0)
    with pytest.raises(ValueError, match="SeparableConv1D.*filters"):
        layers.SeparableConv1D(0, 3)
    with pytest.raises(ValueError, match="DepthwiseConv1D.*padding"):
        layers.DepthwiseConv1D(3, padding="causal")
    with pytest.raises(ValueError, match="SeparableConv2D.*dilation_rate"):
        layers.SeparableConv2D(2, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match="DepthwiseConv2D.*kernel_size"):
        layers.DepthwiseConv2D((3, 3, 3))
    with pytest.raises(ValueError, match="DepthwiseConv2D.*rank 4"):
        layers.DepthwiseConv2D(3).build((2, 5, 3))
    with pytest.raises(ValueError, match="SeparableConv2D.*channel"):
        layers.SeparableConv2D(2, 3).build((2, 5, 5, None))
