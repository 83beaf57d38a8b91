"""Permute, RepeatVector, Cropping*, UpSampling*, ZeroPadding*: harness, NumPy references, Keras parity."""

import numpy as np
import pytest
from layers.layer_test_case import run_layer_test
from testing_utils import assert_close

import lamina
from lamina import layers
from lamina import ops

CASES = [
    ("Permute", {"dims": (2, 1)}, (2, 3, 4), (2, 4, 3)),
    ("Permute", {"dims": (3, 1, 2)}, (2, 3, 4, 5), (2, 5, 3, 4)),
    ("RepeatVector", {"n": 3}, (2, 4), (2, 3, 4)),
    ("Cropping1D", {}, (2, 5, 3), (2, 3, 3)),
    ("Cropping1D", {"cropping": (0, 2)}, (2, 5, 3), (2, 3, 3)),
    ("Cropping2D", {"cropping": ((1, 0), (2, 1))}, (2, 4, 5, 3), (2, 3, 2, 3)),
    ("Cropping2D", {"cropping": 1, "data_format": "channels_first"}, (2, 3, 4, 5), (2, 3, 2, 3)),
    ("Cropping3D", {}, (1, 3, 4, 5, 2), (1, 1, 2, 3, 2)),
    (
        "Cropping3D",
        {"cropping": (0, 1, (1, 0)), "data_format": "channels_first"},
        (1, 2, 3, 4, 5),
        (1, 2, 3, 2, 4),
    ),
    ("UpSampling1D", {}, (2, 3, 4), (2, 6, 4)),
    ("UpSampling1D", {"size": 3}, (2, 3, 4), (2, 9, 4)),
    ("UpSampling2D", {}, (2, 3, 4, 2), (2, 6, 8, 2)),
    ("UpSampling2D", {"size": (1, 3), "data_format": "channels_first"}, (2, 2, 3, 4), (2, 2, 3, 12)),
    ("UpSampling2D", {"size": (2, 3), "interpolation": "bilinear"}, (2, 3, 4, 2), (2, 6, 12, 2)),
    (
        "UpSampling2D",
        {"size": 3, "interpolation": "bilinear", "data_format": "channels_first"},
        (1, 2, 2, 3),
        (1, 2, 6, 9),
    ),
    ("UpSampling3D", {}, (1, 2, 3, 1, 2), (1, 4, 6, 2, 2)),
    ("UpSampling3D", {"size": (1, 2, 3), "data_format": "channels_first"}, (1, 2, 2, 2, 2), (1, 2, 2, 4, 6)),
    ("ZeroPadding1D", {}, (2, 3, 4), (2, 5, 4)),
    ("ZeroPadding1D", {"padding": (0, 2), "data_format": "channels_first"}, (2, 3, 4), (2, 3, 6)),
    ("ZeroPadding2D", {}, (2, 3, 4, 2), (2, 5, 6, 2)),
    (
        "ZeroPadding2D",
        {"padding": ((1, 2), (0, 3)), "data_format": "channels_first"},
        (2, 2, 3, 4),
        (2, 2, 6, 7),
    ),
    ("ZeroPadding3D", {}, (1, 2, 3, 1, 2), (1, 4, 5, 3, 2)),
    (
        "ZeroPadding3D",
        {"padding": (0, 1, (2, 0)), "data_format": "channels_first"},
        (1, 2, 2, 2, 2),
        (1, 2, 2, 4, 4),
    ),
]


@pytest.mark.parametrize("class_name, kwargs, input_shape, output_shape", CASES)
def test_reshaping_layer_basics(class_name, kwargs, input_shape, output_shape):
    run_layer_test(
        getattr(layers, class_name),
        init_kwargs=kwargs,
        input_shape=input_shape,
        expected_output_shape=output_shape,
        expected_output_dtype="float32",
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
        assert_built_after_instantiation=True,
    )


@pytest.mark.parametrize("class_name, kwargs, input_shape, output_shape", CASES)
def test_reshaping_layer_matches_keras(keras, class_name, kwargs, input_shape, output_shape):
    data = np.random.default_rng(0).standard_normal(input_shape).astype("float32")
    theirs = getattr(keras.layers, class_name)(**kwargs)
    ours = getattr(layers, class_name)(**kwargs)
    expected = np.array(theirs(data))
    assert_close(ours(ops.convert_to_tensor(data)), expected)
    config = theirs.get_config()
    config["name"] = ours.name
    assert ours.get_config() == config
    assert ours.name.rstrip("_0123456789") == theirs.name.rstrip("_0123456789")
    assert getattr(layers, class_name).from_config(config).get_config() == config


def test_reshaping_layers_with_unknown_axes():
    inputs = lamina.KerasTensor((None, None, 3))
    assert layers.ZeroPadding1D(2)(inputs).shape == (None, None, 3)
    assert layers.UpSampling1D(2)(inputs).shape == (None, None, 3)
    assert layers.Cropping1D(1)(inputs).shape == (None, None, 3)
    assert layers.Permute((2, 1))(inputs).shape == (None, 3, None)


def test_numpy_references():
    data = np.arange(24, dtype="float32").reshape(1, 2, 3, 4)
    x = ops.convert_to_tensor(data)
    assert_close(layers.ZeroPadding2D(((1, 0), (0, 2)))(x), np.pad(data, ((0, 0), (1, 0), (0, 2), (0, 0))))
    assert_close(layers.Cropping2D(((1, 0), (1, 1)))(x), data[:, 1:, 1:2])
    assert_close(layers.UpSampling2D((2, 1))(x), data.repeat(2, axis=1))
    assert_close(layers.Permute((3, 1, 2))(x), data.transpose(0, 3, 1, 2))
    assert_close(
        layers.RepeatVector(2)(ops.convert_to_tensor(data[0, 0])), np.stack([data[0, 0]] * 2, axis=1)
    )


def test_bad_arguments_name_the_layer():
    with pytest.raises(ValueError, match="Permute layer .* dims"):
        layers.Permute((0, 1))
    with pytest.raises(ValueError, match="RepeatVector layer .* n"):
        layers.RepeatVector(0)
    with pytest.raises(ValueError, match="ZeroPadding2D layer .* padding"):
        layers.ZeroPadding2D((1, 2, 3))
    with pytest.raises(ValueError, match="UpSampling3D layer .* size"):
        layers.UpSampling3D(0)
    with pytest.raises(ValueError, match="UpSampling2D layer .* interpolation"):
        layers.UpSampling2D(interpolation="bicubic")
    with pytest.raises(ValueError, match="Cropping1D layer .* nothing"):
        layers.Cropping1D((2, 2))(ops.ones((1, 4, 2)))
    with pytest.raises(ValueError, match="Cropping2D layer .* nothing"):
        layers.Cropping2D(2)(lamina.KerasTensor((None, 4, 8, 2)))
