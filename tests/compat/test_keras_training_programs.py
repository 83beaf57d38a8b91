"""Ordinary Keras 3 training programs, written as keras.io guides write them, run by lamina.

Each program follows a keras.io guide ("Customizing what happens in fit()" for JAX and
for PyTorch, "Writing your own callbacks", "Training & evaluation with the built-in
methods", "Making new layers and models via subclassing", "Mixed precision") on a
small real dataset from scikit-learn, and asserts an outcome a Keras user relies on:
it learns, the callback acted, the constraint holds, the file reloads. Only the import
line differs from a Keras program. The callback and data-source programs live in
test_keras_training_callback_programs.py.
"""

import numpy as np
import pytest
from sklearn.datasets import load_diabetes
from sklearn.datasets import load_digits
from sklearn.datasets import load_iris
from sklearn.datasets import load_wine

import lamina as keras
from lamina import layers
from lamina import ops
from lamina.config import backend

pytestmark = pytest.mark.requires_trainable_backend


def _standardized(features):
    features = np.asarray(features, dtype="float32")
    return (features - features.mean(axis=0)) / (features.std(axis=0) + 1e-6)


def _iris():
    data = load_iris()
    order = np.random.RandomState(0).permutation(len(data.target))
    return _standardized(data.data)[order], data.target[order].astype("int32")


def _diabetes():
    data = load_diabetes()
    target = data.target.astype("float32")
    return _standardized(data.data), ((target - target.mean()) / target.std()).reshape(-1, 1)


# -- "Customizing what happens in fit()": the JAX guide ---------------------------------


def _jax_guide_model_class():
    import jax

    class CustomModel(keras.Model):
        def compute_loss_and_updates(
            self,
            trainable_variables,
            non_trainable_variables,
            x,
            y,
            training=False,
        ):
            y_pred, non_trainable_variables = self.stateless_call(
                trainable_variables,
                non_trainable_variables,
                x,
                training=training,
            )
            loss = self.compute_loss(x, y, y_pred)
            return loss, (y_pred, non_trainable_variables)

        def train_step(self, state, data):
            (
                trainable_variables,
                non_trainable_variables,
                optimizer_variables,
                metrics_variables,
            ) = state
            x, y = data

            # Get the gradient function.
            grad_fn = jax.value_and_grad(self.compute_loss_and_updates, has_aux=True)

            # Compute the gradients.
            (loss, (y_pred, non_trainable_variables)), grads = grad_fn(
                trainable_variables,
                non_trainable_variables,
                x,
                y,
                training=True,
            )

            # Update trainable variables and optimizer variables.
            (
                trainable_variables,
                optimizer_variables,
            ) = self.optimizer.stateless_apply(optimizer_variables, grads, trainable_variables)

            # Update metrics.
            new_metrics_vars = []
            logs = {}
            for metric in self.metrics:
                this_metric_vars = metrics_variables[
                    len(new_metrics_vars) : len(new_metrics_vars) + len(metric.variables)
                ]
                if metric.name == "loss":
                    this_metric_vars = metric.stateless_update_state(this_metric_vars, loss)
                else:
                    this_metric_vars = metric.stateless_update_state(this_metric_vars, y, y_pred)
                logs[metric.name] = metric.stateless_result(this_metric_vars)
                new_metrics_vars += this_metric_vars

            # Return metric logs and updated state variables.
            state = (
                trainable_variables,
                non_trainable_variables,
                optimizer_variables,
                new_metrics_vars,
            )
            return logs, state

        def test_step(self, state, data):
            # Unpack the data.
            x, y = data
            (
                trainable_variables,
                non_trainable_variables,
                metrics_variables,
            ) = state

            # Compute predictions and loss.
            y_pred, non_trainable_variables = self.stateless_call(
                trainable_variables,
                non_trainable_variables,
                x,
                training=False,
            )
            loss = self.compute_loss(x, y, y_pred)

            # Update metrics.
            new_metrics_vars = []
            logs = {}
            for metric in self.metrics:
                this_metric_vars = metrics_variables[
                    len(new_metrics_vars) : len(new_metrics_vars) + len(metric.variables)
                ]
                if metric.name == "loss":
                    this_metric_vars = metric.stateless_update_state(this_metric_vars, loss)
                else:
                    this_metric_vars = metric.stateless_update_state(this_metric_vars, y, y_pred)
                logs[metric.name] = metric.stateless_result(this_metric_vars)
                new_metrics_vars += this_metric_vars

            # Return metric logs and updated state variables.
            state = (
                trainable_variables,
                non_trainable_variables,
                new_metrics_vars,
            )
            return logs, state

    return CustomModel


