"""The Optimizer API: state, learning rates, constraints, errors, get/serialize, stateless_apply."""

import os

import numpy as np
import pytest
from testing_utils import assert_close

import lamina
from lamina import ops
from lamina import optimizers
from lamina.optimizers import gradient_clipping

RNG = np.random.default_rng(7)


@pytest.fixture
def keras():
    os.environ["KERAS_BACKEND"] = "jax"
    keras = pytest.importorskip("keras")
    # Fresh automatic names (`adam`, not `adam_3`), as lamina's conftest gives lamina.
    keras.backend.clear_session()
    return keras


def _weights():
    return [
        lamina.Variable(RNG.normal(size=(3, 2)).astype("float32"), name="kernel"),
        lamina.Variable(RNG.normal(size=(2,)).astype("float32"), name="bias"),
    ]


def _grads(weights):
    return [ops.convert_to_tensor(RNG.normal(size=w.shape).astype("float32")) for w in weights]


def test_sgd_updates_follow_the_formulas():
    weight = lamina.Variable(np.array([1.0, -1.0], "float32"), name="w")
    grad = np.array([0.5, 2.0], "float32")
    optimizer = optimizers.SGD(learning_rate=0.1, momentum=0.9, nesterov=True)
    velocity = np.zeros(2)
    expected = weight.numpy().astype("float64")
    for _ in range(3):
        optimizer.apply([ops.convert_to_tensor(grad)], [weight])
        velocity = 0.9 * velocity - 0.1 * grad
        expected = expected + 0.9 * velocity - 0.1 * grad
    assert_close(weight.numpy(), expected)


def test_adam_updates_follow_the_formulas():
    weight = lamina.Variable(np.array([1.0, -1.0], "float32"), name="w")
    optimizer = optimizers.Adam(learning_rate=0.01)
    expected = weight.numpy().astype("float64")
    first = second = np.zeros(2)
    for step in range(1, 4):
        grad = RNG.normal(size=2).astype("float32")
        optimizer.apply([ops.convert_to_tensor(grad)], [weight])
        alpha = 0.01 * np.sqrt(1 - 0.999**step) / (1 - 0.9**step)
        first = first + (grad - first) * 0.1
        second = second + (grad**2 - second) * 0.001
        expected = expected - alpha * first / (np.sqrt(second) + 1e-7)
    assert_close(weight.numpy(), expected)


def test_iterations_learning_rate_and_variables():
    optimizer = optimizers.Adam(learning_rate=0.01, name="adam")
    assert [v.path for v in optimizer.variables] == ["adam/iteration", "adam/learning_rate"]
    assert optimizer.iterations.dtype == "int32"
    assert not any(v.trainable for v in optimizer.variables)
    weights = _weights()
    optimizer.apply_gradients(zip(_grads(weights), weights))
    optimizer.apply(_grads(weights))
    assert int(optimizer.iterations.numpy()) == 2
    assert len(optimizer.variables) == 2 + 2 * len(weights)
    optimizer.learning_rate = 0.5
    assert float(optimizer.learning_rate.numpy()) == 0.5
    assert optimizer.get_config()["learning_rate"] == 0.5


def test_callable_learning_rates():
    weight = lamina.Variable(np.array([0.0], "float32"), name="w")
    seen = []

    def schedule(iteration):
        seen.append(iteration)
        return 0.1 * (ops.cast(iteration, "float32") + 1.0)

    optimizer = optimizers.SGD(learning_rate=schedule)
    assert [v.name for v in optimizer.variables] == ["iteration"]
    for _ in range(3):
        optimizer.apply([ops.convert_to_tensor([1.0])], [weight])
    assert_close(weight.numpy(), [-(0.1 + 0.2 + 0.3)])
    assert len(seen) == 3
    fixed = optimizers.SGD(learning_rate=lambda: 0.25)
    fixed.apply([ops.convert_to_tensor([1.0])], [weight])
    assert_close(weight.numpy(), [-0.85])
    with pytest.raises(TypeError, match="learning rate schedule"):
        fixed.learning_rate = 0.1


def test_switching_to_a_schedule_drops_the_learning_rate_variable():
    optimizer = optimizers.SGD(learning_rate=0.1)
    optimizer.learning_rate = lambda step: 0.2
    assert [v.name for v in optimizer.variables] == ["iteration"]


