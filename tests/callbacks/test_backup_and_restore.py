"""`BackupAndRestore`: Keras's backup files, and a resumed fit that ends where an uninterrupted one does."""

import json
import os

import numpy as np
import pytest

import lamina
from lamina.callbacks import BackupAndRestore
from tests.testing_utils import assert_close

# Keras's own jax code trips a NumPy 2 DeprecationWarning (`__array__` without `copy`).
keras_oracle = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")


class FileModel:
    """Stands in for a built model: `save_weights` writes a file holding a counter."""

    built = True
    optimizer = None

    def __init__(self):
        self.saves = 0

    def save_weights(self, filepath, overwrite=True):
        self.saves += 1
        with open(filepath, "w") as file:
            file.write(str(self.saves))


def _backup_files(callback, events):
    callback.set_model(FileModel())
    for kind, index in events:
        if kind == "epoch":
            callback.on_epoch_end(index, {"loss": 1.0})
        else:
            callback.on_train_batch_end(index, {"loss": 1.0})
    contents = {}
    for name in sorted(os.listdir(callback.backup_dir)):
        with open(os.path.join(callback.backup_dir, name)) as file:
            contents[name] = file.read()
    return contents


def test_argument_checks(tmp_path):
    with pytest.raises(ValueError, match="backup_dir"):
        BackupAndRestore("")
    with pytest.raises(ValueError, match="save_freq"):
        BackupAndRestore(str(tmp_path), save_freq="batch")
    callback = BackupAndRestore(tmp_path)
    assert callback.backup_dir == str(tmp_path)
    assert callback._weights_path == str(tmp_path / "latest.weights.h5")


def test_defaults_match_keras(keras):
    import inspect

    ours = inspect.signature(BackupAndRestore.__init__).parameters
    theirs = inspect.signature(keras.callbacks.BackupAndRestore.__init__).parameters
    assert [(name, p.default) for name, p in ours.items()] == [
        (name, p.default) for name, p in theirs.items()
    ]


@keras_oracle
@pytest.mark.parametrize("save_freq, double_checkpoint", [("epoch", False), ("epoch", True), (3, True)])
def test_backup_files_match_keras(keras, tmp_path, save_freq, double_checkpoint):
    events = [("batch", 0), ("batch", 1), ("batch", 2), ("batch", 3), ("epoch", 0)]
    events += [("batch", 0), ("batch", 1), ("epoch", 1), ("batch", 0), ("batch", 1)]
    ours = _backup_files(
        BackupAndRestore(str(tmp_path / "ours"), save_freq=save_freq, double_checkpoint=double_checkpoint),
        events,
    )
    theirs = _backup_files(
        keras.callbacks.BackupAndRestore(
            str(tmp_path / "theirs"), save_freq=save_freq, double_checkpoint=double_checkpoint
        ),
        events,
    )
    assert ours == theirs
    assert "training_metadata.json" in ours and "latest.weights.h5" in ours


def test_delete_checkpoint_on_train_end(tmp_path):
    kept = BackupAndRestore(str(tmp_path / "kept"), delete_checkpoint=False)
    _backup_files(kept, [("epoch", 0)])
    kept.on_train_end()
    assert os.path.exists(tmp_path / "kept" / "latest.weights.h5")
    deleted = BackupAndRestore(str(tmp_path / "deleted"))
    _backup_files(deleted, [("epoch", 0)])
    deleted.on_train_end()
    assert not os.path.exists(tmp_path / "deleted")


# -- resuming a real fit --------------------------------------------------------------------------

EPOCHS = 5


def _data():
    x = np.linspace(-1.0, 1.0, 64, dtype="float32").reshape(32, 2)
    y = (np.sin(3.0 * x[:, :1]) + x[:, 1:] ** 2).astype("float32")
    return x, y


def _model(initial_weights):
    model = lamina.Sequential(
        [lamina.Input((2,)), lamina.layers.Dense(4, activation="tanh"), lamina.layers.Dense(1)]
    )
    model.set_weights(initial_weights)
    # Adam: its moments and iteration count must be restored for the runs to agree.
    model.compile(optimizer=lamina.optimizers.Adam(0.05), loss="mse")
    return model


def _initial_weights():
    rng = np.random.default_rng(0)
    shapes = [(2, 4), (4,), (4, 1), (1,)]
    return [rng.uniform(-1.0, 1.0, shape).astype("float32") for shape in shapes]


@pytest.fixture(scope="module")
def reference():
    """The uninterrupted run: final weights and per-epoch losses."""
    if lamina.backend.backend() == "numpy":
        pytest.skip("the numpy backend is inference-only")
    model = _model(_initial_weights())
    history = _fit(model, [])
    return [np.array(w) for w in model.get_weights()], history.history["loss"]


class InterruptAt(lamina.callbacks.Callback):
    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.epoch:
            raise RuntimeError("Interrupting!")


