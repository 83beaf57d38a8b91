"""`ReduceLROnPlateau`: when and how far it lowers the learning rate (as Keras), and that training uses it."""

import inspect

import numpy as np
import pytest

import lamina
from lamina.callbacks import ReduceLROnPlateau

keras_oracle = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")


class FakeOptimizer:
    def __init__(self, learning_rate):
        self.learning_rate = learning_rate


class FakeModel:
    def __init__(self, learning_rate):
        self.metrics = []
        self.optimizer = FakeOptimizer(learning_rate)


def _drive(callback, values):
    """The learning rate after each epoch's end, with `values` as `val_loss`."""
    model = FakeModel(1.0)
    callback.set_model(model)
    callback.on_train_begin()
    rates = []
    for epoch, value in enumerate(values):
        callback.on_epoch_end(epoch, {"loss": 1.0, "val_loss": value})
        rates.append(float(model.optimizer.learning_rate))
    return rates


CASES = [
    ({"patience": 1, "factor": 0.5}, [1.0, 1.0, 1.0, 0.5, 0.5, 0.5]),
    ({"patience": 2, "factor": 0.1, "min_lr": 0.05}, [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]),
    ({"patience": 1, "cooldown": 2, "factor": 0.5}, [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]),
    ({"patience": 1, "min_delta": 0.2, "factor": 0.5}, [1.0, 0.9, 0.6, 0.5, 0.45, 0.1]),
    ({"patience": 1, "mode": "max", "factor": 0.5}, [0.1, 0.2, 0.2, 0.3, 0.1]),
]


@keras_oracle
@pytest.mark.parametrize("arguments, values", CASES)
def test_learning_rates_match_keras(keras, arguments, values):
    ours = _drive(ReduceLROnPlateau(**arguments), values)
    theirs = _drive(keras.callbacks.ReduceLROnPlateau(**arguments), values)
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)
    assert ours[-1] < 1.0


def test_defaults_and_argument_errors(keras):
    ours = inspect.signature(ReduceLROnPlateau.__init__).parameters
    theirs = inspect.signature(keras.callbacks.ReduceLROnPlateau.__init__).parameters
    assert [(p.name, p.default) for p in ours.values()] == [(p.name, p.default) for p in theirs.values()]
    with pytest.raises(ValueError, match="factor >= 1.0. Received factor=1.5"):
        ReduceLROnPlateau(factor=1.5)


def test_logs_the_learning_rate_and_warns_without_monitor(capsys):
    model = FakeModel(0.5)
    callback = ReduceLROnPlateau(monitor="loss", patience=0, verbose=1)
    callback.set_model(model)
    callback.on_train_begin()
    logs = {"loss": 1.0}
    callback.on_epoch_end(0, logs)
    assert logs["learning_rate"] == 0.5
    callback.on_epoch_end(1, {"loss": 1.0})
    assert "Epoch 2: ReduceLROnPlateau reducing learning rate to 0.05." in capsys.readouterr().out
    with pytest.warns(UserWarning, match="conditioned on metric `loss` which is not available"):
        callback.on_epoch_end(2, {"accuracy": 1.0})


class Score(lamina.callbacks.Callback):
    """Puts a constant `score` into the epoch logs (a plateau) and records the weights."""

    def __init__(self):
        super().__init__()
        self.weights = []

    def on_epoch_end(self, epoch, logs=None):
        logs["score"] = 1.0
        self.weights.append(self.model.get_weights()[0])


@pytest.mark.requires_trainable_backend
def test_fit_lowers_the_learning_rate_and_training_uses_it():
    optimizer = lamina.optimizers.SGD(learning_rate=0.1)
    model = lamina.Sequential([lamina.Input((2,)), lamina.layers.Dense(1)])
    model.compile(optimizer=optimizer, loss="mse")
    x = np.random.default_rng(0).normal(size=(8, 2)).astype("float32")
    y = np.ones((8, 1), "float32")
    score = Score()
    # factor=0 drops the rate to zero after epoch 2: the weights must then stop moving.
    reduce = ReduceLROnPlateau(monitor="score", mode="min", patience=2, factor=0.0)
    history = model.fit(x, y, epochs=5, batch_size=4, verbose=0, callbacks=[score, reduce])
    assert history.history["learning_rate"] == pytest.approx([0.1, 0.1, 0.1, 0.0, 0.0])
    assert float(lamina.ops.convert_to_numpy(optimizer.learning_rate)) == 0.0
    assert not np.allclose(score.weights[0], score.weights[2])
    np.testing.assert_array_equal(score.weights[2], score.weights[4])
