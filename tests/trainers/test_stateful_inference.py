"""State updated at inference (a stateful RNN's states) carries across predict / evaluate batches."""

import numpy as np
import pytest
from testing_utils import assert_close

import lamina
from lamina import layers
from lamina.backend import backend


def _stateful_model():
    lamina.utils.set_random_seed(0)
    return lamina.Sequential(
        [lamina.Input((3, 2), batch_size=4), layers.SimpleRNN(5, stateful=True), layers.Dense(1)]
    )


def _eager_reference(model, x):
    """Calls the model batch by batch (4 sequences each), resetting the states first."""
    model.layers[0].reset_state()
    outputs = [lamina.ops.convert_to_numpy(model(x[start : start + 4])) for start in range(0, len(x), 4)]
    model.layers[0].reset_state()
    return np.concatenate(outputs)


def test_predict_carries_states_from_batch_to_batch():
    model = _stateful_model()
    x = np.random.default_rng(0).standard_normal((12, 3, 2)).astype("float32")
    expected = _eager_reference(model, x)
    assert_close(model.predict(x, batch_size=4, verbose=0), expected, atol=1e-5)
    # The states kept moving: the same inputs again give other outputs until reset.
    again = model.predict(x[:4], batch_size=4, verbose=0)
    assert not np.allclose(again, expected[:4], atol=1e-4)
    model.layers[0].reset_state()
    assert_close(model.predict(x[:4], batch_size=4, verbose=0), expected[:4], atol=1e-5)


@pytest.mark.requires_trainable_backend
def test_evaluate_carries_states_from_batch_to_batch():
    model = _stateful_model()
    model.compile(loss="mse")
    x = np.random.default_rng(1).standard_normal((8, 3, 2)).astype("float32")
    y = np.zeros((8, 1), "float32")
    expected = _eager_reference(model, x)
    loss = model.evaluate(x, y, batch_size=4, verbose=0)
    assert_close(loss, np.mean(expected**2), rtol=1e-5)


def test_uncompiled_model_is_eager_on_torch():
    model = _stateful_model()
    assert model.jit_compile is (backend() != "torch")


def test_predict_sees_weights_set_between_calls():
    model = lamina.Sequential([lamina.Input((2,)), layers.Dense(1)])
    x = np.ones((3, 2), "float32")
    model.predict(x, verbose=0)
    model.set_weights([np.zeros((2, 1), "float32"), np.ones(1, "float32")])
    assert_close(model.predict(x, verbose=0), np.ones((3, 1)))
    model.layers[0].kernel.assign(np.full((2, 1), 2.0, "float32"))
    assert_close(model.predict(x, verbose=0), np.full((3, 1), 5.0))


@pytest.mark.requires_trainable_backend
def test_evaluate_sees_weights_set_between_calls():
    model = lamina.Sequential([lamina.Input((2,)), layers.Dense(1)])
    model.compile(loss="mae")
    x, y = np.ones((3, 2), "float32"), np.zeros((3, 1), "float32")
    model.evaluate(x, y, verbose=0)
    model.set_weights([np.zeros((2, 1), "float32"), np.ones(1, "float32")])
    assert_close(model.evaluate(x, y, verbose=0), 1.0)
