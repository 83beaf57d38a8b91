"""`SwapEMAWeights`: evaluation and prediction see the optimizer's EMA weights; training keeps its own."""

import inspect

import numpy as np
import pytest

import lamina
from lamina.callbacks import SwapEMAWeights


def test_defaults_match_keras(keras):
    ours = inspect.signature(SwapEMAWeights.__init__).parameters
    theirs = inspect.signature(keras.callbacks.SwapEMAWeights.__init__).parameters
    assert [(p.name, p.default) for p in ours.values()] == [(p.name, p.default) for p in theirs.values()]


class FakeModel:
    def __init__(self, optimizer):
        self.optimizer = optimizer


def test_needs_an_optimizer_with_ema():
    callback = SwapEMAWeights()
    callback.set_model(FakeModel(lamina.optimizers.SGD()))
    with pytest.raises(ValueError, match="SwapEMAWeights must be used when `use_ema=True`.*use_ema=False"):
        callback.on_test_begin()


def _trained_model():
    model = lamina.Sequential([lamina.Input((2,)), lamina.layers.Dense(1)])
    model.compile(optimizer=lamina.optimizers.SGD(0.1, use_ema=True, ema_momentum=0.5), loss="mse")
    rng = np.random.default_rng(0)
    x = rng.normal(size=(8, 2)).astype("float32")
    y = rng.normal(size=(8, 1)).astype("float32")
    return model, x, y


def _averages(model):
    return [np.array(lamina.ops.convert_to_numpy(a)) for a in model.optimizer._model_variables_moving_average]


def _mse(weights, x, y):
    return float(np.mean((x @ weights[0] + weights[1] - y) ** 2))


@pytest.mark.requires_trainable_backend
def test_evaluate_and_predict_use_the_ema_weights():
    model, x, y = _trained_model()
    model.fit(x, y, epochs=3, batch_size=4, verbose=0)
    # fit ends by writing the averages into the weights (as Keras); one more step moves them apart.
    np.testing.assert_allclose(model.get_weights()[0], _averages(model)[0], rtol=1e-6)
    model.train_on_batch(x, y)
    trained, averages = model.get_weights(), _averages(model)
    assert not np.allclose(trained[0], averages[0])
    loss = model.evaluate(x, y, verbose=0, callbacks=[SwapEMAWeights()])
    assert float(loss) == pytest.approx(_mse(averages, x, y), rel=1e-5)
    predictions = model.predict(x, verbose=0, callbacks=[SwapEMAWeights()])
    np.testing.assert_allclose(predictions, x @ averages[0] + averages[1], rtol=1e-5, atol=1e-6)
    # Afterwards the model holds its trained weights again and the averages are intact.
    for after, before in zip(model.get_weights() + _averages(model), trained + averages):
        np.testing.assert_allclose(after, before, rtol=1e-6)


class ValidationCheck(lamina.callbacks.Callback):
    """Compares each epoch's val_loss with the loss of the EMA weights at that time."""

    def __init__(self, x, y):
        super().__init__()
        self.x, self.y = x, y
        self.pairs = []

    def on_epoch_end(self, epoch, logs=None):
        self.pairs.append((logs["val_loss"], _mse(_averages(self.model), self.x, self.y)))


@pytest.mark.requires_trainable_backend
def test_validation_in_fit_uses_the_ema_weights():
    model, x, y = _trained_model()
    check = ValidationCheck(x, y)
    model.fit(
        x, y, epochs=2, batch_size=4, verbose=0, validation_data=(x, y), callbacks=[SwapEMAWeights(), check]
    )
    for val_loss, ema_loss in check.pairs:
        assert val_loss == pytest.approx(ema_loss, rel=1e-5)


class EpochWeights(lamina.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.records = []

    def on_epoch_begin(self, epoch, logs=None):
        self.records.append(("begin", self.model.get_weights(), _averages(self.model)))

    def on_epoch_end(self, epoch, logs=None):
        self.records.append(("end", self.model.get_weights(), _averages(self.model)))


@pytest.mark.requires_trainable_backend
def test_swap_on_epoch():
    model, x, y = _trained_model()
    recorder = EpochWeights()
    model.fit(
        x, y, epochs=2, batch_size=4, verbose=0, callbacks=[SwapEMAWeights(swap_on_epoch=True), recorder]
    )
    (_, _, _), (_, end_weights, end_averages), (_, begin_weights, begin_averages), _ = recorder.records
    # At epoch 0's end the model holds the EMA weights; epoch 1 starts from the trained ones again.
    for ema, trained, begin_w, begin_a in zip(end_weights, end_averages, begin_weights, begin_averages):
        np.testing.assert_allclose(begin_w, trained, rtol=1e-6)
        np.testing.assert_allclose(begin_a, ema, rtol=1e-6)
    assert not np.allclose(end_weights[0], end_averages[0])
    # After the last epoch the model keeps the EMA weights, and the averages equal them.
    for weight, average in zip(model.get_weights(), _averages(model)):
        np.testing.assert_allclose(weight, average, rtol=1e-6)
