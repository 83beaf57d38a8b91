"""Conv1D/2D/3D and Conv1D/2D/3DTranspose through `run_layer_test`, plus argument and shape errors."""

import numpy as np
import pytest
from layers.layer_test_case import run_layer_test

import lamina
from lamina import layers
from lamina import ops


@pytest.mark.parametrize(
    "layer_class, init_kwargs, input_shape, expected_output_shape",
    [
        (layers.Conv1D, {"filters": 4, "kernel_size": 3}, (2, 8, 3), (2, 6, 4)),
        (
            layers.Conv1D,
            {"filters": 4, "kernel_size": 3, "padding": "causal", "dilation_rate": 2},
            (2, 8, 3),
            (2, 8, 4),
        ),
        (
            layers.Conv1D,
            {"filters": 4, "kernel_size": 2, "strides": 2, "padding": "same"},
            (2, 7, 3),
            (2, 4, 4),
        ),
        (
            layers.Conv2D,
            {"filters": 4, "kernel_size": 3, "groups": 2, "activation": "relu"},
            (2, 5, 5, 2),
            (2, 3, 3, 4),
        ),
        (
            layers.Conv2D,
            {"filters": 3, "kernel_size": (2, 3), "padding": "same", "data_format": "channels_first"},
            (2, 2, 5, 4),
            (2, 3, 5, 4),
        ),
        (layers.Conv3D, {"filters": 2, "kernel_size": 2, "strides": 2}, (1, 4, 4, 4, 2), (1, 2, 2, 2, 2)),
        (layers.Conv1DTranspose, {"filters": 4, "kernel_size": 3, "strides": 2}, (2, 4, 3), (2, 9, 4)),
        (
            layers.Conv2DTranspose,
            {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same", "output_padding": 1},
            (2, 3, 3, 2),
            (2, 6, 6, 3),
        ),
        (
            layers.Conv3DTranspose,
            {"filters": 2, "kernel_size": 2, "data_format": "channels_first"},
            (1, 2, 2, 2, 2),
            (1, 2, 3, 3, 3),
        ),
    ],
)
def test_conv_layer_basics(layer_class, init_kwargs, input_shape, expected_output_shape):
    run_layer_test(
        layer_class,
        init_kwargs=init_kwargs,
        input_shape=input_shape,
        expected_output_shape=expected_output_shape,
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=0,
        expected_num_losses=0,
        supports_masking=False,
    )


def test_no_bias_and_weight_shapes():
    layer = layers.Conv2D(6, (3, 2), groups=3, use_bias=False)
    layer.build((None, 8, 8, 9))
    assert [tuple(w.shape) for w in layer.weights] == [(3, 2, 3, 6)]
    assert layer.bias is None
    transpose = layers.Conv2DTranspose(6, 3)
    transpose.build((None, 8, 8, 9))
    assert [w.path for w in transpose.weights] == ["conv2d_transpose/kernel", "conv2d_transpose/bias"]
    assert tuple(transpose.kernel.shape) == (3, 3, 6, 9)


def test_aliases_and_automatic_names():
    assert layers.Convolution1D is layers.Conv1D
    assert layers.Convolution2D is layers.Conv2D
    assert layers.Convolution3D is layers.Conv3D
    assert layers.Convolution2DTranspose is layers.Conv2DTranspose
    assert layers.Conv2D(2, 3).name == "conv2d"
    assert layers.Conv2D(2, 3).name == "conv2d_1"
    assert layers.Conv3DTranspose(2, 3).name == "conv3d_transpose"


def test_functional_model_with_unknown_spatial_sizes():
    inputs = lamina.layers.Input((None, None, 3))
    outputs = layers.Conv2D(4, 3, strides=2, padding="same")(inputs)
    outputs = layers.Conv2DTranspose(2, 3, strides=2, padding="same")(outputs)
    assert outputs.shape == (None, None, None, 2)
    model = lamina.models.Model(inputs, outputs)
    result = model(ops.ones((1, 6, 4, 3)))
    assert tuple(result.shape) == (1, 6, 4, 2)


@pytest.mark.parametrize(
    "layer_class, kwargs, message",
    [
        (
            layers.Conv2D,
            {"filters": 0, "kernel_size": 3},
            "Conv2D layer 'conv2d' expects filters to be a positive",
        ),
        (layers.Conv2D, {"filters": 3, "kernel_size": 3, "groups": 2}, "filters to be divisible by groups"),
        (
            layers.Conv2D,
            {"filters": 2, "kernel_size": (3, 3, 3)},
            "kernel_size to be a positive int or a tuple of 2",
        ),
        (layers.Conv2D, {"filters": 2, "kernel_size": 3, "padding": "causal"}, "padding to be one of"),
        (
            layers.Conv1D,
            {"filters": 2, "kernel_size": 3, "strides": 2, "dilation_rate": 2},
            "strides > 1 together",
        ),
        (
            layers.Conv2DTranspose,
            {"filters": 2, "kernel_size": 3, "strides": 2, "output_padding": 2},
            "output_padding to be strictly smaller than strides",
        ),
        (layers.Conv1DTranspose, {"filters": 2, "kernel_size": 3, "padding": "causal"}, "'valid' or 'same'"),
    ],
)
def test_bad_arguments_name_the_layer(layer_class, kwargs, message):
    with pytest.raises(ValueError, match=message):
        layer_class(**kwargs)


def test_bad_input_shapes_name_the_layer():
    layer = layers.Conv2D(4, 3, groups=2)
    with pytest.raises(ValueError, match="Conv2D layer 'conv2d'.*divisible by groups=2"):
        layer(ops.ones((1, 5, 5, 3)))
    with pytest.raises(ValueError, match="padding='same'"):
        layers.Conv2D(4, 3)(lamina.layers.Input((2, 2, 3)))
    with pytest.raises(ValueError, match="channel axis size"):
        layers.Conv1D(4, 3).build((None, 5, None))
    layer = layers.Conv1D(4, 3)
    layer(ops.ones((1, 5, 3)))
    with pytest.raises(ValueError):
        layer(ops.ones((1, 5, 2)))


def test_causal_padding_only_looks_back():
    layer = layers.Conv1D(1, 3, padding="causal", kernel_initializer="ones", use_bias=False)
    inputs = np.zeros((1, 6, 1), dtype="float32")
    inputs[0, 3, 0] = 1.0
    outputs = ops.convert_to_numpy(layer(ops.convert_to_tensor(inputs)))[0, :, 0]
    np.testing.assert_array_equal(outputs, [0.0, 0.0, 0.0, 1.0, 1.0, 1.0])
