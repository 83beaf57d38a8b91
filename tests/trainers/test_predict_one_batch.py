"""`predict` of inputs that fit in one batch (no callbacks, verbose=0) skips the loop: same results."""

import numpy as np
import optree
import pytest
from sklearn.datasets import load_iris

import lamina
from lamina import layers


class Watcher(lamina.callbacks.Callback):
    """Any callback sends `predict` through its loop."""

    def __init__(self):
        super().__init__()
        self.batches = 0

    def on_predict_batch_end(self, batch, logs=None):
        self.batches += 1


class TwoTowers(lamina.Model):
    def __init__(self):
        super().__init__()
        self.left = layers.Dense(3)
        self.right = layers.Dense(3)

    def call(self, inputs):
        return {"sum": self.left(inputs["a"]) + self.right(inputs["b"]), "a": self.left(inputs["a"])}


def _iris():
    x = load_iris().data.astype("float32")
    return x[:, :2], x[:, 2:]


def _functional():
    a = lamina.Input((2,), name="a")
    b = lamina.Input((2,), name="b")
    hidden = layers.Dense(8, activation="relu")(layers.Concatenate()([a, b]))
    return lamina.Model({"a": a, "b": b}, [layers.Dense(3, activation="softmax")(hidden), hidden])


@pytest.mark.parametrize("build", [_functional, TwoTowers], ids=["functional", "subclassed"])
def test_one_batch_predict_equals_the_loop(build):
    left, right = _iris()
    lamina.utils.set_random_seed(1)
    model = build()
    inputs = {"a": left[:5], "b": right[:5]}
    fast = model.predict(inputs, verbose=0)
    watcher = Watcher()
    looped = model.predict(inputs, verbose=0, callbacks=[watcher])
    assert watcher.batches == 1
    direct = optree.tree_map(lamina.ops.convert_to_numpy, model(inputs))
    for outputs in (fast, looped):
        assert optree.tree_structure(outputs) == optree.tree_structure(direct)
        for value, expected in zip(optree.tree_leaves(outputs), optree.tree_leaves(direct)):
            assert isinstance(value, np.ndarray)
            np.testing.assert_allclose(value, expected, rtol=1e-6, atol=1e-6)


def test_one_batch_predict_still_checks_the_data():
    left, right = _iris()
    model = _functional()
    with pytest.raises(ValueError, match="cardinality"):
        model.predict({"a": left[:5], "b": right[:4]}, verbose=0)


def test_one_batch_predict_of_float64_lists_and_tensors():
    left, _ = _iris()
    lamina.utils.set_random_seed(1)
    model = lamina.Sequential([lamina.Input((2,)), layers.Dense(2)])
    expected = lamina.ops.convert_to_numpy(model(left[:3]))
    as_list = left[:3].astype("float64").tolist()
    np.testing.assert_allclose(model.predict(as_list, verbose=0), expected, rtol=1e-6)
    np.testing.assert_allclose(
        model.predict(lamina.ops.convert_to_tensor(left[:3]), verbose=0), expected, rtol=1e-6
    )
    assert model.predict(left[:3], verbose=0).dtype == np.float32


def _mlp():
    lamina.utils.set_random_seed(2)
    return lamina.Sequential(
        [lamina.Input((4,)), layers.Dense(5, activation="relu"), layers.Dense(3, activation="softmax")]
    )


def _mlp_reference(model, x):
    (k1, b1), (k2, b2) = [layer.get_weights() for layer in model.layers]
    logits = np.maximum(x @ k1 + b1, 0.0) @ k2 + b2
    exp = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return exp / exp.sum(axis=-1, keepdims=True)


