"""`Optimizer.apply`'s eager fast path gives exactly the general path's weights and state."""

import numpy as np
import pytest

import lamina
from lamina import config
from lamina.backend.common import lazy_package
from tests.optimizers.test_multi_tensor_updates import OPTIMIZERS as ALL_OPTIMIZERS

# The plain configurations the shortcut takes (the others have a stage it skips for).
OPTIMIZERS = {name: ALL_OPTIMIZERS[name] for name in ("sgd", "momentum", "nesterov", "adam", "amsgrad")}


def _variables(rng):
    return [
        lamina.Variable(rng.normal(size=(3, 4)).astype("float32")),
        lamina.Variable(rng.normal(size=(4,)).astype("float32")),
    ]


def _run(make_optimizer, fast, steps=4, change=None):
    """Applies `steps` random gradients; `change(optimizer, variables)` runs before step 3."""
    rng = np.random.default_rng(0)
    variables = _variables(rng)
    optimizer = make_optimizer()
    if not fast:
        optimizer._apply_fast = lambda grads, variables: False
    for step in range(steps):
        if step == 2 and change is not None:
            change(optimizer, variables)
        grads = [lamina.ops.convert_to_tensor(rng.normal(size=v.shape).astype("float32")) for v in variables]
        optimizer.apply(grads, tuple(variables))
    return [v.numpy() for v in variables] + [np.asarray(v.numpy()) for v in optimizer.variables]


def _assert_same(fast, reference):
    assert len(fast) == len(reference)
    for value, expected in zip(fast, reference):
        assert value.dtype == expected.dtype
        np.testing.assert_array_equal(value, expected)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_fast_apply_equals_general_apply(name):
    _assert_same(_run(OPTIMIZERS[name], fast=True), _run(OPTIMIZERS[name], fast=False))


def _set_learning_rate(optimizer, variables):
    optimizer.learning_rate = 0.5


def _set_clipvalue(optimizer, variables):
    optimizer.clipvalue = 0.01


def _set_weight_decay(optimizer, variables):
    optimizer.weight_decay = 0.1


def _set_constraint(optimizer, variables):
    variables[0].constraint = lambda value: lamina.ops.clip(value, -0.2, 0.2)


@pytest.mark.parametrize(
    "change",
    [_set_learning_rate, _set_clipvalue, _set_weight_decay, _set_constraint],
    ids=lambda f: f.__name__,
)
@pytest.mark.parametrize("name", ["momentum", "adam"])
def test_settings_changed_between_steps_are_honoured(name, change):
    fast = _run(OPTIMIZERS[name], fast=True, change=change)
    _assert_same(fast, _run(OPTIMIZERS[name], fast=False, change=change))
    # The change has an effect, so the fast path did not keep using stale settings.
    unchanged = _run(OPTIMIZERS[name], fast=True)
    assert any(not np.array_equal(a, b) for a, b in zip(fast, unchanged))


def test_missing_gradient_still_warns_and_skips_the_variable():
    rng = np.random.default_rng(1)
    variables = _variables(rng)
    optimizer = lamina.optimizers.SGD(0.1)
    grads = [lamina.ops.ones((3, 4)), lamina.ops.ones((4,))]
    optimizer.apply(grads, variables)
    before = variables[1].numpy()
    with pytest.warns(UserWarning, match="Gradients do not exist"):
        optimizer.apply([grads[0], None], variables)
    np.testing.assert_array_equal(variables[1].numpy(), before)
    assert int(lamina.ops.convert_to_numpy(optimizer.iterations)) == 2


def test_unknown_variables_still_raise_after_fast_steps():
    rng = np.random.default_rng(2)
    variables = _variables(rng)
    optimizer = lamina.optimizers.SGD(0.1)
    for _ in range(2):
        optimizer.apply([lamina.ops.ones((3, 4)), lamina.ops.ones((4,))], variables)
    stranger = lamina.Variable(np.zeros((4,), "float32"), name="stranger")
    with pytest.raises(ValueError, match="unknown variable"):
        optimizer.apply([lamina.ops.ones((3, 4)), lamina.ops.ones((4,))], [variables[0], stranger])


def test_iterations_count_every_step():
    rng = np.random.default_rng(3)
    variables = _variables(rng)
    optimizer = lamina.optimizers.Adam(0.01)
    for _ in range(5):
        optimizer.apply([lamina.ops.ones((3, 4)), lamina.ops.ones((4,))], variables)
    iterations = lamina.ops.convert_to_numpy(optimizer.iterations.value)
    assert iterations.dtype == np.int32
    assert int(iterations) == 5


def test_fast_path_is_taken_on_torch_only(monkeypatch):
    module = lazy_package.in_place_updates(config.backend())
    if module is None:
        assert config.backend() != "torch"
        return
    calls = []
    original = module.increment
    monkeypatch.setattr(module, "increment", lambda variable: calls.append(1) or original(variable))
    _run(OPTIMIZERS["sgd"], fast=True, steps=3)
    # The first step validates the variables on the general path; later ones are fast.
    assert len(calls) == 2
