"""The added optimizers train: a parabola, Rosenbrock, `fit` with string names, and `.weights.h5` state.

Parabola and Rosenbrock updates run through `stateless_apply` inside
`ops.fori_loop` (compiled on JAX, eager on torch); the least-squares test
takes its gradients from the backend's autodiff and uses `apply`.
"""

import h5py
import numpy as np
import pytest
from testing_utils import assert_close
from testing_utils import gradient

import lamina
from lamina import ops
from lamina import optimizers

TARGET = np.array([1.0, -2.0, 3.0], "float32")

# Per optimizer: a setting that solves the parabola within 300 steps, and one for Rosenbrock.
PARABOLA_SETTINGS = {
    "adamw": lambda: optimizers.AdamW(learning_rate=0.1, weight_decay=1e-4),
    "adamw_clipnorm_ema": lambda: optimizers.AdamW(
        learning_rate=0.1, weight_decay=1e-4, clipnorm=1.0, use_ema=True
    ),
    "adagrad": lambda: optimizers.Adagrad(learning_rate=1.0),
    "adadelta": lambda: optimizers.Adadelta(learning_rate=50.0, rho=0.9),
    "adamax": lambda: optimizers.Adamax(learning_rate=0.1),
    "nadam": lambda: optimizers.Nadam(learning_rate=0.1),
    "nadam_accumulation": lambda: optimizers.Nadam(learning_rate=0.1, gradient_accumulation_steps=2),
    "ftrl": lambda: optimizers.Ftrl(learning_rate=1.0),
    "lion": lambda: optimizers.Lion(learning_rate=0.015),
    # Lamb's step is about `learning_rate * |weight|` however small the gradient: at a fixed
    # rate it circles the minimum by ~0.04 (where depends on the CPU's float rounding); a
    # decaying rate settles it within 1e-3 on every backend.
    "lamb": lambda: optimizers.Lamb(learning_rate=optimizers.schedules.CosineDecay(0.02, 300)),
    "adafactor": lambda: optimizers.Adafactor(learning_rate=0.5),
}

ROSENBROCK_SETTINGS = {
    "adamw": lambda: optimizers.AdamW(learning_rate=0.05, weight_decay=1e-4),
    "adagrad": lambda: optimizers.Adagrad(learning_rate=0.2),
    "adadelta": lambda: optimizers.Adadelta(learning_rate=1.0),
    "adamax": lambda: optimizers.Adamax(learning_rate=0.05),
    "nadam": lambda: optimizers.Nadam(learning_rate=0.05),
    "ftrl": lambda: optimizers.Ftrl(learning_rate=0.2),
    "lion": lambda: optimizers.Lion(learning_rate=0.005),
    "lamb": lambda: optimizers.Lamb(learning_rate=0.02),
    "adafactor": lambda: optimizers.Adafactor(learning_rate=0.1),
}


def _parabola_gradient(weight):
    return 2.0 * ops.subtract(weight, ops.convert_to_tensor(TARGET))


def _rosenbrock_value(weight):
    x, y = weight
    return (1 - x) ** 2 + 100 * (y - x * x) ** 2


def _rosenbrock_gradient(weight):
    x, y = ops.unstack(weight)
    dx = -2.0 * (1.0 - x) - 400.0 * x * (y - x * x)
    dy = 200.0 * (y - x * x)
    return ops.stack([dx, dy])


def _minimize(optimizer, start, gradient_function, steps):
    weight = lamina.Variable(np.array(start, "float32"), name="weight")
    optimizer.build([weight])

    def step(index, state):
        weight_values, optimizer_values = state
        grads = [gradient_function(weight_values[0])]
        return tuple(optimizer.stateless_apply(optimizer_values, grads, weight_values))

    initial = ([weight.value], [variable.value for variable in optimizer.variables])
    (final_weight,), _ = ops.fori_loop(0, steps, step, initial)
    return ops.convert_to_numpy(final_weight)


