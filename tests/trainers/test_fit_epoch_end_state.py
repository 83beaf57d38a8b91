"""At each epoch's end the model's variables hold the epoch's result (closures see it, as in Keras)."""

import numpy as np
import pytest

import lamina


def _model(**optimizer_kwargs):
    lamina.utils.set_random_seed(0)
    model = lamina.Sequential([lamina.Input((2,)), lamina.layers.Dense(1)])
    model.compile(optimizer=lamina.optimizers.SGD(0.1, **optimizer_kwargs), loss="mse")
    return model


def _data():
    x = np.random.RandomState(0).normal(size=(32, 2)).astype("float32")
    return x, x @ np.array([[1.0], [-1.0]], dtype="float32")


@pytest.mark.requires_trainable_backend
def test_a_closure_over_the_model_sees_each_epochs_weights():
    model = _model()
    x, y = _data()
    kernels = []
    recorder = lamina.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: kernels.append(model.layers[0].kernel.numpy().copy())
    )
    model.fit(x, y, epochs=3, batch_size=8, verbose=0, callbacks=[recorder])
    assert not np.allclose(kernels[0], kernels[1]) and not np.allclose(kernels[1], kernels[2])
    np.testing.assert_allclose(kernels[-1], model.layers[0].kernel.numpy())


@pytest.mark.requires_trainable_backend
def test_a_learning_rate_set_through_a_closure_is_kept():
    model = _model()
    x, y = _data()
    stop = lamina.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: model.optimizer.learning_rate.assign(0.0)
    )
    model.fit(x, y, epochs=1, batch_size=8, verbose=0, callbacks=[stop])
    before = model.get_weights()
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    for after, previous in zip(model.get_weights(), before):
        np.testing.assert_allclose(after, previous)


@pytest.mark.requires_trainable_backend
def test_fit_ends_with_the_moving_averages_when_use_ema():
    model = _model(use_ema=True, ema_momentum=0.5)
    x, y = _data()
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    averages = [average.numpy() for average in model.optimizer._model_variables_moving_average]
    for weight, average in zip(model.get_weights(), averages):
        np.testing.assert_allclose(weight, average, rtol=1e-6)


@pytest.mark.requires_trainable_backend
def test_vector_valued_metrics_are_logged_as_arrays():
    x, _ = _data()
    labels = lamina.utils.to_categorical((x[:, 0] > 0).astype("int32"), 2)
    model = lamina.Sequential([lamina.Input((2,)), lamina.layers.Dense(2, activation="softmax")])
    per_class = lamina.metrics.F1Score(average=None)
    model.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=[per_class])
    history = model.fit(x, labels, epochs=2, batch_size=8, verbose=0)
    assert [np.shape(value) for value in history.history["f1_score"]] == [(2,), (2,)]
    logs = model.evaluate(x, labels, verbose=0, return_dict=True)
    standalone = lamina.metrics.F1Score(average=None)
    standalone.update_state(labels, model.predict(x, verbose=0))
    np.testing.assert_allclose(logs["f1_score"], lamina.ops.convert_to_numpy(standalone.result()), rtol=1e-5)