# -- "Customizing what happens in fit()": the PyTorch guide -----------------------------


def _torch_guide_model_class():
    import torch

    class CustomModel(keras.Model):
        def train_step(self, data):
            x, y = data

            # Call torch.nn.Module.zero_grad() to clear the leftover gradients
            # for the weights from the previous train step.
            self.zero_grad()

            # Compute loss
            y_pred = self(x, training=True)  # Forward pass
            loss = self.compute_loss(y=y, y_pred=y_pred)

            # Call torch.Tensor.backward() on the loss to compute gradients
            # for the weights.
            loss.backward()

            trainable_weights = [v for v in self.trainable_weights]
            gradients = [v.value.grad for v in trainable_weights]

            # Update weights
            with torch.no_grad():
                self.optimizer.apply(gradients, trainable_weights)

            # Update metrics (includes the metric that tracks the loss)
            for metric in self.metrics:
                if metric.name == "loss":
                    metric.update_state(loss)
                else:
                    metric.update_state(y, y_pred)

            # Return a dict mapping metric names to current value
            # Note that it will include the loss (tracked in self.metrics).
            return {m.name: m.result() for m in self.metrics}

        def test_step(self, data):
            # Unpack the data
            x, y = data
            # Compute predictions
            y_pred = self(x, training=False)
            # Updates the metrics tracking the loss
            loss = self.compute_loss(y=y, y_pred=y_pred)
            # Update the metrics.
            for metric in self.metrics:
                if metric.name == "loss":
                    metric.update_state(loss)
                else:
                    metric.update_state(y, y_pred)
            # Return a dict mapping metric names to current value.
            # Note that it will include the loss (tracked in self.metrics).
            return {m.name: m.result() for m in self.metrics}

    return CustomModel


def _guide_model_class():
    return _jax_guide_model_class() if backend() == "jax" else _torch_guide_model_class()


def test_guide_custom_train_and_test_steps_with_compiled_loss_and_metrics():
    x, y = _iris()
    keras.utils.set_random_seed(0)
    CustomModel = _guide_model_class()
    inputs = keras.Input(shape=(4,))
    hidden = keras.layers.Dense(16, activation="relu")(inputs)
    outputs = keras.layers.Dense(3, activation="softmax")(hidden)
    model = CustomModel(inputs, outputs)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.01),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    history = model.fit(x[:120], y[:120], batch_size=20, epochs=12, verbose=0)
    assert set(history.history) == {"loss", "accuracy"}
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    assert history.history["accuracy"][-1] > 0.85
    logs = model.evaluate(x[120:], y[120:], batch_size=10, verbose=0, return_dict=True)
    probabilities = np.asarray(model.predict(x[120:], batch_size=10, verbose=0))
    expected_loss = -np.mean(np.log(probabilities[np.arange(30), y[120:]]))
    np.testing.assert_allclose(logs["loss"], expected_loss, rtol=1e-4)
    np.testing.assert_allclose(logs["accuracy"], np.mean(probabilities.argmax(axis=1) == y[120:]), rtol=1e-6)


