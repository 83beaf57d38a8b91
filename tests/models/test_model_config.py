"""Model configs round trip: get_config -> from_config rebuilds the same architecture."""

import json

import numpy as np
import pytest

import lamina
from lamina import layers
from lamina import ops
from tests.testing_utils import assert_close


def _same_predictions(original, rebuilt, inputs):
    rebuilt.set_weights(original.get_weights())
    expected = original(inputs)
    actual = rebuilt(inputs)
    for name in expected if isinstance(expected, dict) else [None]:
        if name is None:
            assert_close(actual, ops.convert_to_numpy(expected))
        else:
            assert_close(actual[name], ops.convert_to_numpy(expected[name]))


def test_functional_with_shared_layer_dict_io_and_an_op_round_trips():
    a = lamina.Input(shape=(4,), name="a")
    b = lamina.Input(shape=(4,), name="b")
    shared = layers.Dense(3, name="shared")
    merged = layers.Concatenate(name="cat")([shared(a), shared(b)])
    scaled = ops.multiply(merged, 2.0)
    out1 = layers.Dense(1, name="out1")(scaled)
    out2 = layers.Dense(2, activation="softmax", name="out2")(shared(a))
    model = lamina.Model({"a": a, "b": b}, {"o1": out1, "o2": out2}, name="func")
    config = json.loads(json.dumps(model.get_config()))
    assert config["input_layers"] == {"a": ["a", 0, 0], "b": ["b", 0, 0]}
    assert config["output_layers"] == {"o1": ["out1", 0, 0], "o2": ["out2", 0, 0]}
    shared_entry = next(entry for entry in config["layers"] if entry["name"] == "shared")
    assert len(shared_entry["inbound_nodes"]) == 3
    assert shared_entry["inbound_nodes"][1]["args"][0]["config"]["keras_history"] == ["b", 0, 0]
    rebuilt = lamina.models.Functional.from_config(config)
    assert [layer.name for layer in rebuilt.layers] == [layer.name for layer in model.layers]
    rng = np.random.default_rng(0)
    inputs = {"a": rng.normal(size=(2, 4)).astype("float32"), "b": rng.normal(size=(2, 4)).astype("float32")}
    _same_predictions(model, rebuilt, inputs)


def test_nested_models_round_trip():
    inner_in = lamina.Input(shape=(4,))
    inner = lamina.Model(inner_in, layers.Dense(3)(inner_in), name="inner")
    stack = lamina.Sequential([lamina.Input((3,)), layers.Dense(2)], name="stack")
    outer_in = lamina.Input(shape=(4,))
    model = lamina.Model(outer_in, stack(inner(outer_in)), name="outer")
    rebuilt = lamina.models.Functional.from_config(json.loads(json.dumps(model.get_config())))
    assert len(rebuilt.weights) == 4
    _same_predictions(model, rebuilt, np.ones((2, 4), dtype="float32"))


def test_sequential_round_trips_with_its_input_shape():
    model = lamina.Sequential(
        [layers.Dense(8, activation="relu", input_dim=5), layers.Dropout(0.2), layers.Dense(2)]
    )
    config = json.loads(json.dumps(model.get_config()))
    assert config["layers"][0]["class_name"] == "InputLayer"
    assert config["build_input_shape"] == [None, 5]
    rebuilt = lamina.Sequential.from_config(config)
    assert rebuilt.built and rebuilt.input_shape == (None, 5)
    _same_predictions(model, rebuilt, np.ones((3, 5), dtype="float32"))


def test_custom_layers_come_back_through_custom_objects():
    class Doubler(layers.Layer):
        def call(self, inputs):
            return inputs * 2.0

    inputs = lamina.Input(shape=(2,))
    model = lamina.Model(inputs, Doubler(name="doubler")(inputs))
    config = model.get_config()
    with pytest.raises(ValueError, match="Unknown layer: 'Doubler'"):
        lamina.models.Functional.from_config(config)
    rebuilt = lamina.models.Functional.from_config(config, custom_objects={"Doubler": Doubler})
    assert_close(rebuilt(np.ones((1, 2), dtype="float32")), [[2.0, 2.0]])
