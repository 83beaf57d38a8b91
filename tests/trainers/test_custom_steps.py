"""Custom train / test / predict steps: written once for every backend, and Keras's per-backend styles."""

import numpy as np
import pytest

import lamina
from lamina import ops
from lamina.config import backend


def _regression_data():
    generator = np.random.RandomState(0)
    x = generator.normal(size=(64, 3)).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5]], dtype="float32") + 0.3).astype("float32")
    return x, y


def _dense_model():
    lamina.utils.set_random_seed(0)
    return lamina.Sequential(
        [lamina.Input((3,)), lamina.layers.Dense(4, activation="tanh"), lamina.layers.Dense(1)]
    )


class _PortableRegression(lamina.Model):
    """The default training step, written by hand with lamina.ops.value_and_gradients."""

    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner
        self.loss_tracker = lamina.metrics.Mean(name="loss")

    def call(self, inputs):
        return self.inner(inputs)

    @property
    def metrics(self):
        return [self.loss_tracker]

    def train_step(self, data):
        x, y = data

        def loss_function():
            return ops.mean(ops.square(self(x, training=True) - y))

        loss, grads = ops.value_and_gradients(loss_function, self.trainable_variables)
        self.optimizer.apply(grads, self.trainable_variables)
        self.loss_tracker.update_state(loss)
        return {"loss": self.loss_tracker.result()}

    def test_step(self, data):
        x, y = data
        self.loss_tracker.update_state(ops.mean(ops.square(self(x, training=False) - y)))
        return {"loss": self.loss_tracker.result()}

    def predict_step(self, data):
        return self(data[0], training=False) * 2.0


@pytest.mark.requires_trainable_backend
def test_a_portable_train_step_gives_the_default_steps_weights():
    x, y = _regression_data()
    reference = _dense_model()
    reference.compile(optimizer=lamina.optimizers.SGD(0.05), loss="mse")
    reference.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    custom = _PortableRegression(_dense_model())
    custom.compile(optimizer=lamina.optimizers.SGD(0.05))
    history = custom.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    for ours, theirs in zip(custom.get_weights(), reference.get_weights()):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_custom_test_and_predict_steps_run_on_every_backend():
    x, y = _regression_data()
    model = _PortableRegression(_dense_model())
    model.compile(optimizer="sgd")
    model.build((None, 3))
    expected = np.mean((np.asarray(model.inner.predict(x, verbose=0)) - y) ** 2)
    logs = model.evaluate(x, y, batch_size=16, verbose=0, return_dict=True)
    np.testing.assert_allclose(logs["loss"], expected, rtol=1e-5)
    doubled = model.predict(x, batch_size=16, verbose=0)
    np.testing.assert_allclose(doubled, 2.0 * np.asarray(model.inner.predict(x, verbose=0)), rtol=1e-5)


class _GAN(lamina.Model):
    """Two optimizers, two losses, random noise from a SeedGenerator: written once."""

    def __init__(self, latent_size=4, **kwargs):
        super().__init__(**kwargs)
        self.latent_size = latent_size
        self.generator = lamina.Sequential(
            [lamina.Input((latent_size,)), lamina.layers.Dense(16, activation="relu"), lamina.layers.Dense(2)]
        )
        self.discriminator = lamina.Sequential(
            [lamina.Input((2,)), lamina.layers.Dense(16, activation="relu"), lamina.layers.Dense(1)]
        )
        self.seed_generator = lamina.random.SeedGenerator(1)
        self.d_loss_tracker = lamina.metrics.Mean(name="d_loss")
        self.g_loss_tracker = lamina.metrics.Mean(name="g_loss")

    def compile(self, d_optimizer, g_optimizer):
        super().compile()
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker]

    def train_step(self, data):
        real = data[0] if isinstance(data, tuple) else data
        batch_size = ops.shape(real)[0]
        crossentropy = lamina.losses.BinaryCrossentropy(from_logits=True)

        def discriminator_loss():
            noise = lamina.random.normal((batch_size, self.latent_size), seed=self.seed_generator)
            fake = self.generator(noise)
            logits = ops.concatenate([self.discriminator(fake), self.discriminator(real)], axis=0)
            labels = ops.concatenate([ops.zeros((batch_size, 1)), ops.ones((batch_size, 1))], axis=0)
            return crossentropy(labels, logits)

        d_loss, d_grads = ops.value_and_gradients(discriminator_loss, self.discriminator.trainable_variables)
        self.d_optimizer.apply(d_grads, self.discriminator.trainable_variables)

        def generator_loss():
            noise = lamina.random.normal((batch_size, self.latent_size), seed=self.seed_generator)
            return crossentropy(ops.ones((batch_size, 1)), self.discriminator(self.generator(noise)))

        g_loss, g_grads = ops.value_and_gradients(generator_loss, self.generator.trainable_variables)
        self.g_optimizer.apply(g_grads, self.generator.trainable_variables)
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        return {"d_loss": self.d_loss_tracker.result(), "g_loss": self.g_loss_tracker.result()}


