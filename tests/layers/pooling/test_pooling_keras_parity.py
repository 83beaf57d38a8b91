"""Pooling layers against Keras 3 (the test oracle): configs, names and outputs."""

import os

import numpy as np
import pytest
from testing_utils import assert_close

from lamina import layers


@pytest.fixture(scope="module")
def keras():
    os.environ.setdefault("KERAS_BACKEND", "jax")
    keras = pytest.importorskip("keras")
    if keras.backend.backend() != "jax":
        pytest.skip("keras was imported with another backend")
    return keras


def _input_shape(dimensions, data_format, sizes=(5, 6, 7), channels=2):
    spatial = sizes[:dimensions]
    return (2, *spatial, channels) if data_format == "channels_last" else (2, channels, *spatial)


POOLING_CASES = [
    {"data_format": "channels_last"},
    {"pool_size": 3, "data_format": "channels_first"},
    {"pool_size": 3, "strides": 2, "padding": "same", "data_format": "channels_last"},
    {"pool_size": 2, "strides": 1, "padding": "same", "data_format": "channels_first"},
    {"pool_size": 2, "strides": 3, "data_format": "channels_last"},
    {"pool_size": 4, "strides": 3, "padding": "SAME", "data_format": "channels_first"},
    {"pool_size": 3, "strides": 2, "padding": "same", "data_format": "channels_first"},
]


@pytest.mark.parametrize("mode", ["MaxPooling", "AveragePooling"])
@pytest.mark.parametrize("dimensions", [1, 2, 3])
@pytest.mark.parametrize("kwargs", POOLING_CASES)
def test_pooling_matches_keras(keras, mode, dimensions, kwargs):
    class_name = f"{mode}{dimensions}D"
    data_format = kwargs["data_format"]
    # AveragePooling has no default pool_size in Keras.
    kwargs = {"pool_size": 2, **kwargs}
    ours = getattr(layers, class_name)(**kwargs)
    theirs = getattr(keras.layers, class_name)(**kwargs)
    assert ours.get_config() | {"name": None} == theirs.get_config() | {"name": None}
    assert ours.name.rstrip("_0123456789") == theirs.name.rstrip("_0123456789")
    x = np.random.default_rng(dimensions).standard_normal(_input_shape(dimensions, data_format))
    x = x.astype("float32")
    expected = np.asarray(theirs(x))
    assert ours.compute_output_shape(x.shape) == expected.shape
    assert_close(ours(x), expected)


@pytest.mark.parametrize("mode", ["GlobalMaxPooling", "GlobalAveragePooling"])
@pytest.mark.parametrize("dimensions", [1, 2, 3])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("keepdims", [False, True])
def test_global_pooling_matches_keras(keras, mode, dimensions, data_format, keepdims):
    class_name = f"{mode}{dimensions}D"
    kwargs = {"data_format": data_format, "keepdims": keepdims}
    ours = getattr(layers, class_name)(**kwargs)
    theirs = getattr(keras.layers, class_name)(**kwargs)
    assert ours.get_config() | {"name": None} == theirs.get_config() | {"name": None}
    assert ours.name.rstrip("_0123456789") == theirs.name.rstrip("_0123456789")
    assert ours.supports_masking == theirs.supports_masking
    x = np.random.default_rng(dimensions).standard_normal(_input_shape(dimensions, data_format))
    x = x.astype("float32")
    expected = np.asarray(theirs(x))
    assert ours.compute_output_shape(x.shape) == expected.shape
    assert_close(ours(x), expected)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("keepdims", [False, True])
def test_global_average_pooling1d_mask_matches_keras(keras, data_format, keepdims):
    x = np.random.default_rng(4).standard_normal(_input_shape(1, data_format)).astype("float32")
    mask = np.array([[True, False, True, True, False], [False, True, True, True, True]])
    kwargs = {"data_format": data_format, "keepdims": keepdims}
    expected = np.asarray(keras.layers.GlobalAveragePooling1D(**kwargs)(x, mask=mask))
    assert_close(layers.GlobalAveragePooling1D(**kwargs)(x, mask=mask), expected)


@pytest.mark.parametrize(
    "class_name, kwargs",
    [
        ("MaxPooling2D", {"pool_size": (3, 2), "strides": (1, 2), "padding": "same"}),
        ("AveragePooling1D", {"pool_size": 4, "data_format": "channels_first"}),
        ("AveragePooling3D", {"pool_size": 2}),
        ("MaxPooling1D", {}),
        ("GlobalAveragePooling1D", {"keepdims": True}),
        ("GlobalMaxPooling3D", {"data_format": "channels_first"}),
    ],
)
def test_keras_configs_load(keras, class_name, kwargs):
    config = getattr(keras.layers, class_name)(name="layer", **kwargs).get_config()
    assert getattr(layers, class_name).from_config(config).get_config() == config


@pytest.mark.parametrize(
    "alias, class_name",
    [
        ("MaxPool1D", "MaxPooling1D"),
        ("MaxPool3D", "MaxPooling3D"),
        ("AvgPool2D", "AveragePooling2D"),
        ("GlobalMaxPool2D", "GlobalMaxPooling2D"),
        ("GlobalAvgPool1D", "GlobalAveragePooling1D"),
        ("GlobalAvgPool3D", "GlobalAveragePooling3D"),
    ],
)
def test_aliases_exist_like_keras(keras, alias, class_name):
    assert getattr(keras.layers, alias) is getattr(keras.layers, class_name)
    assert getattr(layers, alias) is getattr(layers, class_name)
