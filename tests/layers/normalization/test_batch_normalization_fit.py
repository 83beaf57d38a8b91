"""`model.fit` updates BatchNormalization's moving statistics through the compiled training step."""

import numpy as np
import pytest

import lamina
from lamina import layers

pytestmark = pytest.mark.requires_trainable_backend


def _model():
    model = lamina.Sequential([lamina.Input((3,)), layers.BatchNormalization(momentum=0.5), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    return model


def test_fit_updates_moving_statistics():
    rng = np.random.default_rng(0)
    x = (rng.standard_normal((32, 3)) * [1.0, 2.0, 0.5] + [3.0, -1.0, 0.0]).astype("float32")
    y = rng.standard_normal((32, 1)).astype("float32")
    model = _model()
    batch_norm = model.layers[0]
    model.fit(x, y, batch_size=32, epochs=1, shuffle=False, verbose=0)
    # One full-batch step: moving = 0.5 * initial + 0.5 * batch statistics.
    np.testing.assert_allclose(batch_norm.moving_mean.numpy(), 0.5 * x.mean(axis=0), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(
        batch_norm.moving_variance.numpy(), 0.5 + 0.5 * x.var(axis=0), rtol=1e-5, atol=1e-5
    )
    model.fit(x, y, batch_size=32, epochs=3, shuffle=False, verbose=0)
    np.testing.assert_allclose(batch_norm.moving_mean.numpy(), (1 - 0.5**4) * x.mean(axis=0), rtol=1e-5)
    # predict runs in inference mode and leaves the statistics alone.
    before = batch_norm.moving_mean.numpy().copy()
    model.predict(x, verbose=0)
    np.testing.assert_array_equal(batch_norm.moving_mean.numpy(), before)


def test_frozen_batch_normalization_keeps_statistics_in_fit():
    x = np.random.default_rng(1).standard_normal((16, 3)).astype("float32") + 2.0
    y = np.zeros((16, 1), "float32")
    model = _model()
    batch_norm = model.layers[0]
    batch_norm.trainable = False
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    np.testing.assert_array_equal(batch_norm.moving_mean.numpy(), np.zeros(3, "float32"))
    np.testing.assert_array_equal(batch_norm.gamma.numpy(), np.ones(3, "float32"))