def test_repeated_one_batch_predicts_equal_the_loop_and_numpy():
    x = np.random.default_rng(0).normal(size=(2, 4)).astype("float32")
    model = _mlp()
    looped = model.predict(x, verbose=0, callbacks=[Watcher()])
    for _ in range(3):
        fast = model.predict(x, verbose=0)
        assert isinstance(fast, np.ndarray) and fast.dtype == np.float32
        np.testing.assert_allclose(fast, looped, rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(fast, _mlp_reference(model, x), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(model.predict(x[:1], verbose=0), looped[:1], rtol=1e-6, atol=1e-7)


def test_weight_assignments_between_predicts_are_seen():
    x = np.random.default_rng(1).normal(size=(3, 4)).astype("float32")
    model = _mlp()
    model.predict(x, verbose=0)
    model.predict(x, verbose=0)
    dense = model.layers[0]
    dense.kernel.assign(np.full((4, 5), 0.25, dtype="float32"))
    after_assign = model.predict(x, verbose=0)
    np.testing.assert_allclose(after_assign, _mlp_reference(model, x), rtol=1e-5, atol=1e-6)
    model.layers[1].set_weights([np.eye(5, 3, dtype="float32"), np.array([1.0, 0.0, -1.0], "float32")])
    np.testing.assert_allclose(model.predict(x, verbose=0), _mlp_reference(model, x), rtol=1e-5, atol=1e-6)


class CountsCalls(layers.Layer):
    """Assigns to its own non-trainable state in inference too."""

    def build(self, input_shape):
        self.count = self.add_weight(shape=(), initializer="zeros", trainable=False)

    def call(self, inputs):
        self.count.assign(self.count.value + 1.0)
        return inputs + self.count.value


def test_state_a_layer_assigns_in_inference_is_kept():
    x = np.ones((2, 3), dtype="float32")
    model = lamina.Sequential([lamina.Input((3,)), CountsCalls()])
    counter = model.layers[0].count
    # Building the model may have run the layer already: count from where it stands.
    start = float(lamina.ops.convert_to_numpy(counter.value))
    for call in range(1, 4):
        np.testing.assert_allclose(model.predict(x, verbose=0), x + start + call)
        assert float(lamina.ops.convert_to_numpy(counter.value)) == start + call
    np.testing.assert_allclose(model.predict(x, verbose=0, callbacks=[Watcher()]), x + start + 4)
    np.testing.assert_allclose(lamina.ops.convert_to_numpy(model(x)), x + start + 5)


class DoublesInPredict(lamina.Model):
    def predict_step(self, data):
        return self(data[0], training=False) * 2.0


def test_a_predict_step_override_is_honoured():
    inputs = lamina.Input((4,))
    model = DoublesInPredict(inputs, layers.Dense(2)(inputs))
    x = np.random.default_rng(2).normal(size=(3, 4)).astype("float32")
    plain = lamina.ops.convert_to_numpy(model(x))
    for _ in range(3):
        np.testing.assert_allclose(model.predict(x, verbose=0), 2.0 * plain, rtol=1e-6, atol=1e-6)


def test_float64_and_integer_inputs_convert_as_in_the_loop():
    x = np.random.default_rng(3).normal(size=(3, 4))
    model = _mlp()
    for _ in range(3):
        fast = model.predict(x, verbose=0)
        assert fast.dtype == np.float32
        np.testing.assert_allclose(fast, model.predict(x, verbose=0, callbacks=[Watcher()]), rtol=1e-6)
        np.testing.assert_allclose(fast, _mlp_reference(model, x.astype("float32")), rtol=1e-5, atol=1e-6)
    tokens = lamina.Input((2,), dtype="int32")
    embedding_model = lamina.Model(tokens, layers.Embedding(7, 3)(tokens))
    ids = np.array([[1, 6], [0, 3]], dtype="int64")
    table = embedding_model.layers[1].get_weights()[0]
    for _ in range(3):
        np.testing.assert_allclose(embedding_model.predict(ids, verbose=0), table[ids], rtol=1e-6)


@pytest.mark.jax_only
def test_jax_one_batch_predict_shares_the_compiled_call_of_model_calls():
    from lamina.models import model as model_module

    x = np.random.default_rng(4).normal(size=(1, 4)).astype("float32")
    model = _mlp()
    first = model.predict(x, verbose=0)
    compiled = model_module._COMPILED_CALLS[model]
    (entry,) = compiled.entries.values()
    assert entry.num_traces == 1 and model._runner is None
    model.predict(x, verbose=0)
    direct = lamina.ops.convert_to_numpy(model(x))
    assert len(compiled.entries) == 1 and entry.num_traces == 1
    np.testing.assert_allclose(first, direct, rtol=1e-6, atol=1e-7)


@pytest.mark.jax_only
def test_jax_models_outside_the_compiled_call_keep_the_step_runner():
    from lamina.models import model as model_module

    x = np.ones((2, 4), dtype="float32")
    eager = _mlp()
    eager.compile(run_eagerly=True)
    inputs = lamina.Input((4,))
    custom = DoublesInPredict(inputs, layers.Dense(2)(inputs))
    for model in (eager, custom):
        model.predict(x, verbose=0)
        compiled = model_module._COMPILED_CALLS.get(model)
        assert compiled is None or not compiled.entries
        assert model._runner is not None
