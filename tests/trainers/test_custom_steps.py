"""Models that override train_step / test_step: run on torch, a clear error elsewhere (never ignored)."""

import numpy as np
import pytest

import lamina
from lamina import layers


class CustomModel(lamina.Model):
    """The torch custom-step pattern from Keras's guide "Customizing what happens in fit()"."""

    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(1)
        self.steps_seen = 0

    def call(self, inputs):
        return self.dense(inputs)

    def train_step(self, data):
        x, y = data
        self.steps_seen += 1
        self.zero_grad()
        y_pred = self(x, training=True)
        loss = self.compute_loss(y=y, y_pred=y_pred)
        loss.backward()
        trainable_weights = list(self.trainable_weights)
        gradients = [v.value.grad for v in trainable_weights]
        self.optimizer.apply(gradients, trainable_weights)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {metric.name: metric.result() for metric in self.metrics}


def _data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 3)).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5]], dtype="float32")).astype("float32")
    return x, y


@pytest.mark.torch_only
def test_custom_train_step_runs_on_torch():
    x, y = _data()
    model = CustomModel()
    model.compile(optimizer=lamina.optimizers.SGD(0.1), loss="mse", metrics=["mae"])
    history = model.fit(x, y, batch_size=16, epochs=5, verbose=0)
    assert model.steps_seen == 20
    assert history.history["loss"][-1] < history.history["loss"][0] * 0.1
    assert set(history.history) == {"loss", "mae"}


@pytest.mark.jax_only
def test_custom_train_step_is_refused_on_jax_rather_than_ignored():
    x, y = _data()
    model = CustomModel()
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(
        ValueError, match=r"overrides train_step\(\), which lamina runs on the torch backend only"
    ):
        model.fit(x, y, verbose=0)
