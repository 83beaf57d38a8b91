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
