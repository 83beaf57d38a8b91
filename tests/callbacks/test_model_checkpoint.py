"""`ModelCheckpoint`: file names, save_best_only, save_freq, and reloading what it saved."""

import os
import warnings

import numpy as np
import pytest

import lamina
from lamina.callbacks import ModelCheckpoint
from tests.testing_utils import assert_close

# Keras's own jax code trips a NumPy 2 DeprecationWarning (`__array__` without `copy`).
keras_oracle = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")


class RecordingModel:
    """Stands in for a model: records the paths `ModelCheckpoint` saves to."""

    def __init__(self):
        self.saved = []
        self.metrics = []

    def save_weights(self, filepath, overwrite=True):
        self.saved.append(("weights", os.path.basename(filepath), overwrite))

    def save(self, filepath, overwrite=True):
        self.saved.append(("model", os.path.basename(filepath), overwrite))


def _drive(callback, events):
    """Feeds `callback` a sequence of ("epoch", index, logs) / ("batch", index, logs) events."""
    model = RecordingModel()
    callback.set_model(model)
    callback.on_train_begin()
    for kind, index, logs in events:
        if kind == "epoch_begin":
            callback.on_epoch_begin(index)
        elif kind == "epoch":
            callback.on_epoch_end(index, logs)
        else:
            callback.on_train_batch_end(index, logs)
    return model.saved


def _epochs(values, name="val_loss"):
    events = []
    for epoch, value in enumerate(values):
        events.append(("epoch_begin", epoch, None))
        events.append(("epoch", epoch, {"loss": 1.0, name: value}))
    return events


def test_filename_checks_name_the_argument(tmp_path):
    with pytest.raises(ValueError, match=r"\.weights\.h5.*filepath="):
        ModelCheckpoint(str(tmp_path / "model.keras"), save_weights_only=True)
    with pytest.raises(ValueError, match=r"\.keras.*filepath="):
        ModelCheckpoint(str(tmp_path / "model.ckpt"))
    with pytest.raises(ValueError, match="save_freq"):
        ModelCheckpoint(str(tmp_path / "model.keras"), save_freq="batch")
    with pytest.warns(UserWarning, match="unknown"):
        callback = ModelCheckpoint(str(tmp_path / "model.keras"), mode="largest")
    assert callback.mode == "auto"
    # PathLike paths are accepted.
    assert ModelCheckpoint(tmp_path / "m.weights.h5", save_weights_only=True).filepath.endswith(".weights.h5")


def test_defaults_match_keras(keras):
    import inspect

    ours = inspect.signature(ModelCheckpoint.__init__).parameters
    theirs = inspect.signature(keras.callbacks.ModelCheckpoint.__init__).parameters
    assert [(name, p.default) for name, p in ours.items()] == [
        (name, p.default) for name, p in theirs.items()
    ]


def test_file_path_formatting(tmp_path):
    callback = ModelCheckpoint(str(tmp_path / "{epoch:02d}-{val_loss:.2f}.keras"))
    assert callback._get_file_path(2, None, {"val_loss": 0.1234}).endswith("03-0.12.keras")
    batched = ModelCheckpoint(str(tmp_path / "e{epoch}b{batch}.keras"), save_freq=2)
    assert batched._get_file_path(0, 4, {"loss": 1.0}).endswith("e1b5.keras")
    with pytest.raises(KeyError, match="Failed to format"):
        callback._get_file_path(0, None, {"loss": 1.0})


@keras_oracle
@pytest.mark.parametrize(
    "arguments, values, name",
    [
        ({"save_best_only": True}, [0.5, 0.4, 0.6, 0.3, 0.3], "val_loss"),
        ({"save_best_only": True, "mode": "max", "monitor": "val_acc"}, [0.5, 0.4, 0.6, 0.7], "val_acc"),
        ({"save_best_only": True, "initial_value_threshold": 0.45}, [0.5, 0.4, 0.6, 0.3], "val_loss"),
        ({"save_best_only": True, "mode": "min", "monitor": "loss"}, [0.5, 0.4], "val_loss"),
        ({}, [0.5, 0.4, 0.6], "val_loss"),
    ],
)
def test_save_best_only_decisions_match_keras(keras, tmp_path, arguments, values, name):
    ours = _drive(ModelCheckpoint(str(tmp_path / "{epoch}.keras"), **arguments), _epochs(values, name))
    theirs = _drive(
        keras.callbacks.ModelCheckpoint(str(tmp_path / "{epoch}.keras"), **arguments), _epochs(values, name)
    )
    assert ours == theirs
    assert len(ours) >= 1


