"""`CallbackList`: default callbacks, `set_model`/`set_params`, dispatch of every hook, log conversion."""

import numpy as np
import pytest

from lamina import ops
from lamina.callbacks import Callback
from lamina.callbacks import CallbackList
from lamina.callbacks import History
from lamina.callbacks import ProgbarLogger

INDEXED_HOOKS = [
    "on_epoch_begin",
    "on_epoch_end",
    "on_train_batch_begin",
    "on_train_batch_end",
    "on_test_batch_begin",
    "on_test_batch_end",
    "on_predict_batch_begin",
    "on_predict_batch_end",
    "on_batch_begin",
    "on_batch_end",
]
BLOCK_HOOKS = [
    "on_train_begin",
    "on_train_end",
    "on_test_begin",
    "on_test_end",
    "on_predict_begin",
    "on_predict_end",
]


class Recorder(Callback):
    """Records every hook it receives; declares no batch-hook override (reads logs lazily)."""

    def __init__(self):
        super().__init__()
        self.calls = []

    def on_epoch_begin(self, epoch, logs=None):
        self.calls.append(("on_epoch_begin", epoch, logs))

    def on_epoch_end(self, epoch, logs=None):
        self.calls.append(("on_epoch_end", epoch, logs))

    def on_train_begin(self, logs=None):
        self.calls.append(("on_train_begin", logs))

    def on_train_end(self, logs=None):
        self.calls.append(("on_train_end", logs))

    def on_test_begin(self, logs=None):
        self.calls.append(("on_test_begin", logs))

    def on_test_end(self, logs=None):
        self.calls.append(("on_test_end", logs))

    def on_predict_begin(self, logs=None):
        self.calls.append(("on_predict_begin", logs))

    def on_predict_end(self, logs=None):
        self.calls.append(("on_predict_end", logs))


