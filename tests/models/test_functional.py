"""Functional models: graphs, shared layers, multiple inputs and outputs, nesting, errors."""

import numpy as np
import pytest

import lamina
from lamina import layers
from lamina import ops
from tests.testing_utils import assert_close


def _two_input_model():
    a = lamina.Input(shape=(4,), name="a")
    b = lamina.Input(shape=(4,), name="b")
    shared = layers.Dense(3, name="shared")
    merged = layers.Concatenate(name="cat")([shared(a), shared(b)])
    out1 = layers.Dense(1, name="out1")(merged)
    out2 = layers.Dense(2, activation="softmax", name="out2")(shared(a))
    return lamina.Model({"a": a, "b": b}, {"o1": out1, "o2": out2}, name="func"), shared


def test_layers_order_and_shared_layer_nodes():
    model, shared = _two_input_model()
    # Keras 3 orders this exact graph the same way (checked against keras 3.15).
    assert [layer.name for layer in model.layers] == ["a", "b", "shared", "cat", "out1", "out2"]
    assert len(shared._inbound_nodes) == 3
    assert isinstance(model, lamina.models.Functional)


def test_call_with_dict_inputs_returns_dict_outputs():
    model, _ = _two_input_model()
    rng = np.random.default_rng(0)
    a = rng.normal(size=(5, 4)).astype("float32")
    b = rng.normal(size=(5, 4)).astype("float32")
    outputs = model({"a": a, "b": b})
    assert sorted(outputs) == ["o1", "o2"]
    assert ops.shape(outputs["o1"]) == (5, 1)
    assert_close(ops.sum(outputs["o2"], axis=-1), np.ones(5))


def test_functional_output_matches_manual_computation():
    inputs = lamina.Input(shape=(3,))
    dense = layers.Dense(2)
    model = lamina.Model(inputs, dense(inputs))
    x = np.arange(6, dtype="float32").reshape(2, 3)
    kernel, bias = dense.get_weights()
    assert_close(model(x), x @ kernel + bias)


def test_nested_functional_models():
    inner_in = lamina.Input(shape=(4,))
    inner = lamina.Model(inner_in, layers.Dense(3)(inner_in), name="inner")
    outer_in = lamina.Input(shape=(4,))
    outer = lamina.Model(outer_in, layers.Dense(1)(inner(outer_in)), name="outer")
    assert outer(np.ones((2, 4), dtype="float32")).shape[0] == 2
    assert len(outer.weights) == 4
    assert outer.layers[1] is inner


def test_ops_on_keras_tensors_become_graph_nodes():
    inputs = lamina.Input(shape=(3,))
    outputs = ops.multiply(layers.Dense(3)(inputs), 2.0) + 1.0
    model = lamina.Model(inputs, outputs)
    x = np.ones((2, 3), dtype="float32")
    dense = model.layers[1]
    kernel, bias = dense.get_weights()
    assert_close(model(x), (x @ kernel + bias) * 2.0 + 1.0)


def test_graph_disconnected_error_names_the_tensor():
    a = lamina.Input(shape=(2,), name="first")
    b = lamina.Input(shape=(2,), name="second")
    outputs = layers.Add()([a, b])
    with pytest.raises(ValueError, match="Graph disconnected"):
        lamina.Model(a, outputs)


def test_wrong_input_shape_is_reported_before_running_layers():
    inputs = lamina.Input(shape=(3,))
    model = lamina.Model(inputs, layers.Dense(2)(inputs))
    with pytest.raises(ValueError, match=r"expected shape=\(None, 3\), found shape=\(4, 5\)"):
        model(np.ones((4, 5), dtype="float32"))


def test_duplicate_layer_names_are_rejected():
    inputs = lamina.Input(shape=(3,))
    x = layers.Dense(2, name="same")(inputs)
    outputs = layers.Dense(2, name="same")(x)
    with pytest.raises(ValueError, match="used by more than one layer"):
        lamina.Model(inputs, outputs)


def test_training_flag_reaches_layers_inside_the_graph():
    inputs = lamina.Input(shape=(200,))
    model = lamina.Model(inputs, layers.Dropout(0.5)(inputs))
    x = np.ones((4, 200), dtype="float32")
    assert_close(model(x), x)
    dropped = ops.convert_to_numpy(model(x, training=True))
    assert 0.3 < float((dropped == 0).mean()) < 0.7
