"""`BackupAndRestore`: backs up the training state during `fit` and resumes from it after an interruption."""

import json
import os
import shutil

from lamina.callbacks.callback import Callback
from lamina.callbacks.model_checkpoint import check_save_freq
from lamina.callbacks.model_checkpoint import keep_batch_logs_lazy


class BackupAndRestore(Callback):
    """Callback to back up and restore the training state.

    `BackupAndRestore` lets a `Model.fit` run that was interrupted resume where
    it stopped. At the end of each epoch (or every `save_freq` batches) it
    writes the model's weights, with the optimizer's state, to
    `backup_dir/latest.weights.h5` and the epoch reached to
    `backup_dir/training_metadata.json` (`{"epoch": ..., "batch": ...}`), the
    files Keras writes. Each backup overwrites the previous one.

    When `fit` starts again with this callback, the weights and optimizer
    state are restored from the backup and training continues from the saved
    epoch, so the returned `History` holds only the remaining epochs. When
    `fit` completes, the backup directory is deleted (unless
    `delete_checkpoint=False`).

    The model to restore must be the one that was backed up, compiled the
    same way; changing the arguments of `compile` or `fit` can invalidate the
    backup.

    Args:
        backup_dir: String, path of the directory where the training state is
            stored. Do not share it with other callbacks or training runs.
        save_freq: `"epoch"` (back up at the end of each epoch) or an integer:
            back up every this many training batches.
        double_checkpoint: If `True`, also keep the previous backup
            (`latest.weights.h5.bkp`, `training_metadata.json.bkp`) and restore
            it when the latest one cannot be read (e.g. a corrupted file).
        delete_checkpoint: Whether to delete the backup when training ends.

    Example:

    >>> import tempfile
    >>> import numpy as np
    >>> import lamina
    >>> class Interrupt(lamina.callbacks.Callback):
    ...     def on_epoch_begin(self, epoch, logs=None):
    ...         if epoch == 4:
    ...             raise RuntimeError("Interrupting!")
    >>> callback = lamina.callbacks.BackupAndRestore(backup_dir=tempfile.mkdtemp())
    >>> model = lamina.Sequential([lamina.Input((20,)), lamina.layers.Dense(10)])
    >>> model.compile(lamina.optimizers.SGD(), loss="mse")
    >>> x, y = np.arange(100.0).reshape(5, 20) / 100, np.zeros((5, 10))
    >>> try:
    ...     _ = model.fit(x, y, epochs=10, batch_size=1, callbacks=[callback, Interrupt()], verbose=0)
    ... except RuntimeError:
    ...     pass
    >>> history = model.fit(x, y, epochs=10, batch_size=1, callbacks=[callback], verbose=0)
    >>> len(history.history["loss"])  # Epochs 4 to 9 only.
    6
    """

    def __init__(self, backup_dir, save_freq="epoch", double_checkpoint=False, delete_checkpoint=True):
        super().__init__()
        if not backup_dir:
            raise ValueError(
                f"BackupAndRestore: empty `backup_dir` argument passed. Received: {backup_dir!r}"
            )
        check_save_freq("BackupAndRestore", save_freq)
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq = save_freq
        self.double_checkpoint = double_checkpoint
        self.delete_checkpoint = delete_checkpoint
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = 0
        self._current_epoch = 0
        self._weights_path = os.path.join(self.backup_dir, "latest.weights.h5")
        self._training_metadata_path = os.path.join(self.backup_dir, "training_metadata.json")
        self._prev_weights_path = f"{self._weights_path}.bkp"
        self._prev_training_metadata_path = f"{self._training_metadata_path}.bkp"
        keep_batch_logs_lazy(self, BackupAndRestore)

    def on_train_begin(self, logs=None):
        try:
            self._load_model()
        except (OSError, ValueError):
            # The latest backup may be corrupted: fall back on the previous one.
            if not os.path.exists(self._prev_weights_path):
                raise
            shutil.copyfile(self._prev_weights_path, self._weights_path)
            if os.path.exists(self._prev_training_metadata_path):
                shutil.copyfile(self._prev_training_metadata_path, self._training_metadata_path)
            elif os.path.exists(self._training_metadata_path):
                os.remove(self._training_metadata_path)
            self._load_model()

    def _load_model(self):
        """Restores the weights, the optimizer state and the starting epoch from the backup."""
        model = self.model
        if not model.built:
            raise ValueError(
                "To use the BackupAndRestore callback, your model must be built before you call "
                f"`fit()`. Model {model.name} is unbuilt. You can build it beforehand by calling it "
                "on a batch of data."
            )
        if os.path.exists(self._weights_path):
            optimizer = getattr(model, "optimizer", None)
            if optimizer is not None and not optimizer.built:
                # The file holds the optimizer's variables: they must exist to be loaded.
                optimizer.build(model.trainable_variables)
            model.load_weights(self._weights_path)
        if os.path.exists(self._training_metadata_path):
            with open(self._training_metadata_path) as file:
                training_metadata = json.loads(file.read())
            # `fit` starts from `_initial_epoch` when a callback sets it in `on_train_begin`.
            model._initial_epoch = training_metadata["epoch"]

    def on_epoch_end(self, epoch, logs=None):
        self._current_epoch = epoch + 1
        self._last_batch_seen = 0
        if self.save_freq == "epoch":
            self._save_model()

    def on_train_batch_end(self, batch, logs=None):
        if self._should_save_on_batch(batch):
            self._save_model()

    def _should_save_on_batch(self, batch):
        if self.save_freq == "epoch":
            return False
        # Batch indices restart each epoch and jump by N with steps_per_execution=N.
        if batch <= self._last_batch_seen:
            added = batch + 1
        else:
            added = batch - self._last_batch_seen
        self._batches_seen_since_last_saving += added
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            return True
        return False

    def _save_model(self):
        os.makedirs(self.backup_dir, exist_ok=True)
        if self.double_checkpoint and os.path.exists(self._weights_path):
            shutil.copyfile(self._weights_path, self._prev_weights_path)
        if self.double_checkpoint and os.path.exists(self._training_metadata_path):
            shutil.copyfile(self._training_metadata_path, self._prev_training_metadata_path)
        self.model.save_weights(self._weights_path, overwrite=True)
        training_metadata = {"epoch": self._current_epoch, "batch": self._last_batch_seen}
        with open(self._training_metadata_path, "w") as file:
            file.write(json.dumps(training_metadata))

    def on_train_end(self, logs=None):
        if self.delete_checkpoint and os.path.exists(self.backup_dir):
            shutil.rmtree(self.backup_dir)