def test_invalid_arguments_are_clear_errors():
    with pytest.raises(ValueError, match="only one of `clipnorm`, `clipvalue` and `global_clipnorm`"):
        optimizers.SGD(clipnorm=1.0, clipvalue=1.0)
    with pytest.raises(ValueError, match="`learning_rate` should be a float"):
        optimizers.Adam(learning_rate="fast")
    with pytest.raises(ValueError, match="argument\\(s\\) not recognized"):
        optimizers.Adam(beta_3=0.5)
    with pytest.raises(ValueError, match="momentum"):
        optimizers.SGD(momentum=1.5)
    with pytest.raises(ValueError, match="gradient_accumulation_steps"):
        optimizers.SGD(gradient_accumulation_steps=1)


def test_unknown_variables_and_missing_gradients():
    weights = _weights()
    optimizer = optimizers.SGD()
    optimizer.apply(_grads(weights), weights)
    stranger = lamina.Variable(np.zeros(2, "float32"), name="stranger")
    with pytest.raises(ValueError, match="unknown variable 'stranger'"):
        optimizer.apply([ops.zeros((2,))], [stranger])
    with pytest.warns(UserWarning, match="Gradients do not exist for variables \\['bias'\\]"):
        optimizer.apply([_grads(weights)[0], None], weights)
    with pytest.raises(ValueError, match="no gradients provided"):
        optimizer.apply([None, None], weights)
    unbuilt = optimizers.Adam()
    with pytest.raises(ValueError, match="must already be built"):
        unbuilt.apply(_grads(weights))


def test_constraints_apply_after_the_update():
    weight = lamina.Variable(np.array([1.0, 2.0], "float32"), name="w")
    weight.constraint = lambda value: ops.clip(value, 0.0, 1.5)
    optimizers.SGD(learning_rate=1.0).apply([ops.convert_to_tensor([2.0, -1.0])], [weight])
    assert_close(weight.numpy(), [0.0, 1.5])


def test_overwrite_with_gradient_variables_take_the_gradient():
    weights = _weights()
    weights[1].overwrite_with_gradient = True
    optimizer = optimizers.Adam()
    grads = _grads(weights)
    optimizer.apply(grads, weights)
    assert_close(weights[1].numpy(), ops.convert_to_numpy(grads[1]))
    assert len(optimizer.variables) == 2 + 2
    assert optimizer._momentums[1] is None


def test_gradient_clipping_functions():
    values = [ops.convert_to_tensor([3.0, 4.0]), ops.convert_to_tensor([0.0, 0.0])]
    assert_close(gradient_clipping.clip_by_norm(values[0], 1.0), [0.6, 0.8])
    assert_close(gradient_clipping.clip_by_norm(values[1], 1.0), [0.0, 0.0])
    assert_close(gradient_clipping.clip_by_norm(values[0], 10.0), [3.0, 4.0])
    clipped = gradient_clipping.clip_by_global_norm(values, 2.5)
    assert_close(clipped[0], [1.5, 2.0])
    assert_close(gradient_clipping.global_norm(values), 5.0)
    assert_close(gradient_clipping.clip_by_value(values[0], 3.5), [3.0, 3.5])


def test_weight_decay_exclusion_by_variable():
    weights = _weights()
    before = [np.array(w.numpy()) for w in weights]  # a copy: torch shares memory
    optimizer = optimizers.SGD(learning_rate=0.1, weight_decay=0.5)
    optimizer.exclude_from_weight_decay(var_list=[weights[0]])
    optimizer.apply([ops.zeros(w.shape) for w in weights], weights)
    assert_close(weights[0].numpy(), before[0])
    assert_close(weights[1].numpy(), before[1] * (1 - 0.5 * 0.1))


def test_ema_finalize_writes_the_averages():
    weight = lamina.Variable(np.array([1.0], "float32"), name="w")
    optimizer = optimizers.SGD(learning_rate=1.0, use_ema=True, ema_momentum=0.5)
    for _ in range(2):
        optimizer.apply([ops.convert_to_tensor([1.0])], [weight])
    # Step 1 copies the weight (0.0); step 2 averages 0.5 * 0.0 + 0.5 * (-1.0).
    optimizer.finalize_variable_values([weight])
    assert_close(weight.numpy(), [-0.5])


def test_set_weights_and_save_hooks_round_trip():
    weights = _weights()
    source = optimizers.Adam()
    source.apply(_grads(weights), weights)
    store = {}
    source.save_own_variables(store)
    target = optimizers.Adam()
    target.build(weights)
    target.load_own_variables(store)
    for mine, theirs in zip(target.variables, source.variables):
        assert_close(mine.numpy(), theirs.numpy())
    target.set_weights([v.numpy() for v in source.variables])
    with pytest.raises(ValueError, match="has shape"):
        target.set_weights([np.zeros((5,))])
    with pytest.warns(UserWarning, match="Skipping variable loading"):
        optimizers.Adam().load_own_variables(store)


