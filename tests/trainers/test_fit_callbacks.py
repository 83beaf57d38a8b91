"""Callbacks during fit / evaluate / predict: hook order, stopping, live weights, progress output."""

import numpy as np
import pytest

import lamina
from lamina import layers

pytestmark = pytest.mark.requires_trainable_backend


class Recorder(lamina.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.events = []

    def on_train_begin(self, logs=None):
        self.events.append("train_begin")

    def on_epoch_begin(self, epoch, logs=None):
        self.events.append(f"epoch_begin_{epoch}")

    def on_train_batch_end(self, batch, logs=None):
        self.events.append(f"batch_end_{batch}")

    def on_epoch_end(self, epoch, logs=None):
        self.events.append(f"epoch_end_{epoch}:{sorted(logs)}")

    def on_train_end(self, logs=None):
        self.events.append("train_end")


def _data(samples=64):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(samples, 5)).astype("float32")
    y = (x[:, :1] > 0).astype("float32")
    return x, y


def _model(steps_per_execution=1):
    model = lamina.Sequential([lamina.Input((5,)), layers.Dense(1, activation="sigmoid")])
    model.compile(
        optimizer="sgd",
        loss="binary_crossentropy",
        metrics=["accuracy"],
        steps_per_execution=steps_per_execution,
    )
    return model


def test_hooks_are_called_in_order():
    x, y = _data()
    recorder = Recorder()
    _model().fit(x, y, batch_size=32, epochs=2, verbose=0, callbacks=[recorder])
    assert recorder.events == [
        "train_begin",
        "epoch_begin_0",
        "batch_end_0",
        "batch_end_1",
        "epoch_end_0:['accuracy', 'loss']",
        "epoch_begin_1",
        "batch_end_0",
        "batch_end_1",
        "epoch_end_1:['accuracy', 'loss']",
        "train_end",
    ]


def test_steps_per_execution_reports_the_last_step_of_each_group():
    x, y = _data(128)
    recorder = Recorder()
    _model(steps_per_execution=2).fit(x, y, batch_size=32, epochs=1, verbose=0, callbacks=[recorder])
    assert [e for e in recorder.events if e.startswith("batch_end")] == ["batch_end_1", "batch_end_3"]


def test_stop_training_from_a_callback():
    x, y = _data()

    class StopAfterFirstEpoch(lamina.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            self.model.stop_training = True

    history = _model().fit(x, y, epochs=5, verbose=0, callbacks=[StopAfterFirstEpoch()])
    assert len(history.history["loss"]) == 1


def test_callbacks_see_current_weights_and_can_change_them():
    x, y = _data()
    seen = []

    class Watcher(lamina.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.append(self.model.get_weights()[0].copy())
            if epoch == 1:
                self.model.set_weights([np.zeros_like(w) for w in self.model.get_weights()])

    model = _model()
    model.fit(x, y, epochs=2, verbose=0, callbacks=[Watcher()])
    assert not np.allclose(seen[0], seen[1])
    np.testing.assert_array_equal(model.get_weights()[0], np.zeros_like(seen[0]))


def test_progress_output_verbose_levels(capsys):
    x, y = _data()
    model = _model()
    model.fit(x, y, batch_size=32, epochs=2, verbose=2)
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert lines[0] == "Epoch 1/2"
    assert lines[1].startswith("2/2 - ") and "accuracy: " in lines[1] and "loss: " in lines[1]
    assert lines[2] == "Epoch 2/2"
    model.fit(x, y, batch_size=32, epochs=1, verbose=0)
    assert capsys.readouterr().out == ""
    model.fit(x, y, batch_size=32, epochs=1, verbose=1)
    out = capsys.readouterr().out
    # Like Keras, no "Epoch 1/1" header when there is a single epoch.
    assert "Epoch" not in out and "2/2" in out and "━" in out


def test_history_is_returned_and_attached_to_the_model():
    x, y = _data()
    model = _model()
    history = model.fit(x, y, epochs=3, verbose=0)
    assert model.history is history
    assert history.epoch == [0, 1, 2]
    assert len(history.history["accuracy"]) == 3
