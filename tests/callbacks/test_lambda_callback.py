"""`LambdaCallback`: every hook given as a function fires in `fit`, `evaluate` and `predict`."""

import inspect

import numpy as np
import pytest

import lamina
from lamina.callbacks import LambdaCallback


def test_defaults_match_keras(keras):
    ours = inspect.signature(LambdaCallback.__init__).parameters
    theirs = inspect.signature(keras.callbacks.LambdaCallback.__init__).parameters
    assert [(p.name, p.default) for p in ours.values()] == [(p.name, p.default) for p in theirs.values()]


def test_hooks_replace_the_methods():
    events = []
    callback = LambdaCallback(on_epoch_begin=lambda epoch, logs: events.append(("begin", epoch)))
    callback.on_epoch_begin(3, {})
    callback.on_epoch_end(3, {})  # Not given: does nothing.
    assert events == [("begin", 3)]


def _recording_callback(events):
    def record(name):
        return lambda *arguments, **keywords: events.append(name)

    names = ["on_epoch_begin", "on_epoch_end", "on_train_begin", "on_train_end"]
    names += ["on_train_batch_begin", "on_train_batch_end", "on_test_begin", "on_test_end"]
    names += ["on_test_batch_begin", "on_test_batch_end", "on_predict_begin", "on_predict_end"]
    names += ["on_predict_batch_begin", "on_predict_batch_end"]
    return LambdaCallback(**{name: record(name) for name in names})


@pytest.mark.requires_trainable_backend
def test_every_hook_fires_in_fit_evaluate_and_predict():
    events = []
    callback = _recording_callback(events)
    model = lamina.Sequential([lamina.Input((2,)), lamina.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.ones((4, 2), "float32"), np.zeros((4, 1), "float32")
    model.fit(x, y, epochs=2, batch_size=2, validation_data=(x, y), verbose=0, callbacks=[callback])
    assert events.count("on_train_begin") == 1 and events.count("on_train_end") == 1
    assert events.count("on_epoch_begin") == 2 and events.count("on_epoch_end") == 2
    assert events.count("on_train_batch_begin") == 4 and events.count("on_train_batch_end") == 4
    assert events.count("on_test_begin") == 2 and events.count("on_test_batch_end") == 4
    assert events[0] == "on_train_begin" and events[-1] == "on_train_end"
    events.clear()
    model.evaluate(x, y, batch_size=2, verbose=0, callbacks=[callback])
    assert events == ["on_test_begin"] + ["on_test_batch_begin", "on_test_batch_end"] * 2 + ["on_test_end"]
    events.clear()
    model.predict(x, batch_size=4, verbose=0, callbacks=[callback])
    assert events == ["on_predict_begin", "on_predict_batch_begin", "on_predict_batch_end", "on_predict_end"]


@pytest.mark.requires_trainable_backend
def test_batch_logs_reach_the_function_as_floats():
    losses = []
    callback = LambdaCallback(on_train_batch_end=lambda batch, logs: losses.append(logs["loss"]))
    model = lamina.Sequential([lamina.Input((2,)), lamina.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.ones((4, 2)), np.zeros((4, 1)), epochs=1, batch_size=2, verbose=0, callbacks=[callback])
    assert len(losses) == 2 and all(isinstance(loss, float) for loss in losses)
