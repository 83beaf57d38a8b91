"""Activation, Dropout, Flatten, Reshape and the merging layers against Keras 3 (the test oracle)."""

import numpy as np
import pytest
from testing_utils import assert_close

from lamina import layers
from lamina import ops

CASES = [
    ("Activation", {"activation": "relu"}),
    ("Activation", {"activation": "gelu"}),
    ("Dropout", {"rate": 0.5}),
    ("Dropout", {"rate": 0.1, "noise_shape": (None, 1), "seed": 3}),
    ("Flatten", {}),
    ("Flatten", {"data_format": "channels_first"}),
    ("Reshape", {"target_shape": (2, -1)}),
    ("Add", {}),
    ("Subtract", {}),
    ("Multiply", {}),
    ("Average", {}),
    ("Maximum", {}),
    ("Minimum", {}),
    ("Concatenate", {"axis": 1}),
    ("Dot", {"axes": (1, 2), "normalize": True}),
]


@pytest.mark.parametrize("class_name, kwargs", CASES)
def test_configs_match_keras(keras, class_name, kwargs):
    ours = getattr(layers, class_name)(name="layer", **kwargs).get_config()
    theirs = getattr(keras.layers, class_name)(name="layer", **kwargs).get_config()
    assert ours == theirs


@pytest.mark.parametrize("class_name, kwargs", CASES)
def test_keras_configs_load(keras, class_name, kwargs):
    config = getattr(keras.layers, class_name)(name="layer", **kwargs).get_config()
    assert getattr(layers, class_name).from_config(config).get_config() == config


@pytest.mark.parametrize(
    "axes, shape1, shape2",
    [
        (1, (2, 4), (2, 4)),
        ((1, 2), (2, 3, 5), (2, 10, 3)),
        ((2, 1), (2, 3, 4), (2, 4, 6)),
        (1, (2, 4), (2, 4, 3)),
    ],
)
def test_dot_outputs_match_keras(keras, axes, shape1, shape2):
    rng = np.random.default_rng(0)
    x1 = rng.standard_normal(shape1).astype("float32")
    x2 = rng.standard_normal(shape2).astype("float32")
    for normalize in (False, True):
        expected = np.asarray(keras.layers.Dot(axes=axes, normalize=normalize)([x1, x2]))
        actual = layers.Dot(axes=axes, normalize=normalize)(
            [ops.convert_to_tensor(x1), ops.convert_to_tensor(x2)]
        )
        assert_close(actual, expected, rtol=1e-4, atol=1e-5)


def test_broadcasting_merge_matches_keras(keras):
    rng = np.random.default_rng(1)
    x1 = rng.standard_normal((2, 3, 4)).astype("float32")
    x2 = rng.standard_normal((2, 4)).astype("float32")
    for class_name in ("Add", "Multiply", "Maximum", "Average"):
        expected = np.asarray(getattr(keras.layers, class_name)()([x1, x2]))
        actual = getattr(layers, class_name)()([ops.convert_to_tensor(x1), ops.convert_to_tensor(x2)])
        assert_close(actual, expected)