def test_save_best_only_keeps_the_best(tmp_path):
    saved = _drive(
        ModelCheckpoint(str(tmp_path / "{epoch}.weights.h5"), save_best_only=True, save_weights_only=True),
        _epochs([0.5, 0.4, 0.6, 0.3]),
    )
    assert [name for _, name, _ in saved] == ["1.weights.h5", "2.weights.h5", "4.weights.h5"]


def test_missing_monitor_warns_and_saves(tmp_path):
    callback = ModelCheckpoint(str(tmp_path / "m.keras"), monitor="val_auc", save_best_only=True)
    with pytest.warns(UserWarning, match="val_auc available"):
        saved = _drive(callback, [("epoch", 0, {"loss": 1.0})])
    assert saved == [("model", "m.keras", True)]


def test_auto_mode_needs_a_known_direction(tmp_path):
    callback = ModelCheckpoint(str(tmp_path / "m.keras"), monitor="custom", save_best_only=True)
    with pytest.raises(ValueError, match="mode='max'"):
        _drive(callback, [("epoch", 0, {"custom": 1.0})])


@keras_oracle
def test_batch_save_freq_matches_keras(keras, tmp_path):
    # Two epochs of 4 batches, then one with steps_per_execution=2 (batch ends at 1, 3).
    events = []
    for epoch, batches in enumerate([[0, 1, 2, 3], [0, 1, 2, 3], [1, 3]]):
        events.append(("epoch_begin", epoch, None))
        events.extend(("batch", batch, {"loss": 0.1 * batch}) for batch in batches)
        events.append(("epoch", epoch, {"loss": 0.5}))
    path = str(tmp_path / "e{epoch:02d}-b{batch:02d}.weights.h5")
    ours = _drive(ModelCheckpoint(path, save_weights_only=True, save_freq=3), events)
    theirs = _drive(keras.callbacks.ModelCheckpoint(path, save_weights_only=True, save_freq=3), events)
    assert ours == theirs
    assert [name for _, name, _ in ours] == [
        "e01-b03.weights.h5",
        "e02-b02.weights.h5",
        "e03-b02.weights.h5",
    ]


