"""MaxPooling*/AveragePooling* layers: the layer harness, shapes and errors."""

import numpy as np
import pytest
from layers.layer_test_case import run_layer_test
from testing_utils import assert_close

import lamina
from lamina import layers
from lamina import ops


@pytest.mark.parametrize(
    "class_name, init_kwargs, input_shape, expected_output_shape",
    [
        ("MaxPooling1D", {"pool_size": 2}, (2, 5, 3), (2, 2, 3)),
        ("MaxPooling1D", {"pool_size": 3, "strides": 1, "padding": "same"}, (2, 5, 3), (2, 5, 3)),
        ("AveragePooling1D", {"pool_size": 2, "data_format": "channels_first"}, (2, 3, 5), (2, 3, 2)),
        ("MaxPooling2D", {"pool_size": (2, 3), "strides": 2}, (2, 5, 6, 3), (2, 2, 2, 3)),
        ("AveragePooling2D", {"pool_size": 3, "strides": 2, "padding": "same"}, (2, 5, 6, 3), (2, 3, 3, 3)),
        ("AveragePooling2D", {"pool_size": 2, "data_format": "channels_first"}, (2, 3, 4, 6), (2, 3, 2, 3)),
        ("MaxPooling3D", {"pool_size": 2, "padding": "same"}, (1, 3, 4, 5, 2), (1, 2, 2, 3, 2)),
        ("MaxPooling3D", {"pool_size": 2, "data_format": "channels_first"}, (1, 2, 3, 4, 5), (1, 2, 1, 2, 2)),
        ("AveragePooling3D", {"pool_size": (1, 2, 2)}, (1, 3, 4, 4, 2), (1, 3, 2, 2, 2)),
    ],
)
def test_layer_basics(class_name, init_kwargs, input_shape, expected_output_shape):
    run_layer_test(
        getattr(layers, class_name),
        init_kwargs=init_kwargs,
        input_shape=input_shape,
        expected_output_shape=expected_output_shape,
        expected_output_dtype="float32",
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
        supports_masking=False,
        assert_built_after_instantiation=True,
    )


def test_defaults_and_names():
    assert layers.MaxPooling1D().pool_size == (2,)
    assert layers.MaxPooling2D().strides == (2, 2)
    assert layers.AveragePooling3D(pool_size=3).pool_size == (3, 3, 3)
    assert layers.MaxPooling2D(3, strides=1).strides == (1, 1)
    assert layers.MaxPooling2D().name.startswith("max_pooling2d")
    assert layers.AveragePooling1D(2).name.startswith("average_pooling1d")
    assert layers.MaxPool2D is layers.MaxPooling2D
    assert layers.AvgPool3D is layers.AveragePooling3D


def test_values_against_numpy():
    x = np.arange(16.0, dtype="float32").reshape(1, 4, 4, 1)
    expected_max = np.array([[5.0, 7.0], [13.0, 15.0]]).reshape(1, 2, 2, 1)
    assert_close(layers.MaxPooling2D()(x), expected_max)
    expected_average = np.array([[2.5, 4.5], [10.5, 12.5]]).reshape(1, 2, 2, 1)
    assert_close(layers.AveragePooling2D(2)(x), expected_average)


def test_symbolic_unknown_axes():
    inputs = lamina.Input((None, 6, 3))
    outputs = layers.AveragePooling2D(pool_size=3, strides=2, padding="same")(inputs)
    assert outputs.shape == (None, None, 3, 3)
    assert layers.MaxPooling1D(3).compute_output_shape((None, 10, 4)) == (None, 3, 4)


def test_bad_arguments_name_the_layer():
    with pytest.raises(ValueError, match="MaxPooling2D.*pool_size"):
        layers.MaxPooling2D(pool_size=(2, 2, 2))
    with pytest.raises(ValueError, match="AveragePooling1D.*strides"):
        layers.AveragePooling1D(2, strides=-1)
    with pytest.raises(ValueError, match="MaxPooling1D.*padding"):
        layers.MaxPooling1D(padding="causal")
    with pytest.raises(ValueError, match="data_format"):
        layers.MaxPooling1D(data_format="channels_middle")
    with pytest.raises(ValueError, match="max_pooling2d"):
        layers.MaxPooling2D()(np.zeros((2, 4, 4), dtype="float32"))
    with pytest.raises(ValueError, match="MaxPooling1D.*larger"):
        layers.MaxPooling1D(5).compute_output_shape((None, 3, 2))


def test_in_a_functional_model():
    inputs = lamina.Input((4, 4, 2))
    outputs = layers.MaxPooling2D()(inputs)
    model = lamina.Model(inputs, outputs)
    x = np.random.default_rng(0).standard_normal((3, 4, 4, 2)).astype("float32")
    assert_close(model(x), ops.max_pool(x, 2))
