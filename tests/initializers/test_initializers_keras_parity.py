"""Initializer configs and deterministic values against Keras 3 (the test oracle)."""

import numpy as np
import pytest

from lamina import initializers
from lamina import ops

NAMES = [
    "Zeros",
    "Ones",
    "Constant",
    "RandomNormal",
    "RandomUniform",
    "TruncatedNormal",
    "VarianceScaling",
    "GlorotUniform",
    "GlorotNormal",
    "HeNormal",
    "HeUniform",
    "LecunNormal",
    "LecunUniform",
    "Orthogonal",
]


@pytest.mark.parametrize("name", NAMES)
def test_default_configs_match_keras(keras, name):
    ours = getattr(initializers, name)().get_config()
    theirs = getattr(keras.initializers, name)().get_config()
    assert ours == theirs


@pytest.mark.parametrize("name", NAMES)
def test_keras_configs_load(keras, name):
    serialized = keras.initializers.serialize(getattr(keras.initializers, name)())
    revived = initializers.deserialize(serialized)
    assert type(revived).__name__ == name
    assert revived.get_config() == serialized["config"]


def test_identity_values_match_keras(keras):
    expected = np.asarray(keras.initializers.Identity(gain=2.0)((3, 4)))
    np.testing.assert_array_equal(ops.convert_to_numpy(initializers.Identity(gain=2.0)((3, 4))), expected)