@pytest.mark.requires_trainable_backend
def test_a_gan_written_once_trains():
    target = np.array([2.0, -1.0], dtype="float32")
    real = (np.random.RandomState(0).normal(size=(512, 2)) * 0.1 + target).astype("float32")
    lamina.utils.set_random_seed(0)
    gan = _GAN()
    gan.compile(lamina.optimizers.Adam(1e-2), lamina.optimizers.Adam(1e-2))
    noise = np.random.RandomState(1).normal(size=(256, 4)).astype("float32")
    start = np.linalg.norm(np.asarray(gan.generator.predict(noise, verbose=0)).mean(axis=0) - target)
    history = gan.fit(real, epochs=30, batch_size=64, verbose=0)
    end = np.linalg.norm(np.asarray(gan.generator.predict(noise, verbose=0)).mean(axis=0) - target)
    assert set(history.history) == {"d_loss", "g_loss"}
    assert np.all(np.isfinite(history.history["d_loss"]))
    assert end < 0.5 * start, (start, end)
    assert int(ops.convert_to_numpy(gan.d_optimizer.iterations)) == 30 * 8
    assert int(ops.convert_to_numpy(gan.g_optimizer.iterations)) == 30 * 8


@pytest.mark.requires_trainable_backend
def test_value_and_gradients_keeps_state_updates_and_aux():
    lamina.utils.set_random_seed(0)
    normalization = lamina.layers.BatchNormalization(momentum=0.5)
    dense = lamina.layers.Dense(1)
    x = np.random.RandomState(0).normal(loc=3.0, size=(32, 2)).astype("float32")
    dense.build((None, 2))
    normalization.build((None, 2))

    def loss_function():
        outputs = dense(normalization(x, training=True))
        return ops.mean(outputs), outputs

    (loss, outputs), grads = ops.value_and_gradients(loss_function, dense.trainable_variables, has_aux=True)
    assert ops.shape(outputs) == (32, 1)
    np.testing.assert_allclose(
        ops.convert_to_numpy(grads[1]), np.ones((1,), "float32"), rtol=1e-6
    )  # d mean(outputs) / d bias
    np.testing.assert_allclose(
        ops.convert_to_numpy(normalization.moving_mean), 0.5 * x.mean(axis=0), rtol=1e-5
    )


def test_value_and_gradients_on_numpy_says_what_to_do():
    if backend() != "numpy":
        pytest.skip("numpy backend only")
    with pytest.raises(ValueError, match="jax or torch"):
        ops.value_and_gradients(lambda: 1.0, [])


@pytest.mark.jax_only
def test_keras_stateless_jax_train_step_runs_compiled():
    """Keras's "custom train_step in JAX" guide style: train_step(self, state, data)."""
    import jax

    class StatelessModel(lamina.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.inner = _dense_model()

        def call(self, inputs):
            return self.inner(inputs)

        def compute_loss_and_updates(self, trainable, non_trainable, x, y, training=False):
            y_pred, non_trainable = self.stateless_call(trainable, non_trainable, x, training=training)
            return self.compute_loss(x, y, y_pred), (y_pred, non_trainable)

        def train_step(self, state, data):
            trainable, non_trainable, optimizer_variables, metrics_variables = state
            x, y = data
            grad_function = jax.value_and_grad(self.compute_loss_and_updates, has_aux=True)
            (loss, (y_pred, non_trainable)), grads = grad_function(
                trainable, non_trainable, x, y, training=True
            )
            trainable, optimizer_variables = self.optimizer.stateless_apply(
                optimizer_variables, grads, trainable
            )
            new_metrics = []
            logs = {}
            for metric in self.metrics:
                count = len(metric.variables)
                values = metrics_variables[len(new_metrics) : len(new_metrics) + count]
                if metric.name == "loss":
                    values = metric.stateless_update_state(values, loss)
                else:
                    values = metric.stateless_update_state(values, y, y_pred)
                logs[metric.name] = metric.stateless_result(values)
                new_metrics += list(values)
            return logs, (trainable, non_trainable, optimizer_variables, new_metrics)

    x, y = _regression_data()
    reference = _dense_model()
    reference.compile(optimizer=lamina.optimizers.SGD(0.05), loss="mse")
    reference.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    model = StatelessModel()
    model.compile(optimizer=lamina.optimizers.SGD(0.05), loss="mse")
    history = model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    for ours, theirs in zip(model.get_weights(), reference.get_weights()):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)
    assert "loss" in history.history


@pytest.mark.torch_only
def test_keras_torch_style_train_step():
    """Keras's "custom train_step in PyTorch" guide style: zero_grad, backward, optimizer.apply."""
    import torch

    class TorchStyle(lamina.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.inner = _dense_model()

        def call(self, inputs):
            return self.inner(inputs)

        def train_step(self, data):
            x, y = data
            self.zero_grad()
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred)
            loss.backward()
            variables = list(self.trainable_weights)
            gradients = [variable.value.grad for variable in variables]
            with torch.no_grad():
                self.optimizer.apply(gradients, variables)
            for metric in self.metrics:
                if metric.name == "loss":
                    metric.update_state(loss)
                else:
                    metric.update_state(y, y_pred)
            return {metric.name: metric.result() for metric in self.metrics}

    x, y = _regression_data()
    reference = _dense_model()
    reference.compile(optimizer=lamina.optimizers.SGD(0.05), loss="mse")
    reference.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    model = TorchStyle()
    model.compile(optimizer=lamina.optimizers.SGD(0.05), loss="mse")
    model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    for ours, theirs in zip(model.get_weights(), reference.get_weights()):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


@pytest.mark.jax_only
def test_a_variable_outside_the_models_state_is_reported():
    outside = lamina.Variable(0.0)

    class Leaky(_PortableRegression):
        def train_step(self, data):
            logs = super().train_step(data)
            outside.assign(outside.value + 1.0)
            return logs

    x, y = _regression_data()
    model = Leaky(_dense_model())
    model.compile(optimizer="sgd")
    with pytest.raises(ValueError, match="not part of the model's state"):
        model.fit(x, y, batch_size=16, epochs=1, verbose=0)