def _fit(model, callbacks):
    x, y = _data()
    return model.fit(x, y, batch_size=8, epochs=EPOCHS, shuffle=False, verbose=0, callbacks=callbacks)


@pytest.mark.requires_trainable_backend
def test_interrupted_fit_resumes_and_matches_an_uninterrupted_one(tmp_path, reference):
    initial = _initial_weights()
    reference_weights, reference_losses = reference

    backup_dir = str(tmp_path / "backup")
    callback = BackupAndRestore(backup_dir)
    with pytest.raises(RuntimeError, match="Interrupting"):
        _fit(_model(initial), [callback, InterruptAt(3)])
    with open(os.path.join(backup_dir, "training_metadata.json")) as file:
        assert json.load(file) == {"epoch": 3, "batch": 0}

    # A fresh model (as after a restart) restores weights and optimizer state from the backup.
    resumed = _model(initial)
    history = _fit(resumed, [callback])
    assert history.epoch == [3, 4]
    assert len(history.history["loss"]) == EPOCHS - 3
    assert_close(history.history["loss"], reference_losses[3:], atol=1e-6)
    for ours, theirs in zip(resumed.get_weights(), reference_weights):
        assert_close(ours, theirs, atol=1e-6)
    assert not os.path.exists(backup_dir)  # delete_checkpoint=True after a completed fit.


@pytest.mark.requires_trainable_backend
def test_without_a_backup_fit_starts_from_the_beginning(tmp_path):
    model = _model(_initial_weights())
    history = _fit(model, [BackupAndRestore(str(tmp_path / "backup"), delete_checkpoint=False)])
    assert history.epoch == list(range(EPOCHS))
    with open(tmp_path / "backup" / "training_metadata.json") as file:
        assert json.load(file) == {"epoch": EPOCHS, "batch": 0}
    # A later fit without the callback is not affected by the restored epoch.
    assert _fit(model, []).epoch == list(range(EPOCHS))


@pytest.mark.requires_trainable_backend
def test_double_checkpoint_falls_back_on_the_previous_backup(tmp_path, reference):
    initial = _initial_weights()

    backup_dir = tmp_path / "backup"
    callback = BackupAndRestore(str(backup_dir), double_checkpoint=True)
    # The same model instance resumes: it holds epoch 3's state, so only a restore of the
    # previous backup (epoch 2's) can make it end like the reference.
    resumed = _model(initial)
    with pytest.raises(RuntimeError):
        _fit(resumed, [callback, InterruptAt(3)])
    assert sorted(os.listdir(backup_dir)) == [
        "latest.weights.h5",
        "latest.weights.h5.bkp",
        "training_metadata.json",
        "training_metadata.json.bkp",
    ]
    (backup_dir / "latest.weights.h5").write_bytes(b"not an HDF5 file")
    history = _fit(resumed, [callback])
    assert history.epoch == [2, 3, 4]  # The previous backup was taken after epoch index 1.
    for ours, theirs in zip(resumed.get_weights(), reference[0]):
        assert_close(ours, theirs, atol=1e-6)


@pytest.mark.requires_trainable_backend
def test_batch_backups_resume_from_the_epoch_in_progress(tmp_path):
    backup_dir = tmp_path / "backup"

    class InterruptAtBatch(lamina.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if int(lamina.ops.convert_to_numpy(self.model.optimizer.iterations)) == 6:
                raise RuntimeError("Interrupting!")

    model = _model(_initial_weights())
    with pytest.raises(RuntimeError):
        _fit(model, [BackupAndRestore(str(backup_dir), save_freq=2), InterruptAtBatch()])
    with open(backup_dir / "training_metadata.json") as file:
        # 4 batches an epoch: the last backup was after the 2nd batch (index 1) of epoch index 1.
        assert json.load(file) == {"epoch": 1, "batch": 1}
    history = _fit(model, [BackupAndRestore(str(backup_dir), save_freq=2)])
    assert history.epoch == [1, 2, 3, 4]


@keras_oracle
@pytest.mark.requires_trainable_backend
def test_resumes_from_a_backup_keras_wrote(keras, tmp_path):
    x, y = _data()
    keras_model = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(4, activation="tanh"), keras.layers.Dense(1)]
    )
    keras_model.set_weights(_initial_weights())
    keras_model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
    backup_dir = str(tmp_path / "backup")
    keras_model.fit(
        x,
        y,
        batch_size=8,
        epochs=2,
        shuffle=False,
        verbose=0,
        callbacks=[keras.callbacks.BackupAndRestore(backup_dir, delete_checkpoint=False)],
    )
    model = _model(_initial_weights())
    history = _fit(model, [BackupAndRestore(backup_dir)])
    assert history.epoch == [2, 3, 4]
    # Epoch 3 is Keras's state after 2 epochs (weights and Adam moments) plus one lamina epoch.
    keras_history = keras_model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    assert_close(history.history["loss"][0], keras_history.history["loss"][0], atol=1e-5)
