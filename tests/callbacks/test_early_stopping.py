"""`EarlyStopping`: the epoch it stops at, the weights it restores, baseline and warm-up, as Keras."""

import inspect

import numpy as np
import pytest

import lamina
from lamina.callbacks import EarlyStopping

keras_oracle = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")


class FakeModel:
    """Stands in for a model: its "weights" are the index of the epoch that produced them."""

    def __init__(self):
        self.metrics = []
        self.stop_training = False
        self.epoch = 0
        self.restored = None

    def get_weights(self):
        return [np.array(self.epoch)]

    def set_weights(self, weights):
        self.restored = int(weights[0])


def _drive(callback, values, name="val_loss"):
    """Feeds `values` (one per epoch) until the callback stops training; returns what happened."""
    model = FakeModel()
    callback.set_model(model)
    callback.on_train_begin()
    epochs_run = 0
    for epoch, value in enumerate(values):
        model.epoch = epoch
        callback.on_epoch_end(epoch, {"loss": 1.0, name: value})
        epochs_run += 1
        if model.stop_training:
            break
    callback.on_train_end()
    return epochs_run, callback.stopped_epoch, callback.best, callback.best_epoch, model.restored


CASES = [
    ({"patience": 0}, [1.0, 0.9, 0.95, 0.8]),
    ({"patience": 2}, [1.0, 0.9, 0.95, 0.92, 0.8, 0.7]),
    ({"patience": 2, "restore_best_weights": True}, [1.0, 0.5, 0.6, 0.7, 0.8]),
    ({"patience": 1, "min_delta": 0.1}, [1.0, 0.95, 0.7, 0.65, 0.6]),
    ({"patience": 1, "mode": "max"}, [0.1, 0.5, 0.4, 0.3]),
    ({"patience": 2, "baseline": 0.5, "restore_best_weights": True}, [1.0, 0.9, 0.8, 0.7, 0.4, 0.3]),
    ({"patience": 1, "baseline": 0.5}, [0.4, 0.3, 0.35, 0.2]),
    ({"patience": 1, "start_from_epoch": 3, "restore_best_weights": True}, [0.1, 0.9, 0.9, 0.8, 0.85, 0.9]),
    ({"patience": 3, "min_delta": -0.05, "restore_best_weights": True}, [1.0, 1.02, 1.1, 1.2, 1.3]),
]


@keras_oracle
@pytest.mark.parametrize("arguments, values", CASES)
def test_stopping_epoch_and_restored_weights_match_keras(keras, arguments, values):
    ours = _drive(EarlyStopping(**arguments), values)
    theirs = _drive(keras.callbacks.EarlyStopping(**arguments), values)
    assert ours[:2] == theirs[:2]
    assert ours[2] == pytest.approx(float(theirs[2]))
    assert ours[3:] == theirs[3:]


def test_defaults_match_keras(keras):
    ours = inspect.signature(EarlyStopping.__init__).parameters
    theirs = inspect.signature(keras.callbacks.EarlyStopping.__init__).parameters
    assert [(p.name, p.default) for p in ours.values()] == [(p.name, p.default) for p in theirs.values()]


def test_missing_monitor_warns_and_never_stops():
    callback = EarlyStopping(monitor="val_auc", mode="max", patience=0)
    with pytest.warns(UserWarning, match="val_auc.*not available"):
        assert _drive(callback, [1.0, 2.0, 3.0], name="val_loss")[0] == 3


def test_unknown_mode_warns_and_unknown_direction_raises():
    with pytest.warns(UserWarning, match="mode 'largest' is unknown"):
        callback = EarlyStopping(monitor="custom", mode="largest")
    with pytest.raises(ValueError, match="EarlyStopping callback received monitor=custom"):
        _drive(callback, [1.0], name="custom")


def test_verbose_messages(capsys):
    _drive(EarlyStopping(patience=1, verbose=1, restore_best_weights=True), [1.0, 2.0, 3.0])
    printed = capsys.readouterr().out
    assert "Epoch 2: early stopping" in printed
    assert "Restoring model weights from the end of the best epoch: 1." in printed


class ScoreAndWeights(lamina.callbacks.Callback):
    """Puts a scripted `score` into the epoch logs and records the weights after each epoch."""

    def __init__(self, scores):
        super().__init__()
        self.scores = scores
        self.weights = []

    def on_epoch_end(self, epoch, logs=None):
        logs["score"] = self.scores[epoch]
        self.weights.append(self.model.get_weights())


@pytest.mark.requires_trainable_backend
def test_fit_stops_and_restores_the_best_weights():
    model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)])
    model.compile(optimizer=lamina.optimizers.SGD(0.1), loss="mse")
    x = np.random.default_rng(0).normal(size=(8, 3)).astype("float32")
    y = np.ones((8, 2), "float32")
    recorder = ScoreAndWeights([0.9, 0.5, 0.7, 0.8, 0.9, 0.1, 0.1])
    stopper = EarlyStopping(monitor="score", mode="min", patience=3, restore_best_weights=True)
    history = model.fit(x, y, epochs=7, batch_size=4, verbose=0, callbacks=[recorder, stopper])
    assert len(history.history["loss"]) == 5
    assert stopper.stopped_epoch == 4 and stopper.best_epoch == 1
    # Training changed the weights after the best epoch, and the best ones came back.
    assert not np.allclose(recorder.weights[4][0], recorder.weights[1][0])
    for restored, best in zip(model.get_weights(), recorder.weights[1]):
        np.testing.assert_array_equal(restored, best)
    # The restored weights are the ones the next training run continues from.
    assert float(model.evaluate(x, y, verbose=0)) == pytest.approx(
        float(np.mean((x @ recorder.weights[1][0] + recorder.weights[1][1] - y) ** 2)), rel=1e-5
    )


@pytest.mark.requires_trainable_backend
def test_fit_with_start_from_epoch_and_baseline():
    model = lamina.Sequential([lamina.Input((2,)), lamina.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.ones((4, 2), "float32"), np.ones((4, 1), "float32")
    warm = EarlyStopping(monitor="score", mode="min", patience=0, start_from_epoch=2)
    history = model.fit(x, y, epochs=6, verbose=0, callbacks=[ScoreAndWeights([1, 2, 3, 4, 5, 6]), warm])
    assert len(history.history["loss"]) == 4
    # A flat score: without a baseline the first epoch counts as an improvement, with one it doesn't.
    for arguments, expected_epochs in (({}, 3), ({"baseline": 0.5}, 2)):
        stopper = EarlyStopping(monitor="score", mode="min", patience=2, **arguments)
        history = model.fit(x, y, epochs=6, verbose=0, callbacks=[ScoreAndWeights([0.9] * 6), stopper])
        assert len(history.history["loss"]) == expected_epochs