@pytest.mark.requires_trainable_backend
@pytest.mark.parametrize("name", sorted(PARABOLA_SETTINGS))
def test_solves_a_parabola(name):
    final = _minimize(PARABOLA_SETTINGS[name](), np.full(3, 0.5), _parabola_gradient, steps=300)
    assert_close(final, TARGET, atol=5e-2, rtol=0)


@pytest.mark.requires_trainable_backend
@pytest.mark.parametrize("name", sorted(ROSENBROCK_SETTINGS))
def test_decreases_rosenbrock(name):
    start = np.array([-1.2, 1.0])
    final = _minimize(ROSENBROCK_SETTINGS[name](), start, _rosenbrock_gradient, steps=300)
    assert np.all(np.isfinite(final))
    assert _rosenbrock_value(final) < 0.25 * _rosenbrock_value(start)


@pytest.mark.requires_trainable_backend
@pytest.mark.parametrize("name", sorted(ROSENBROCK_SETTINGS))
def test_fits_least_squares_with_backend_gradients(name):
    rng = np.random.default_rng(0)
    inputs = rng.normal(size=(16, 3)).astype("float32")
    targets = inputs @ TARGET
    weight = lamina.Variable(np.full(3, 0.5, "float32"), name="w")
    # Lamb's steps scale with the weights' norm, small at this start.
    optimizer = optimizers.Lamb(learning_rate=0.1) if name == "lamb" else PARABOLA_SETTINGS[name]()

    def loss(w):
        residual = ops.subtract(ops.matmul(ops.convert_to_tensor(inputs), w), ops.convert_to_tensor(targets))
        return ops.mean(ops.square(residual))

    start_loss = float(ops.convert_to_numpy(loss(weight.value)))
    for _ in range(15):
        (grad,) = gradient(loss, weight.numpy())
        optimizer.apply([ops.convert_to_tensor(grad)], [weight])
    assert float(ops.convert_to_numpy(loss(weight.value))) < 0.8 * start_loss


def _contents(path):
    found = {}
    with h5py.File(path, "r") as file:
        file.visititems(
            lambda key, item: found.setdefault(key, item[()] if isinstance(item, h5py.Dataset) else None)
        )
    return found


@pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")
@pytest.mark.requires_trainable_backend
@pytest.mark.parametrize("name", ["adamw", "nadam", "adafactor", "ftrl", "lion"])
def test_compile_by_name_and_weights_file_match_keras(keras, tmp_path, name):
    def build(library):
        return library.Sequential([library.Input((4,)), library.layers.Dense(3), library.layers.Dense(2)])

    keras.backend.clear_session()
    data = np.random.default_rng(1).normal(size=(8, 4)).astype("float32")
    targets = np.ones((8, 2), "float32")
    keras_model = build(keras)
    keras_model.compile(optimizer=name, loss="mse")
    keras_model.fit(data, targets, epochs=2, batch_size=4, verbose=0)
    keras_path = str(tmp_path / "k.weights.h5")
    keras_model.save_weights(keras_path)

    lamina_model = build(lamina)
    lamina_model.compile(optimizer=name, loss="mse")
    assert type(lamina_model.optimizer).__name__ == type(keras_model.optimizer).__name__
    lamina_model.optimizer.build(lamina_model.trainable_variables)
    lamina_model.load_weights(keras_path)
    lamina_path = str(tmp_path / "l.weights.h5")
    lamina_model.save_weights(lamina_path)
    written, reread = _contents(keras_path), _contents(lamina_path)
    assert sorted(reread) == sorted(written)
    for key, value in written.items():
        if value is not None:
            np.testing.assert_array_equal(reread[key], value, err_msg=key)
            assert reread[key].dtype == value.dtype, key

    # The compiled training steps then agree too.
    for _ in range(2):
        keras_model.train_on_batch(data, targets)
        lamina_model.train_on_batch(data, targets)
    for keras_weight, lamina_weight in zip(keras_model.get_weights(), lamina_model.get_weights()):
        assert_close(np.asarray(lamina_weight), np.asarray(keras_weight), rtol=1e-5, atol=1e-5)
