"""`CSVLogger`: the rows it writes (same bytes as Keras), appending, separators and array values."""

import csv
import inspect

import numpy as np
import pytest

import lamina
from lamina.callbacks import CSVLogger


def _drive(callback, epochs_logs):
    callback.on_train_begin()
    for epoch, logs in enumerate(epochs_logs):
        callback.on_epoch_end(epoch, logs)
    callback.on_train_end()


def test_defaults_match_keras(keras):
    ours = inspect.signature(CSVLogger.__init__).parameters
    theirs = inspect.signature(keras.callbacks.CSVLogger.__init__).parameters
    assert [(p.name, p.default) for p in ours.values()] == [(p.name, p.default) for p in theirs.values()]


@pytest.mark.parametrize("separator", [",", ";"])
def test_file_matches_keras_byte_for_byte(keras, tmp_path, separator):
    runs = [
        [{"loss": 0.5, "accuracy": 0.25}, {"loss": 0.25, "accuracy": 0.5, "val_loss": 0.75}],
        [{"loss": 0.125, "accuracy": 0.75, "per_class": np.array([1.0, 2.0]), "note": "x"}],
    ]
    for name, module in (("ours.csv", lamina.callbacks), ("theirs.csv", keras.callbacks)):
        for append, logs in zip((False, True), runs):
            _drive(module.CSVLogger(tmp_path / name, separator=separator, append=append), logs)
    ours = (tmp_path / "ours.csv").read_bytes()
    assert ours == (tmp_path / "theirs.csv").read_bytes()
    assert ours.count(b"epoch") == 1


def test_overwrite_without_append(tmp_path):
    path = tmp_path / "log.csv"
    _drive(CSVLogger(path), [{"loss": 1.0}, {"loss": 2.0}])
    _drive(CSVLogger(path), [{"loss": 3.0}])
    with open(path, newline="") as file:
        rows = list(csv.DictReader(file))
    assert rows == [{"epoch": "0", "loss": "3.0", "val_loss": "NA"}]


@pytest.mark.requires_trainable_backend
def test_fit_writes_one_row_per_epoch_and_appends(tmp_path):
    path = tmp_path / "training.log"
    model = lamina.Sequential([lamina.Input((2,)), lamina.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    x, y = np.ones((8, 2), "float32"), np.zeros((8, 1), "float32")
    history = model.fit(x, y, epochs=2, verbose=0, validation_data=(x, y), callbacks=[CSVLogger(path)])
    model.fit(x, y, epochs=1, verbose=0, validation_data=(x, y), callbacks=[CSVLogger(path, append=True)])
    with open(path, newline="") as file:
        rows = list(csv.DictReader(file))
    assert [row["epoch"] for row in rows] == ["0", "1", "0"]
    assert list(rows[0]) == ["epoch", "loss", "mae", "val_loss", "val_mae"]
    for row, loss, val_mae in zip(rows, history.history["loss"], history.history["val_mae"]):
        assert float(row["loss"]) == pytest.approx(loss)
        assert float(row["val_mae"]) == pytest.approx(val_mae)
