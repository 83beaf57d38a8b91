"""Sequential models: construction styles, deferred build, add/pop, legacy input_shape, errors."""

import numpy as np
import pytest

import lamina
from lamina import layers
from lamina import ops
from tests.testing_utils import assert_close


def test_list_construction_with_input():
    model = lamina.Sequential([lamina.Input(shape=(4,)), layers.Dense(8, activation="relu"), layers.Dense(3)])
    assert model.built
    assert model.output_shape == (None, 3)
    assert [layer.name for layer in model.layers] == ["dense", "dense_1"]
    assert model.weights[0].path == "sequential/dense/kernel"


def test_add_with_legacy_input_dim_builds_immediately():
    model = lamina.Sequential()
    model.add(layers.Dense(units=64, activation="relu", input_dim=10))
    model.add(layers.Dense(units=2, activation="softmax"))
    assert model.built
    assert model.input_shape == (None, 10)
    assert model.count_params() == 10 * 64 + 64 + 64 * 2 + 2


def test_deferred_build_on_first_call():
    model = lamina.Sequential([layers.Dense(5), layers.Dense(2)])
    assert not model.built
    outputs = model(np.ones((3, 7), dtype="float32"))
    assert ops.shape(outputs) == (3, 2)
    assert model.built and model.input_shape == (None, 7)


def test_explicit_build():
    model = lamina.Sequential([layers.Dense(5)])
    model.build((None, 3))
    assert model.count_params() == 20


def test_pop_removes_the_last_layer():
    model = lamina.Sequential([lamina.Input((4,)), layers.Dense(3), layers.Dense(2)])
    removed = model.pop()
    assert removed.name == "dense_1"
    assert model.output_shape == (None, 3)
    assert len(model.weights) == 2


def test_sequential_matches_manual_computation():
    model = lamina.Sequential([lamina.Input((3,)), layers.Dense(2, activation="relu")])
    x = np.array([[1.0, -2.0, 3.0]], dtype="float32")
    kernel, bias = model.get_weights()
    assert_close(model(x), np.maximum(x @ kernel + bias, 0.0))


def test_shape_mismatch_error_names_the_layer():
    model = lamina.Sequential([lamina.Input((3,)), layers.Dense(4, name="dense_1")])
    with pytest.raises(ValueError, match="expected shape=\\(None, 3\\), found shape=\\(2, 5\\)"):
        model(np.ones((2, 5), dtype="float32"))


def test_adding_a_non_layer_is_an_error():
    with pytest.raises(ValueError, match="expects a Layer instance"):
        lamina.Sequential().add("dense")


def test_nested_sequential_in_functional():
    inner = lamina.Sequential([lamina.Input((4,)), layers.Dense(3)])
    inputs = lamina.Input((4,))
    model = lamina.Model(inputs, layers.Dense(1)(inner(inputs)))
    assert ops.shape(model(np.ones((2, 4), dtype="float32"))) == (2, 1)
    assert len(model.trainable_weights) == 4


def test_deferred_sequential_weight_paths_have_one_model_scope():
    model = lamina.Sequential([lamina.layers.Dense(4, name="dense")], name="stack")
    model(np.ones((2, 3), "float32"))
    assert [w.path for w in model.weights] == ["stack/dense/kernel", "stack/dense/bias"]


def test_deferred_sequential_inside_a_custom_layer_builds_during_shape_inference():
    class Block(lamina.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.ffn = lamina.Sequential(
                [lamina.layers.Dense(4, activation="relu", name="up"), lamina.layers.Dense(3, name="down")],
                name="ffn",
            )

        def call(self, inputs):
            return inputs + self.ffn(inputs)

    block = Block(name="block")
    outputs = block(lamina.Input((5, 3)))
    assert outputs.shape == (None, 5, 3)
    assert [w.path for w in block.weights][::2] == ["block/ffn/up/kernel", "block/ffn/down/kernel"]
