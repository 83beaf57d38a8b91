"""clone_model, to_json / model_from_json: same architecture, fresh weights, Keras's JSON."""

import numpy as np
import pytest

import lamina
from lamina import layers


def _functional():
    features = lamina.Input((4,), name="features")
    extra = lamina.Input((2,), name="extra")
    shared = layers.Dense(3, name="shared")
    merged = layers.Concatenate(name="merged")([shared(features), layers.Dense(3, name="side")(extra)])
    outputs = layers.Dense(1, name="head")(layers.Dropout(0.1, name="dropout")(merged))
    return lamina.Model({"features": features, "extra": extra}, outputs, name="two_inputs")


def _data():
    generator = np.random.RandomState(0)
    return {
        "features": generator.normal(size=(5, 4)).astype("float32"),
        "extra": generator.normal(size=(5, 2)).astype("float32"),
    }


def test_clone_functional_has_new_layers_and_new_weights():
    model = _functional()
    clone = lamina.models.clone_model(model)
    assert clone.name == model.name
    assert [layer.name for layer in clone.layers] == [layer.name for layer in model.layers]
    assert all(ours is not theirs for ours, theirs in zip(clone.layers, model.layers))
    assert not np.allclose(clone.get_layer("head").kernel.numpy(), model.get_layer("head").kernel.numpy())
    clone.set_weights(model.get_weights())
    np.testing.assert_allclose(
        clone.predict(_data(), verbose=0), model.predict(_data(), verbose=0), rtol=1e-6, atol=1e-6
    )


def test_clone_function_and_call_function_and_input_tensors():
    model = _functional()

    def no_dropout(layer):
        if isinstance(layer, layers.Dropout):
            return layers.Identity(name=layer.name)
        return layer.__class__.from_config(layer.get_config())

    calls = []

    def record(layer, *args, **kwargs):
        calls.append(layer.name)
        return layer(*args, **kwargs)

    new_inputs = {
        "features": lamina.Input((4,), name="new_features"),
        "extra": lamina.Input((2,), name="new_extra"),
    }
    clone = lamina.models.clone_model(
        model, input_tensors=new_inputs, clone_function=no_dropout, call_function=record
    )
    assert isinstance(clone.get_layer("dropout"), layers.Identity)
    assert {"shared", "side", "merged", "dropout", "head"} <= set(calls)
    assert {layer.name for layer in clone.layers} >= {"new_features", "new_extra"}


def test_clone_sequential_and_recursive_nesting():
    inner = lamina.Sequential([lamina.Input((3,)), layers.Dense(2, name="inner_dense")], name="inner")
    outer = lamina.Sequential([lamina.Input((3,)), inner, layers.Dense(1, name="outer_dense")], name="outer")
    flat = lamina.models.clone_model(outer)
    assert flat.layers[0] is not inner and flat.layers[0].name == "inner"
    seen = []

    def clone_and_record(layer):
        seen.append(layer.name)
        return layer.__class__.from_config(layer.get_config())

    lamina.models.clone_model(outer, clone_function=clone_and_record, recursive=True)
    assert "inner_dense" in seen and "inner" not in seen
    with pytest.raises(ValueError, match="clone_function must return a layer"):
        lamina.models.clone_model(outer, clone_function=lambda layer: None)


def test_clone_subclassed_model_from_config():
    @lamina.saving.register_keras_serializable(package="cloning_tests")
    class Scaled(lamina.Model):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor
            self.dense = layers.Dense(2)

        def call(self, inputs):
            return self.dense(inputs) * self.factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    clone = lamina.models.clone_model(Scaled(factor=3.0))
    assert isinstance(clone, Scaled) and clone.factor == 3.0
    with pytest.raises(ValueError, match="subclassed model"):
        lamina.models.clone_model(Scaled(), clone_function=lambda layer: layer)


def test_to_json_round_trip_and_keras_reads_it(keras):
    model = _functional()
    restored = lamina.models.model_from_json(model.to_json())
    assert [layer.name for layer in restored.layers] == [layer.name for layer in model.layers]
    restored.set_weights(model.get_weights())
    np.testing.assert_allclose(
        restored.predict(_data(), verbose=0), model.predict(_data(), verbose=0), rtol=1e-6, atol=1e-6
    )
    theirs = keras.models.model_from_json(model.to_json())
    theirs.set_weights(model.get_weights())
    np.testing.assert_allclose(
        np.asarray(theirs.predict(_data(), verbose=0)),
        model.predict(_data(), verbose=0),
        rtol=1e-5,
        atol=1e-5,
    )
    ours_from_keras = lamina.models.model_from_json(theirs.to_json())
    assert [layer.name for layer in ours_from_keras.layers] == [layer.name for layer in theirs.layers]
