"""Wrapper: the base of layers that wrap a layer (config nesting, weight tracking, errors)."""

import json

import numpy as np
import pytest
from testing_utils import assert_close

from lamina import layers
from lamina import ops
from lamina.saving import object_registration


class Scaled(layers.Wrapper):
    def __init__(self, layer, factor=2.0, **kwargs):
        super().__init__(layer, **kwargs)
        self.factor = factor

    def call(self, inputs):
        return self.factor * self.layer(inputs)

    def get_config(self):
        config = super().get_config()
        config["factor"] = self.factor
        return config


def test_wrapper_tracks_the_wrapped_layer_and_builds_it():
    wrapper = Scaled(layers.Dense(3, name="inner"), name="outer")
    outputs = wrapper(ops.ones((2, 4)))
    assert wrapper.built and wrapper.layer.built
    assert [w.path for w in wrapper.weights] == ["outer/inner/kernel", "outer/inner/bias"]
    expected = 2.0 * (np.ones((2, 4)) @ wrapper.layer.kernel.numpy() + wrapper.layer.bias.numpy())
    assert_close(outputs, expected)


def test_wrapper_config_round_trip_restores_the_wrapped_layer():
    wrapper = Scaled(layers.Dense(3, activation="relu", name="inner"), factor=0.5, name="outer")
    config = json.loads(json.dumps(wrapper.get_config()))
    assert config["layer"]["class_name"] == "Dense"
    with object_registration.CustomObjectScope({"Scaled": Scaled}):
        clone = Scaled.from_config(config)
    assert clone.factor == 0.5 and clone.name == "outer"
    assert clone.layer.name == "inner" and clone.layer.units == 3
    assert clone.get_config() == wrapper.get_config()


def test_wrapper_rejects_a_non_layer():
    with pytest.raises(ValueError, match="Scaled layer 'outer' expects `layer` to be a lamina Layer"):
        Scaled(lambda x: x, name="outer")
