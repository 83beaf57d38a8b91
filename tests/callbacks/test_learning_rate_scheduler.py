"""`LearningRateScheduler`: sets the learning rate each epoch, and the compiled step uses it."""

import inspect

import numpy as np
import pytest

import lamina
from lamina.callbacks import LearningRateScheduler


class FakeOptimizer:
    def __init__(self, learning_rate):
        self.learning_rate = learning_rate


class FakeModel:
    def __init__(self):
        self.optimizer = FakeOptimizer(1.0)


def test_defaults_match_keras(keras):
    ours = inspect.signature(LearningRateScheduler.__init__).parameters
    theirs = inspect.signature(keras.callbacks.LearningRateScheduler.__init__).parameters
    assert [(p.name, p.default) for p in ours.values()] == [(p.name, p.default) for p in theirs.values()]


def test_both_schedule_signatures_and_messages(capsys):
    model = FakeModel()
    callback = LearningRateScheduler(lambda epoch, lr: lr * 0.5, verbose=1)
    callback.set_model(model)
    callback.on_epoch_begin(0)
    callback.on_epoch_begin(1)
    assert model.optimizer.learning_rate == 0.25
    assert "Epoch 2: LearningRateScheduler setting learning rate to 0.25." in capsys.readouterr().out
    callback = LearningRateScheduler(lambda epoch: 0.1 * (epoch + 1))
    callback.set_model(model)
    callback.on_epoch_begin(2)
    assert model.optimizer.learning_rate == pytest.approx(0.3)
    logs = {}
    callback.on_epoch_end(2, logs)
    assert logs == {"learning_rate": pytest.approx(0.3)}


def test_schedule_must_return_a_float():
    callback = LearningRateScheduler(lambda epoch: "fast")
    callback.set_model(FakeModel())
    with pytest.raises(ValueError, match="should be a float. Got: fast"):
        callback.on_epoch_begin(0)


class Weights(lamina.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.weights = []

    def on_epoch_end(self, epoch, logs=None):
        self.weights.append(self.model.get_weights()[0])


@pytest.mark.requires_trainable_backend
def test_fit_uses_each_epoch_learning_rate():
    optimizer = lamina.optimizers.SGD(learning_rate=0.1)
    model = lamina.Sequential([lamina.Input((2,)), lamina.layers.Dense(1)])
    model.compile(optimizer=optimizer, loss="mse")
    x = np.random.default_rng(0).normal(size=(8, 2)).astype("float32")
    y = np.ones((8, 1), "float32")
    rates = [0.0, 0.1, 0.0, 0.05]
    weights = Weights()
    scheduler = LearningRateScheduler(lambda epoch, lr: rates[epoch])
    initial = model.get_weights()[0]
    history = model.fit(x, y, epochs=4, batch_size=4, verbose=0, callbacks=[scheduler, weights])
    assert history.history["learning_rate"] == pytest.approx(rates)
    # A zero rate leaves the weights untouched; a positive one moves them.
    np.testing.assert_array_equal(weights.weights[0], initial)
    assert not np.allclose(weights.weights[1], weights.weights[0])
    np.testing.assert_array_equal(weights.weights[2], weights.weights[1])
    assert not np.allclose(weights.weights[3], weights.weights[2])
    assert float(lamina.ops.convert_to_numpy(optimizer.learning_rate)) == pytest.approx(0.05)
