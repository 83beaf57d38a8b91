"""`TerminateOnNaN`: stops `fit` at the first NaN/Inf loss, or raises with `raise_error=True`."""

import inspect

import numpy as np
import pytest

import lamina
from lamina.callbacks import TerminateOnNaN


class FakeModel:
    stop_training = False


def test_defaults_match_keras(keras):
    ours = inspect.signature(TerminateOnNaN.__init__).parameters
    theirs = inspect.signature(keras.callbacks.TerminateOnNaN.__init__).parameters
    assert [(p.name, p.default) for p in ours.values()] == [(p.name, p.default) for p in theirs.values()]
    assert TerminateOnNaN().raise_error is False


@pytest.mark.parametrize("loss, stops", [(1.5, False), (float("nan"), True), (float("inf"), True)])
def test_batch_check(loss, stops, capsys):
    model = FakeModel()
    callback = TerminateOnNaN()
    callback.set_model(model)
    callback.on_train_batch_end(4, {"loss": np.float32(loss)})
    assert model.stop_training is stops
    assert ("Batch 4: Invalid loss, terminating training" in capsys.readouterr().out) is stops


def test_raise_error():
    callback = TerminateOnNaN(raise_error=True)
    callback.set_model(FakeModel())
    with pytest.raises(RuntimeError, match="NaN or Inf loss encountered at batch 2"):
        callback.on_batch_end(2, {"loss": float("inf")})


def _model_and_data():
    model = lamina.Sequential([lamina.Input((2,)), lamina.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x = np.ones((12, 2), "float32")
    x[6] = np.nan  # The second batch of 4 holds a NaN.
    return model, x, np.ones((12, 1), "float32")


@pytest.mark.requires_trainable_backend
def test_fit_stops_at_the_nan_batch():
    model, x, y = _model_and_data()
    batches = []
    counter = lamina.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: batches.append(batch))
    history = model.fit(
        x, y, epochs=3, batch_size=4, shuffle=False, verbose=0, callbacks=[counter, TerminateOnNaN()]
    )
    assert batches == [0, 1]
    assert len(history.history["loss"]) == 1 and np.isnan(history.history["loss"][0])


@pytest.mark.requires_trainable_backend
def test_fit_raises_with_raise_error():
    model, x, y = _model_and_data()
    with pytest.raises(RuntimeError, match="at batch 1"):
        model.fit(x, y, epochs=3, batch_size=4, shuffle=False, verbose=0, callbacks=[TerminateOnNaN(True)])