@keras_oracle
def test_auto_mode_direction_matches_keras(keras):
    from lamina.callbacks.model_checkpoint import resolve_monitor_op

    metrics = ["accuracy", "mae", "mse", "binary_crossentropy"]
    x = np.linspace(0.0, 1.0, 8, dtype="float32").reshape(4, 2)
    y = np.array([[0.0], [1.0], [1.0], [0.0]], dtype="float32")
    keras_model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid")])
    keras_model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=metrics)
    keras_model.evaluate(x, y, verbose=0)
    model = lamina.Sequential([lamina.Input((2,)), lamina.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=metrics)
    model.evaluate(x, y, verbose=0)
    for name in ["val_loss", "accuracy", "val_mae", "mse", "binary_crossentropy"]:
        oracle = keras.callbacks.ModelCheckpoint("m.keras", monitor=name)
        oracle.set_model(keras_model)
        oracle._set_monitor_op()
        expected = "less" if oracle.monitor_op is keras.ops.less else "greater"
        assert resolve_monitor_op("ModelCheckpoint", name, "auto", model).__name__ == expected, name


def _data():
    x = np.linspace(-1.0, 1.0, 48, dtype="float32").reshape(24, 2)
    y = (x[:, :1] * 0.7 - x[:, 1:] * 0.3 + 0.1).astype("float32")
    return x, y


def _model():
    model = lamina.Sequential(
        [lamina.Input((2,)), lamina.layers.Dense(3, activation="tanh"), lamina.layers.Dense(1)]
    )
    model.compile(optimizer=lamina.optimizers.SGD(0.1), loss="mse")
    return model


class WeightsPerEpoch(lamina.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.weights = []

    def on_epoch_end(self, epoch, logs=None):
        self.weights.append([np.array(w) for w in self.model.get_weights()])


@pytest.mark.requires_trainable_backend
def test_fit_writes_formatted_files_that_reload(tmp_path):
    x, y = _data()
    model = _model()
    path = str(tmp_path / "ckpt" / "{epoch:02d}-{loss:.3f}.weights.h5")
    checkpoint = ModelCheckpoint(path, monitor="loss", save_weights_only=True)
    history = model.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0, callbacks=[checkpoint])
    expected = [
        f"{epoch + 1:02d}-{loss:.3f}.weights.h5" for epoch, loss in enumerate(history.history["loss"])
    ]
    assert sorted(os.listdir(tmp_path / "ckpt")) == expected
    restored = _model()
    restored.load_weights(str(tmp_path / "ckpt" / expected[-1]))
    assert_close(restored.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)


@pytest.mark.requires_trainable_backend
def test_fit_save_best_only_keeps_the_best_epoch(tmp_path):
    x, y = _data()
    model = _model()
    recorder = WeightsPerEpoch()
    path = str(tmp_path / "best.weights.h5")
    checkpoint = ModelCheckpoint(path, save_best_only=True, save_weights_only=True)
    # A validation set the model fits worse as it trains, so the best epoch is not the last.
    validation = (x[:8], -y[:8] * 5.0)
    history = model.fit(
        x,
        y,
        batch_size=8,
        epochs=4,
        shuffle=False,
        verbose=0,
        validation_data=validation,
        callbacks=[recorder, checkpoint],
    )
    best = int(np.argmin(history.history["val_loss"]))
    assert checkpoint.best == pytest.approx(min(history.history["val_loss"]))
    restored = _model()
    restored.load_weights(path)
    for saved, recorded in zip(restored.get_weights(), recorder.weights[best]):
        assert_close(saved, recorded, atol=1e-7)


@pytest.mark.requires_trainable_backend
def test_fit_batch_save_freq(tmp_path):
    x, y = _data()
    model = _model()
    path = str(tmp_path / "{epoch}-{batch}.weights.h5")
    checkpoint = ModelCheckpoint(path, save_weights_only=True, save_freq=4)
    model.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0, callbacks=[checkpoint])
    # 3 batches an epoch: saves after batches 4 (epoch 2, batch 1) and 8 (epoch 3, batch 2).
    assert sorted(os.listdir(tmp_path)) == ["2-1.weights.h5", "3-2.weights.h5"]


def test_epoch_saving_leaves_batch_logs_lazy(tmp_path):
    from lamina.callbacks.callback import is_overridden

    assert not is_overridden(ModelCheckpoint(str(tmp_path / "m.keras")), "on_train_batch_end")
    assert is_overridden(ModelCheckpoint(str(tmp_path / "m.keras"), save_freq=2), "on_train_batch_end")

    class CountingCheckpoint(ModelCheckpoint):
        batches = 0

        def on_train_batch_end(self, batch, logs=None):
            self.batches += 1
            super().on_train_batch_end(batch, logs)

    # A subclass's own batch hook is kept (and the base hook does not save by epoch).
    counting = CountingCheckpoint(str(tmp_path / "m.keras"))
    assert _drive(counting, [("batch", 0, {"loss": 1.0}), ("batch", 1, {"loss": 1.0})]) == []
    assert counting.batches == 2


@pytest.mark.requires_trainable_backend
def test_fit_saves_whole_models_that_load_model_reads(tmp_path):
    """Needs `Model.save` and `lamina.saving.load_model` (the `.keras` format)."""
    x, y = _data()
    model = _model()
    path = str(tmp_path / "{epoch}.keras")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0, callbacks=[ModelCheckpoint(path)])
    assert sorted(os.listdir(tmp_path)) == ["1.keras", "2.keras"]
    restored = lamina.saving.load_model(str(tmp_path / "2.keras"))
    assert_close(restored.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)