class BatchRecorder(Recorder):
    """Also overrides every batch hook (so CallbackList converts batch logs for it)."""

    def on_batch_begin(self, batch, logs=None):
        self.calls.append(("on_batch_begin", batch, logs))

    def on_batch_end(self, batch, logs=None):
        self.calls.append(("on_batch_end", batch, logs))

    def on_train_batch_begin(self, batch, logs=None):
        self.calls.append(("on_train_batch_begin", batch, logs))
        super().on_train_batch_begin(batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self.calls.append(("on_train_batch_end", batch, logs))
        super().on_train_batch_end(batch, logs)

    def on_test_batch_begin(self, batch, logs=None):
        self.calls.append(("on_test_batch_begin", batch, logs))

    def on_test_batch_end(self, batch, logs=None):
        self.calls.append(("on_test_batch_end", batch, logs))

    def on_predict_batch_begin(self, batch, logs=None):
        self.calls.append(("on_predict_batch_begin", batch, logs))

    def on_predict_batch_end(self, batch, logs=None):
        self.calls.append(("on_predict_batch_end", batch, logs))


class Model:
    history = None


def test_adds_history_and_progbar_once():
    callbacks = CallbackList(add_history=True, add_progbar=True)
    assert [type(c) for c in callbacks.callbacks] == [History, ProgbarLogger]
    history = History()
    progbar = ProgbarLogger()
    recorder = Recorder()
    callbacks = CallbackList([progbar, [recorder, history]], add_history=True, add_progbar=True)
    assert callbacks.callbacks == [progbar, recorder, history]
    assert CallbackList().callbacks == []


def test_set_model_and_params_reach_every_callback():
    model = Model()
    recorder = Recorder()
    callbacks = CallbackList([recorder], add_history=True, model=model, verbose=2, epochs=3, steps=7)
    for callback in callbacks.callbacks:
        assert callback._model is model
        assert callback.params == {"verbose": 2, "epochs": 3, "steps": 7}
    assert model.history is callbacks.callbacks[1]
    assert callbacks.callbacks[1].params["epochs"] == 3
    assert CallbackList([Recorder()]).callbacks[0].params is None


@pytest.mark.parametrize("hook", INDEXED_HOOKS)
def test_every_indexed_hook_is_dispatched(hook):
    first, second = BatchRecorder(), BatchRecorder()
    callbacks = CallbackList([first, second])
    getattr(callbacks, hook)(4, {"loss": 0.5})
    for recorder in (first, second):
        names = [call[0] for call in recorder.calls]
        assert hook in names
        assert all(call[1] == 4 and call[2] == {"loss": 0.5} for call in recorder.calls)


def test_train_batch_hooks_reach_the_legacy_aliases():
    recorder = BatchRecorder()
    callbacks = CallbackList([recorder])
    callbacks.on_train_batch_begin(0)
    callbacks.on_train_batch_end(0, {"loss": 1.0})
    assert [call[0] for call in recorder.calls] == [
        "on_train_batch_begin",
        "on_batch_begin",
        "on_train_batch_end",
        "on_batch_end",
    ]


@pytest.mark.parametrize("hook", BLOCK_HOOKS)
def test_every_begin_end_hook_is_dispatched(hook):
    recorder = Recorder()
    callbacks = CallbackList([recorder])
    if hook.endswith("_end"):
        getattr(callbacks, hook.replace("_end", "_begin"))()
    getattr(callbacks, hook)({"loss": 0.5})
    assert recorder.calls[-1] == (hook, {"loss": 0.5})


def test_end_without_begin_is_an_error():
    callbacks = CallbackList([Recorder()])
    with pytest.raises(ValueError, match="without its matching on_\\*_begin"):
        callbacks.on_train_end()


def test_epoch_logs_are_flat_sorted_python_floats():
    recorder = Recorder()
    callbacks = CallbackList([recorder])
    loss = ops.convert_to_tensor(0.5, dtype="float32")
    callbacks.on_epoch_end(0, {"val_loss": loss, "loss": loss, "metrics": {"accuracy": np.float64(0.25)}})
    logs = recorder.calls[-1][2]
    assert logs == {"accuracy": 0.25, "loss": 0.5, "val_loss": 0.5}
    assert list(logs) == ["loss", "accuracy", "val_loss"]  # Sorted, nested dicts flattened in place (Keras).
    assert all(type(value) is float for value in logs.values())


def test_batch_logs_stay_lazy_unless_a_callback_reads_them():
    loss = ops.convert_to_tensor(0.5, dtype="float32")
    recorder = Recorder()
    history = History()
    lazy = CallbackList([recorder, history], add_progbar=True, verbose=0, epochs=1, steps=2)
    seen = []
    history.on_train_batch_end = lambda batch, logs=None: seen.append(logs)  # Built-in type: still lazy.
    lazy.on_train_batch_end(0, {"loss": loss})
    assert seen[0]["loss"] is loss

    eager_recorder = BatchRecorder()
    eager = CallbackList([eager_recorder], add_history=True)
    eager.on_train_batch_end(0, {"loss": loss})
    eager.on_test_batch_end(0, {"loss": loss})
    for call in eager_recorder.calls:
        assert call[2] == {"loss": 0.5} and type(call[2]["loss"]) is float


def test_instance_attribute_hooks_also_get_floats():
    loss = ops.convert_to_tensor(0.5, dtype="float32")
    callback = Callback()
    seen = []
    callback.on_train_batch_end = lambda batch, logs=None: seen.append(logs)
    CallbackList([callback]).on_train_batch_end(0, {"loss": loss})
    assert seen == [{"loss": 0.5}] and type(seen[0]["loss"]) is float


def test_predict_batch_outputs_pass_through_unchanged():
    recorder = BatchRecorder()
    outputs = {"a": np.ones((1,)), "b": np.zeros((2, 2))}
    CallbackList([recorder]).on_predict_batch_end(0, {"outputs": outputs})
    assert recorder.calls[-1][2]["outputs"] is outputs