# Keras 3.15's Variable.numpy() (used by its get_config) trips NumPy 2's `copy` deprecation.
@pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"
)
@pytest.mark.parametrize("identifier", ["sgd", "SGD", "adam", "Adam"])
def test_get_by_name_uses_keras_defaults(keras, identifier):
    ours = optimizers.get(identifier)
    theirs = keras.optimizers.get(identifier)
    assert type(ours).__name__ == type(theirs).__name__
    assert ours.get_config() == theirs.get_config()


def test_get_dicts_instances_and_errors():
    instance = optimizers.SGD()
    assert optimizers.get(instance) is instance
    assert optimizers.get(None) is None
    restored = optimizers.get(optimizers.serialize(optimizers.Adam(learning_rate=0.02, amsgrad=True)))
    assert restored.amsgrad and abs(float(restored.learning_rate.numpy()) - 0.02) < 1e-8
    with pytest.raises(ValueError, match="Unknown optimizer"):
        optimizers.get("rmsprop_plus")
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier"):
        optimizers.get(3)


@pytest.mark.jax_only
@pytest.mark.parametrize(
    "make",
    [
        lambda: optimizers.Adam(
            amsgrad=True, clipnorm=1.0, weight_decay=0.1, use_ema=True, ema_overwrite_frequency=2
        ),
        lambda: optimizers.SGD(
            momentum=0.5, nesterov=True, gradient_accumulation_steps=2, global_clipnorm=0.3
        ),
    ],
)
def test_stateless_apply_under_jit_equals_apply(make):
    import jax

    weights = _weights()
    twins = [lamina.Variable(w.numpy(), name=w.name) for w in weights]
    stateful = make()
    stateless = make()
    stateful.build(weights)
    stateless.build(twins)
    step = jax.jit(stateless.stateless_apply)
    optimizer_values = [v.value for v in stateless.variables]
    weight_values = [w.value for w in twins]
    for _ in range(5):
        grads = _grads(weights)
        stateful.apply(grads, weights)
        weight_values, optimizer_values = step(optimizer_values, grads, weight_values)
    for weight, value in zip(weights, weight_values):
        assert_close(value, weight.numpy())
    for variable, value in zip(stateful.variables, optimizer_values):
        assert_close(value, variable.numpy())
    # The stateless path does not touch the optimizer's own variables.
    assert int(stateless._iterations.numpy()) == 0


@pytest.mark.parametrize(
    "make",
    [
        lambda **kwargs: optimizers.SGD(learning_rate=0.1, momentum=0.9, **kwargs),
        lambda **kwargs: optimizers.Adam(learning_rate=0.01, clipnorm=0.5, **kwargs),
    ],
)
def test_gradient_accumulation_equals_updates_with_averaged_gradients(make):
    weights = _weights()
    twins = [lamina.Variable(w.numpy(), name=w.name) for w in weights]
    accumulating = make(gradient_accumulation_steps=3)
    plain = make()
    for group in range(2):
        group_grads = [_grads(weights) for _ in range(3)]
        before = [np.array(w.numpy()) for w in weights]  # a copy: torch shares memory
        for index, grads in enumerate(group_grads):
            accumulating.apply(grads, weights)
            if index < 2:
                for weight, value in zip(weights, before):
                    assert_close(weight.numpy(), value)
        averaged = [sum(ops.convert_to_numpy(g[i]) for g in group_grads) / 3 for i in range(len(weights))]
        plain.apply([ops.convert_to_tensor(g) for g in averaged], twins)
        for weight, twin in zip(weights, twins):
            assert_close(weight.numpy(), twin.numpy())
        assert int(ops.convert_to_numpy(accumulating.iterations)) == group + 1
    # The accumulators are empty again after each group.
    for accumulator in accumulating._accumulated_gradients:
        assert not np.any(accumulator.numpy())


def test_stateless_apply_checks_its_inputs():
    weights = _weights()
    optimizer = optimizers.SGD()
    with pytest.raises(ValueError, match="needs a built optimizer"):
        optimizer.stateless_apply([], _grads(weights), [w.value for w in weights])
    optimizer.build(weights)
    with pytest.raises(ValueError, match="optimizer_variables must match"):
        optimizer.stateless_apply([], _grads(weights), [w.value for w in weights])
