"""Image preprocessing layers against Keras 3 (JAX) given the same fixed transformation."""

import numpy as np
import pytest
from testing_utils import assert_close

from lamina import layers
from lamina import ops

RNG = np.random.default_rng(2)
IMAGES = (RNG.random((3, 6, 7, 3)) * 255).astype("float32")


CONFIG_CASES = [
    ("Rescaling", {"scale": 0.5, "offset": 1.0}),
    ("Resizing", {"height": 3, "width": 4, "interpolation": "bicubic", "pad_to_aspect_ratio": True}),
    ("CenterCrop", {"height": 3, "width": 4}),
    ("RandomFlip", {"mode": "vertical", "seed": 3}),
    ("RandomRotation", {"factor": (-0.2, 0.3), "fill_mode": "constant", "seed": 3}),
    ("RandomZoom", {"height_factor": 0.2, "width_factor": (-0.3, 0.1), "interpolation": "nearest"}),
    ("RandomTranslation", {"height_factor": 0.2, "width_factor": 0.3, "fill_mode": "wrap"}),
    ("RandomCrop", {"height": 3, "width": 4, "seed": 5}),
    ("RandomContrast", {"factor": 0.4, "seed": 1}),
    ("RandomBrightness", {"factor": (-0.2, 0.4), "value_range": (0, 1)}),
]


@pytest.mark.parametrize("class_name, kwargs", CONFIG_CASES, ids=[case[0] for case in CONFIG_CASES])
def test_configs_match_keras(keras, class_name, kwargs):
    ours = getattr(layers, class_name)(name="layer", **kwargs).get_config()
    theirs = getattr(keras.layers, class_name)(name="layer", **kwargs).get_config()
    if "seed" not in kwargs and "seed" in theirs:
        ours.pop("seed")
        theirs.pop("seed")
    assert ours == theirs
    revived = getattr(layers, class_name).from_config(theirs).get_config()
    if "seed" not in kwargs:
        revived.pop("seed", None)
    assert revived == ours


def _to_numpy(transformation):
    if isinstance(transformation, dict):
        return {key: _to_numpy(value) for key, value in transformation.items()}
    if isinstance(transformation, (tuple, list)):
        return type(transformation)(_to_numpy(value) for value in transformation)
    if hasattr(transformation, "shape"):
        return np.asarray(transformation)
    return transformation


def _to_lamina(transformation):
    if isinstance(transformation, dict):
        return {key: _to_lamina(value) for key, value in transformation.items()}
    if isinstance(transformation, np.ndarray) and transformation.ndim > 0:
        return ops.convert_to_tensor(transformation)
    return transformation


RANDOM_CASES = [
    ("RandomFlip", {"mode": "horizontal_and_vertical"}),
    ("RandomFlip", {"mode": "horizontal", "data_format": "channels_first"}),
    ("RandomRotation", {"factor": 0.3}),
    (
        "RandomRotation",
        {"factor": 0.2, "fill_mode": "constant", "fill_value": 7.0, "interpolation": "nearest"},
    ),
    ("RandomRotation", {"factor": 0.2, "fill_mode": "wrap", "data_format": "channels_first"}),
    ("RandomZoom", {"height_factor": 0.3}),
    ("RandomZoom", {"height_factor": (-0.3, 0.2), "width_factor": 0.4, "fill_mode": "nearest"}),
    ("RandomTranslation", {"height_factor": 0.3, "width_factor": 0.2}),
    ("RandomTranslation", {"height_factor": 0.2, "width_factor": 0.4, "fill_mode": "constant"}),
    ("RandomContrast", {"factor": 0.5}),
    ("RandomBrightness", {"factor": 0.4}),
    ("RandomCrop", {"height": 3, "width": 4}),
]


@pytest.mark.parametrize("class_name, kwargs", RANDOM_CASES)
@pytest.mark.parametrize("batched", [True, False])
def test_random_layers_match_keras_given_the_same_transformation(keras, class_name, kwargs, batched):
    images = IMAGES
    if kwargs.get("data_format") == "channels_first":
        images = np.transpose(images, (0, 3, 1, 2))
    if not batched:
        images = images[0]
    theirs = getattr(keras.layers, class_name)(seed=4, **kwargs)
    ours = getattr(layers, class_name)(seed=4, **kwargs)
    transformation = _to_numpy(theirs.get_random_transformation(images, training=True))
    expected = np.asarray(theirs.transform_images(keras.ops.convert_to_tensor(images), transformation))
    outputs = ours.transform_images(ops.convert_to_tensor(images), _to_lamina(transformation))
    assert_close(ops.convert_to_numpy(outputs), expected, atol=1e-4, rtol=1e-5)


@pytest.mark.parametrize(
    "class_name, kwargs",
    [
        ("Resizing", {"height": 4, "width": 5}),
        ("Resizing", {"height": 9, "width": 5, "interpolation": "lanczos3", "crop_to_aspect_ratio": True}),
        ("Resizing", {"height": 3, "width": 8, "interpolation": "nearest", "pad_to_aspect_ratio": True}),
        ("Resizing", {"height": 3, "width": 3, "antialias": True, "data_format": "channels_first"}),
        ("CenterCrop", {"height": 4, "width": 3}),
        ("CenterCrop", {"height": 8, "width": 5}),
        ("Rescaling", {"scale": 1.0 / 127.5, "offset": -1.0}),
        ("RandomFlip", {}),
        ("RandomRotation", {"factor": 0.0}),
        ("RandomContrast", {"factor": 0.0}),
        ("RandomBrightness", {"factor": 0.0}),
    ],
)
def test_deterministic_layers_match_keras(keras, class_name, kwargs):
    images = IMAGES
    if kwargs.get("data_format") == "channels_first":
        images = np.transpose(images, (0, 3, 1, 2))
    training = class_name.startswith("Random") and kwargs.get("factor") == 0.0
    expected = np.asarray(getattr(keras.layers, class_name)(**kwargs)(images, training=training))
    outputs = getattr(layers, class_name)(**kwargs)(images, training=training)
    assert_close(ops.convert_to_numpy(outputs), expected, atol=1e-4, rtol=1e-5)
