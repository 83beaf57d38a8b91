"""The optimizer battery: every optimizer, with several settings, minimizes a parabola and Rosenbrock.

Gradients are closed forms computed with ops, so the updates run on every
backend (through `stateless_apply` inside `ops.fori_loop`, which JAX compiles);
one test also takes gradients from the backend's autodiff and uses `apply`.
"""

import numpy as np
import pytest
from testing_utils import assert_close

import lamina
from lamina import ops
from lamina import optimizers

TARGET = np.array([1.0, -2.0, 3.0], "float32")


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
    """Runs `steps` updates through `stateless_apply` in `ops.fori_loop` (compiled on JAX)."""
    weight = lamina.Variable(np.array(start, "float32"), name="weight")
    optimizer.build([weight])

    def step(index, state):
        weight_values, optimizer_values = state
        grads = [gradient_function(weight_values[0])]
        return tuple(optimizer.stateless_apply(optimizer_values, grads, weight_values))

    initial = ([weight.value], [variable.value for variable in optimizer.variables])
    (final_weight,), _ = ops.fori_loop(0, steps, step, initial)
    return ops.convert_to_numpy(final_weight)


PARABOLA_SETTINGS = [
    ("sgd", lambda: optimizers.SGD(learning_rate=0.1)),
    ("sgd_momentum", lambda: optimizers.SGD(learning_rate=0.05, momentum=0.9)),
    ("sgd_nesterov", lambda: optimizers.SGD(learning_rate=0.05, momentum=0.9, nesterov=True)),
    ("sgd_clipvalue", lambda: optimizers.SGD(learning_rate=0.1, clipvalue=0.5)),
    ("sgd_global_clipnorm", lambda: optimizers.SGD(learning_rate=0.1, global_clipnorm=1.0)),
    ("sgd_accumulation", lambda: optimizers.SGD(learning_rate=0.1, gradient_accumulation_steps=2)),
    ("adam", lambda: optimizers.Adam(learning_rate=0.1)),
    ("adam_amsgrad", lambda: optimizers.Adam(learning_rate=0.1, amsgrad=True)),
    ("adam_clipnorm", lambda: optimizers.Adam(learning_rate=0.1, clipnorm=1.0)),
    ("adam_ema", lambda: optimizers.Adam(learning_rate=0.1, use_ema=True)),
    ("rmsprop", lambda: optimizers.RMSprop(learning_rate=0.05)),
    ("rmsprop_momentum", lambda: optimizers.RMSprop(learning_rate=0.005, momentum=0.9)),
    ("rmsprop_centered", lambda: optimizers.RMSprop(learning_rate=0.05, centered=True)),
]


@pytest.mark.parametrize("name, make", PARABOLA_SETTINGS, ids=[name for name, _ in PARABOLA_SETTINGS])
def test_minimizes_a_parabola(name, make):
    final = _minimize(make(), np.zeros(3), _parabola_gradient, steps=300)
    assert_close(final, TARGET, atol=2e-2, rtol=0)


ROSENBROCK_SETTINGS = [
    ("sgd", lambda: optimizers.SGD(learning_rate=3e-3), 1000, 0.1),
    ("sgd_momentum", lambda: optimizers.SGD(learning_rate=1e-3, momentum=0.9), 600, 1e-2),
    ("sgd_nesterov", lambda: optimizers.SGD(learning_rate=1e-3, momentum=0.9, nesterov=True), 600, 1e-2),
    ("adam", lambda: optimizers.Adam(learning_rate=0.1), 800, 1e-2),
    ("adam_amsgrad", lambda: optimizers.Adam(learning_rate=0.1, amsgrad=True), 800, 1e-2),
    ("rmsprop_momentum", lambda: optimizers.RMSprop(learning_rate=1e-3, momentum=0.9), 2000, 1e-2),
]


@pytest.mark.parametrize(
    "name, make, steps, tolerance", ROSENBROCK_SETTINGS, ids=[setting[0] for setting in ROSENBROCK_SETTINGS]
)
def test_minimizes_rosenbrock(name, make, steps, tolerance):
    start = np.array([-1.2, 1.0])
    final = _minimize(make(), start, _rosenbrock_gradient, steps=steps)
    assert _rosenbrock_value(final) < tolerance < _rosenbrock_value(start)
    assert np.abs(final - 1.0).max() < 0.5


@pytest.mark.requires_trainable_backend
@pytest.mark.parametrize("make", [lambda: optimizers.SGD(0.3, momentum=0.5), lambda: optimizers.Adam(0.2)])
def test_fits_least_squares_with_backend_gradients(make):
    from testing_utils import gradient

    rng = np.random.default_rng(0)
    inputs = rng.normal(size=(32, 3)).astype("float32")
    true_weights = np.array([0.5, -1.0, 2.0], "float32")
    targets = inputs @ true_weights
    weight = lamina.Variable(np.zeros(3, "float32"), name="w")
    optimizer = make()

    def loss(w):
        residual = ops.subtract(ops.matmul(ops.convert_to_tensor(inputs), w), ops.convert_to_tensor(targets))
        return ops.mean(ops.square(residual))

    for _ in range(100):
        (grad,) = gradient(loss, weight.numpy())
        optimizer.apply([ops.convert_to_tensor(grad)], [weight])
    assert_close(weight.numpy(), true_weights, atol=1e-2, rtol=0)