def _lower_level_jax_class():
    import jax

    class CustomModel(keras.Model):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.loss_tracker = keras.metrics.Mean(name="loss")
            self.mae_metric = keras.metrics.MeanAbsoluteError(name="mae")
            self.loss_fn = keras.losses.MeanSquaredError()

        def compute_loss_and_updates(
            self,
            trainable_variables,
            non_trainable_variables,
            x,
            y,
            training=False,
        ):
            y_pred, non_trainable_variables = self.stateless_call(
                trainable_variables,
                non_trainable_variables,
                x,
                training=training,
            )
            loss = self.loss_fn(y, y_pred)
            return loss, (y_pred, non_trainable_variables)

        def train_step(self, state, data):
            (
                trainable_variables,
                non_trainable_variables,
                optimizer_variables,
                metrics_variables,
            ) = state
            x, y = data

            # Get the gradient function.
            grad_fn = jax.value_and_grad(self.compute_loss_and_updates, has_aux=True)

            # Compute the gradients.
            (loss, (y_pred, non_trainable_variables)), grads = grad_fn(
                trainable_variables,
                non_trainable_variables,
                x,
                y,
                training=True,
            )

            # Update trainable variables and optimizer variables.
            (
                trainable_variables,
                optimizer_variables,
            ) = self.optimizer.stateless_apply(optimizer_variables, grads, trainable_variables)

            # Update metrics.
            loss_tracker_vars = metrics_variables[: len(self.loss_tracker.variables)]
            mae_metric_vars = metrics_variables[len(self.loss_tracker.variables) :]

            loss_tracker_vars = self.loss_tracker.stateless_update_state(loss_tracker_vars, loss)
            mae_metric_vars = self.mae_metric.stateless_update_state(mae_metric_vars, y, y_pred)

            logs = {}
            logs[self.loss_tracker.name] = self.loss_tracker.stateless_result(loss_tracker_vars)
            logs[self.mae_metric.name] = self.mae_metric.stateless_result(mae_metric_vars)

            new_metrics_vars = loss_tracker_vars + mae_metric_vars

            # Return metric logs and updated state variables.
            state = (
                trainable_variables,
                non_trainable_variables,
                optimizer_variables,
                new_metrics_vars,
            )
            return logs, state

        @property
        def metrics(self):
            # We list our `Metric` objects here so that `reset_states()` can be
            # called automatically at the start of each epoch
            # or at the start of `evaluate()`.
            return [self.loss_tracker, self.mae_metric]

    return CustomModel


def _lower_level_torch_class():
    import torch

    class CustomModel(keras.Model):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.loss_tracker = keras.metrics.Mean(name="loss")
            self.mae_metric = keras.metrics.MeanAbsoluteError(name="mae")
            self.loss_fn = keras.losses.MeanSquaredError()

        def train_step(self, data):
            x, y = data

            # Call torch.nn.Module.zero_grad() to clear the leftover gradients
            # for the weights from the previous train step.
            self.zero_grad()

            # Compute loss
            y_pred = self(x, training=True)  # Forward pass
            loss = self.loss_fn(y, y_pred)

            # Call torch.Tensor.backward() on the loss to compute gradients
            # for the weights.
            loss.backward()

            trainable_weights = [v for v in self.trainable_weights]
            gradients = [v.value.grad for v in trainable_weights]

            # Update weights
            with torch.no_grad():
                self.optimizer.apply(gradients, trainable_weights)

            # Compute our own metrics
            self.loss_tracker.update_state(loss)
            self.mae_metric.update_state(y, y_pred)
            return {
                "loss": self.loss_tracker.result(),
                "mae": self.mae_metric.result(),
            }

        @property
        def metrics(self):
            # We list our `Metric` objects here so that `reset_states()` can be
            # called automatically at the start of each epoch
            # or at the start of `evaluate()`.
            return [self.loss_tracker, self.mae_metric]

    return CustomModel


def test_guide_lower_level_train_step_with_its_own_metrics():
    x, y = _diabetes()
    keras.utils.set_random_seed(0)
    CustomModel = _lower_level_jax_class() if backend() == "jax" else _lower_level_torch_class()
    inputs = keras.Input(shape=(10,))
    outputs = keras.layers.Dense(1)(inputs)
    model = CustomModel(inputs, outputs)

    # We don't pass a loss or metrics here.
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.05))
    history = model.fit(x, y, batch_size=32, epochs=8, verbose=0)
    assert set(history.history) == {"loss", "mae"}
    assert history.history["loss"][-1] < 0.7 * history.history["loss"][0]
    # Both metrics are reset at each epoch's start: the last epoch's MAE is that epoch's alone.
    assert history.history["mae"][-1] < history.history["mae"][0]
    prediction = np.asarray(model.predict(x, verbose=0))
    assert np.mean((prediction - y) ** 2) < 0.6  # a linear model explains about half the variance


