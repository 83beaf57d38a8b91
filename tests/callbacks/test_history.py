"""`History`: per-epoch logs as Python floats, `epoch`, and `model.history`."""

import numpy as np

from lamina import ops
from lamina.callbacks import History


class Model:
    history = None


def test_records_each_epoch_and_sets_model_history():
    history = History()
    model = Model()
    history.set_model(model)
    history.on_train_begin()
    history.on_epoch_end(0, {"loss": 1.0, "val_loss": 2.0})
    history.on_epoch_end(1, {"loss": 0.5, "val_loss": 1.5})
    assert history.history == {"loss": [1.0, 0.5], "val_loss": [2.0, 1.5]}
    assert history.epoch == [0, 1]
    assert model.history is history


def test_backend_scalars_become_python_floats():
    history = History()
    history.on_train_begin()
    history.on_epoch_end(0, {"loss": ops.convert_to_tensor(0.25, dtype="float32"), "count": np.int64(3)})
    assert history.history == {"loss": [0.25], "count": [3.0]}
    assert all(type(value) is float for values in history.history.values() for value in values)


def test_new_fit_restarts_epoch_and_keeps_appending_history():
    history = History()
    history.on_train_begin()
    history.on_epoch_end(0, {"loss": 1.0})
    history.on_train_begin()
    history.on_epoch_end(0, {"loss": 0.5})
    assert history.epoch == [0]
    assert history.history == {"loss": [1.0, 0.5]}


def test_epoch_end_does_not_sync_the_model():
    class TrainingModel:
        synced = 0

        def _sync_state_to_variables(self):
            self.synced += 1

    model = TrainingModel()
    history = History()
    history.set_model(model)
    history.on_train_begin()
    history.on_epoch_end(0, {"loss": 1.0})
    assert model.synced == 0 and model.history is history
