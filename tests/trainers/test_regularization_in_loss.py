"""The training loss includes weight regularizers, also ones set after the first steps."""

import numpy as np
import pytest

import lamina
from lamina import ops
from lamina.backend.common.scopes import StatelessScope
from tests.testing_utils import assert_close


def _model(regularizer=None):
    model = lamina.Sequential(
        [
            lamina.Input((3,)),
            lamina.layers.Dense(2, kernel_regularizer=regularizer, kernel_initializer="ones"),
            lamina.layers.Dense(1, kernel_initializer="ones"),
        ]
    )
    model.compile(optimizer="sgd", loss="mse")
    return model


def _step_loss(model, x, y):
    """The loss as a training step computes it (losses collected by a stateless scope)."""
    with StatelessScope(collect_losses=True, state_mapping=None):
        y_pred = model(ops.convert_to_tensor(x), training=True)
        loss, _ = model._compute_loss_parts(x, ops.convert_to_tensor(y), y_pred, None, training=True)
    return float(ops.convert_to_numpy(loss)), ops.convert_to_numpy(y_pred)


def _mse(y, y_pred):
    return float(np.mean((y_pred - y) ** 2))


X = np.arange(12, dtype="float32").reshape(4, 3) / 10.0
Y = np.ones((4, 1), "float32")


def test_a_regularized_kernel_adds_its_penalty():
    model = _model(lamina.regularizers.L2(0.5))
    loss, y_pred = _step_loss(model, X, Y)
    assert_close(loss, _mse(Y, y_pred) + 0.5 * 6.0, rtol=1e-5)


@pytest.mark.parametrize("how", ["variable", "new_weight"])
def test_a_regularizer_added_later_counts_from_the_next_step(how):
    model = _model()
    for _ in range(3):
        loss, y_pred = _step_loss(model, X, Y)
        assert_close(loss, _mse(Y, y_pred), rtol=1e-5)
    if how == "variable":
        model.layers[1].kernel.regularizer = lamina.regularizers.L1(0.25)
        penalty = 0.25 * 2.0
    else:
        model.layers[1].add_weight(shape=(2,), initializer="ones", regularizer=lamina.regularizers.L1(1.0))
        penalty = 2.0
    loss, y_pred = _step_loss(model, X, Y)
    assert_close(loss, _mse(Y, y_pred) + penalty, rtol=1e-5)


@pytest.mark.requires_trainable_backend
def test_train_on_batch_reports_the_penalty():
    model = _model(lamina.regularizers.L2(0.5))
    y_pred = model.predict(X, verbose=0)
    loss = model.train_on_batch(X, Y)
    assert_close(loss, _mse(Y, y_pred) + 0.5 * 6.0, rtol=1e-5)