class CustomModelWithComputeLoss(keras.Model):
    """The `Model.compute_loss` API-doc example: a custom loss with its own tracker, default steps."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.loss_tracker = keras.metrics.Mean(name="loss")

    def compute_loss(self, x, y, y_pred, sample_weight, training=True):
        loss = ops.mean((y_pred - y) ** 2)
        loss += ops.sum(self.losses)
        self.loss_tracker.update_state(loss)
        return loss

    def reset_metrics(self):
        self.loss_tracker.reset_state()

    @property
    def metrics(self):
        return [self.loss_tracker]


def test_compute_loss_override_drives_the_default_train_step():
    x, y = _diabetes()
    keras.utils.set_random_seed(0)
    inputs = layers.Input(shape=(10,), name="my_input")
    outputs = layers.Dense(1, kernel_regularizer=keras.regularizers.L2(1e-3))(inputs)
    model = CustomModelWithComputeLoss(inputs, outputs)
    model.compile(keras.optimizers.SGD(learning_rate=0.05), loss="mse", steps_per_execution=2)
    history = model.fit(x, y, batch_size=32, epochs=4, verbose=0)
    assert history.history["loss"][-1] < 0.7 * history.history["loss"][0]
    assert float(model.loss_tracker.result()) == pytest.approx(history.history["loss"][-1], rel=1e-6)
    logs = model.evaluate(x, y, batch_size=len(x), verbose=0, return_dict=True)
    kernel = model.layers[-1].kernel.numpy()
    expected = np.mean((np.asarray(model.predict(x, verbose=0)) - y) ** 2) + 1e-3 * np.sum(kernel**2)
    np.testing.assert_allclose(logs["loss"], expected, rtol=1e-5)


# -- "Making new layers and models via subclassing" + regularizers and constraints -------


class ActivityRegularizationLayer(keras.layers.Layer):
    def __init__(self, rate=1e-2):
        super().__init__()
        self.rate = rate

    def call(self, inputs):
        self.add_loss(self.rate * ops.mean(inputs))
        return inputs


class ConstraintsHold(keras.callbacks.Callback):
    """Checks every constraint after each optimizer step."""

    def __init__(self):
        super().__init__()
        self.checked_steps = 0

    def on_train_batch_end(self, batch, logs=None):
        first, second, third = (self.model.get_layer(name) for name in ("first", "second", "third"))
        first_norms = np.linalg.norm(first.kernel.numpy(), axis=0)
        assert np.all(first_norms <= 2.0 + 1e-6), first_norms.max()
        assert np.all(first.bias.numpy() >= 0.0)
        np.testing.assert_allclose(np.linalg.norm(second.kernel.numpy(), axis=0), 1.0, rtol=1e-5)
        third_norms = np.linalg.norm(third.kernel.numpy(), axis=0)
        assert np.all((third_norms >= 0.5 - 1e-6) & (third_norms <= 1.0 + 1e-6)), third_norms
        self.checked_steps += 1


def _regularized_wine_model():
    inputs = keras.Input(shape=(13,))
    x = layers.Dense(
        32,
        activation="relu",
        kernel_regularizer=keras.regularizers.L2(1e-3),
        activity_regularizer=keras.regularizers.L1(1e-3),
        kernel_constraint=keras.constraints.MaxNorm(2.0),
        bias_constraint=keras.constraints.NonNeg(),
        name="first",
    )(inputs)
    x = ActivityRegularizationLayer(rate=1e-2)(x)
    x = layers.Dense(16, activation="relu", kernel_constraint=keras.constraints.UnitNorm(), name="second")(x)
    outputs = layers.Dense(
        3,
        activation="softmax",
        kernel_constraint=keras.constraints.MinMaxNorm(min_value=0.5, max_value=1.0),
        name="third",
    )(x)
    return keras.Model(inputs, outputs)


def test_regularizers_add_loss_and_constraints_in_training():
    data = load_wine()
    order = np.random.RandomState(0).permutation(len(data.target))[:160]
    x = _standardized(data.data)[order]
    y = data.target[order].astype("int32")
    keras.utils.set_random_seed(0)
    model = _regularized_wine_model()
    model.compile(
        optimizer=keras.optimizers.Adam(0.05), loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    checker = ConstraintsHold()
    history = model.fit(x, y, batch_size=32, epochs=6, callbacks=[checker], verbose=0)
    assert checker.checked_steps == 6 * 5
    assert history.history["accuracy"][-1] > 0.9

    # model.losses after a call: L2 on the kernel, L1 on the activity (per sample) and add_loss.
    model(x)
    first = model.get_layer("first")
    activity = np.maximum(x @ first.kernel.numpy() + first.bias.numpy(), 0.0)
    expected = [
        1e-3 * np.sum(first.kernel.numpy() ** 2),
        1e-3 * np.sum(np.abs(activity)) / len(x),
        1e-2 * np.mean(activity),
    ]
    losses = sorted(float(ops.convert_to_numpy(value)) for value in model.losses)
    np.testing.assert_allclose(losses, sorted(expected), rtol=1e-4)

    # The loss fit and evaluate log includes them; a zero-rate step logs the same total.
    # Batches of equal size: the epoch's mean is the mean over the whole data.
    probabilities = np.asarray(model.predict(x, batch_size=32, verbose=0))
    crossentropy = -np.mean(np.log(probabilities[np.arange(len(y)), y]))
    logs = model.evaluate(x, y, batch_size=32, verbose=0, return_dict=True)
    np.testing.assert_allclose(logs["loss"], crossentropy + sum(expected), rtol=1e-4)
    model.optimizer.learning_rate = 0.0
    frozen = model.fit(x, y, batch_size=32, epochs=1, verbose=0)
    np.testing.assert_allclose(frozen.history["loss"][0], logs["loss"], rtol=1e-4)


# -- "Mixed precision" guide ----------------------------------------------------------


@pytest.fixture
def mixed_float16():
    keras.mixed_precision.set_global_policy("mixed_float16")
    yield
    keras.mixed_precision.set_global_policy("float32")


def test_mixed_precision_guide_program(mixed_float16):
    digits = load_digits()
    x_train = (digits.data / 16.0).astype("float32")
    y_train = digits.target.astype("float32")
    keras.utils.set_random_seed(0)

    inputs = keras.Input(shape=(64,), name="digits")
    num_units = 32
    dense1 = layers.Dense(num_units, activation="relu", name="dense_1")
    x = dense1(inputs)
    dense2 = layers.Dense(num_units, activation="relu", name="dense_2")
    x = dense2(x)
    assert dense1.dtype_policy.name == "mixed_float16"
    assert x.dtype == "float16"
    assert dense1.kernel.dtype == "float32"
    # INCORRECT: softmax and model output will be float16, when it should be float32
    assert layers.Dense(10, activation="softmax")(x).dtype == "float16"
    # CORRECT: softmax and model output are float32
    x = layers.Dense(10, name="dense_logits")(x)
    outputs = layers.Activation("softmax", dtype="float32", name="predictions")(x)
    assert outputs.dtype == "float32"

    model = keras.Model(inputs=inputs, outputs=outputs)
    model.compile(
        loss="sparse_categorical_crossentropy",
        optimizer=keras.optimizers.RMSprop(learning_rate=0.01),
        metrics=["accuracy"],
    )
    assert isinstance(model.optimizer, keras.mixed_precision.LossScaleOptimizer)
    history = model.fit(
        x_train[:600], y_train[:600], batch_size=100, epochs=5, validation_split=1 / 6, verbose=0
    )
    test_scores = model.evaluate(x_train[1400:1700], y_train[1400:1700], batch_size=300, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert test_scores[1] > 0.7
    assert dense1.kernel.dtype == "float32"
    assert np.asarray(model.predict(x_train[:4], verbose=0)).dtype == np.float32
    assert ops.convert_to_numpy(dense1(x_train[:4])).dtype == np.float16


# -- "Training & evaluation with the built-in methods": custom losses and metrics --------


def custom_mean_squared_error(y_true, y_pred):
    return ops.mean(ops.square(y_true - y_pred), axis=-1)


class CustomMSE(keras.losses.Loss):
    def __init__(self, regularization_factor=0.1, name="custom_mse"):
        super().__init__(name=name)
        self.regularization_factor = regularization_factor

    def call(self, y_true, y_pred):
        mse = ops.mean(ops.square(y_true - y_pred), axis=-1)
        reg = ops.mean(ops.square(0.5 - y_pred), axis=-1)
        return mse + reg * self.regularization_factor


class CategoricalTruePositives(keras.metrics.Metric):
    def __init__(self, name="categorical_true_positives", **kwargs):
        super().__init__(name=name, **kwargs)
        self.true_positives = self.add_variable(shape=(), name="ctp", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = ops.reshape(ops.argmax(y_pred, axis=1), (-1, 1))
        values = ops.cast(y_true, "int32") == ops.cast(y_pred, "int32")
        values = ops.cast(values, "float32")
        if sample_weight is not None:
            sample_weight = ops.cast(sample_weight, "float32")
            values = ops.multiply(values, sample_weight)
        self.true_positives.assign_add(ops.sum(values))

    def result(self):
        return self.true_positives

    def reset_state(self):
        # The state of the metric will be reset at the start of each epoch.
        self.true_positives.assign(0.0)


class MeanPredictedProbability(keras.metrics.Metric):
    """The older `add_weight` spelling of a metric's state."""

    def __init__(self, name="mean_probability", **kwargs):
        super().__init__(name=name, **kwargs)
        self.total = self.add_weight(name="total", initializer="zeros")
        self.count = self.add_weight(name="count", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        self.total.assign_add(ops.sum(ops.max(y_pred, axis=-1)))
        self.count.assign_add(ops.cast(ops.shape(y_pred)[0], "float32"))

    def result(self):
        return self.total / self.count


def _digits_classifier():
    inputs = keras.Input(shape=(64,), name="digits")
    x = layers.Dense(32, activation="relu", name="dense_1")(inputs)
    outputs = layers.Dense(10, activation="softmax", name="predictions")(x)
    return keras.Model(inputs=inputs, outputs=outputs)


@pytest.mark.parametrize("loss", [custom_mean_squared_error, CustomMSE()], ids=["function", "subclass"])
def test_custom_loss_and_custom_metric_in_compile_and_fit(loss):
    digits = load_digits()
    x = (digits.data / 16.0).astype("float32")
    labels = digits.target.reshape(-1, 1).astype("int32")
    y_one_hot = keras.utils.to_categorical(digits.target, num_classes=10)
    keras.utils.set_random_seed(0)
    model = _digits_classifier()
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=1e-2),
        loss=loss,
        metrics=[MeanPredictedProbability()],
    )
    history = model.fit(x[:1400], y_one_hot[:1400], batch_size=100, epochs=3, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    probabilities = np.asarray(model.predict(x[1400:1700], batch_size=100, verbose=0))
    extra = 0.1 * np.mean((0.5 - probabilities) ** 2, axis=-1) if isinstance(loss, CustomMSE) else 0.0
    expected_loss = np.mean(np.mean((y_one_hot[1400:1700] - probabilities) ** 2, axis=-1) + extra)
    logs = model.evaluate(x[1400:1700], y_one_hot[1400:1700], batch_size=100, verbose=0, return_dict=True)
    np.testing.assert_allclose(logs["loss"], expected_loss, rtol=1e-4)
    np.testing.assert_allclose(logs["mean_probability"], probabilities.max(axis=-1).mean(), rtol=1e-4)

    if isinstance(loss, CustomMSE):
        return
    # The guide's stateful metric, with sparse labels.
    model.compile(
        optimizer=keras.optimizers.RMSprop(learning_rate=1e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(),
        metrics=[CategoricalTruePositives()],
    )
    history = model.fit(x[:1400], labels[:1400], batch_size=100, epochs=1, verbose=0)
    assert 0 < history.history["categorical_true_positives"][0] <= 1400
    logs = model.evaluate(x[1400:1700], labels[1400:1700], batch_size=100, verbose=0, return_dict=True)
    probabilities = np.asarray(model.predict(x[1400:1700], batch_size=100, verbose=0))
    correct = np.sum(probabilities.argmax(axis=1) == digits.target[1400:1700])
    assert logs["categorical_true_positives"] == pytest.approx(correct)
    assert correct > 0.8 * 300
