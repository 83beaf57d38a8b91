"""LossScaleOptimizer against Keras 3 (the oracle): variables, every step, skipped steps, fit, files."""

import numpy as np
import pytest

import lamina
from lamina import optimizers
from tests.testing_utils import assert_close

pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")

RNG = np.random.default_rng(11)
SHAPES = [(3, 2), (2,)]
INITIAL = [RNG.normal(size=shape).astype("float32") for shape in SHAPES]
SCALE = 8.0
# Gradients of the scaled loss; step 2 overflows (inf) and step 4 is NaN: both are skipped.
GRADIENTS = [[RNG.normal(size=shape).astype("float32") * SCALE for shape in SHAPES] for _ in range(7)]
GRADIENTS[2][0][1, 1] = np.inf
GRADIENTS[4][1][0] = np.nan

INNER = {
    "sgd_momentum": ("SGD", {"learning_rate": 0.1, "momentum": 0.9}),
    "adam": ("Adam", {"learning_rate": 0.05}),
}


def _pair(keras, inner):
    class_name, kwargs = INNER[inner]
    ours = optimizers.LossScaleOptimizer(
        getattr(optimizers, class_name)(**kwargs), initial_scale=SCALE, dynamic_growth_steps=2
    )
    theirs = keras.optimizers.LossScaleOptimizer(
        getattr(keras.optimizers, class_name)(**kwargs), initial_scale=SCALE, dynamic_growth_steps=2
    )
    return ours, theirs


def _numpy_reference(gradients, growth_steps, scale):
    """The scale, counter and per-step "applied" flags, from the rule in plain Python."""
    counter, history = 0, []
    for step_gradients in gradients:
        finite = all(np.isfinite(g).all() for g in step_gradients)
        if finite:
            counter += 1
            if counter == growth_steps:
                counter, scale = 0, scale * 2
        else:
            counter, scale = 0, scale / 2
        history.append((finite, scale, counter))
    return history


@pytest.mark.parametrize("inner", sorted(INNER))
def test_every_step_matches_keras(keras, inner):
    keras.backend.clear_session()
    ours, theirs = _pair(keras, inner)
    our_weights = [lamina.Variable(value, name=f"w{index}") for index, value in enumerate(INITIAL)]
    their_weights = [keras.Variable(value, name=f"w{index}") for index, value in enumerate(INITIAL)]
    reference = _numpy_reference(GRADIENTS, 2, SCALE)
    # Keras's eager LossScaleOptimizer.apply leaks tracers on JAX (side effects inside a
    # lax.cond); its stateless_apply is what its JAX trainer runs, so it is the oracle.
    theirs.build(their_weights)
    their_values = [w.value for w in their_weights]
    their_state = [v.value for v in theirs.variables]
    for step, step_gradients in enumerate(GRADIENTS):
        before = [w.numpy().copy() for w in our_weights]
        ours.apply([lamina.ops.convert_to_tensor(g) for g in step_gradients], our_weights)
        their_grads = [keras.ops.convert_to_tensor(g) for g in step_gradients]
        their_values, their_state = theirs.stateless_apply(their_state, their_grads, their_values)
        for our_weight, their_value in zip(our_weights, their_values):
            assert_close(our_weight.numpy(), np.asarray(their_value), rtol=1e-6, atol=1e-7)
        assert [v.path for v in ours.variables] == [v.path for v in theirs.variables]
        for our_variable, their_value in zip(ours.variables, their_state):
            assert_close(our_variable.numpy(), np.asarray(their_value), rtol=1e-6, atol=1e-7)
        finite, scale, counter = reference[step]
        assert float(ours.dynamic_scale.numpy()) == scale
        assert int(ours.step_counter.numpy()) == counter
        if not finite:
            for old, our_weight in zip(before, our_weights):
                np.testing.assert_array_equal(our_weight.numpy(), old)
    assert int(ours.iterations.numpy()) == 5


def test_variables_and_config_match_keras(keras):
    keras.backend.clear_session()
    ours, theirs = _pair(keras, "adam")
    ours.build([lamina.Variable(INITIAL[0], name="w")])
    theirs.build([keras.Variable(INITIAL[0], name="w")])
    assert [v.path for v in ours.variables] == [v.path for v in theirs.variables]
    assert [str(v.dtype) for v in ours.variables] == [str(v.dtype) for v in theirs.variables]
    assert ours.get_config() == theirs.get_config()
    ours_serialized = lamina.saving.serialize_keras_object(ours)
    theirs_serialized = keras.saving.serialize_keras_object(theirs)
    assert ours_serialized == theirs_serialized
    rebuilt = lamina.saving.deserialize_keras_object(theirs_serialized)
    assert isinstance(rebuilt, optimizers.LossScaleOptimizer)
    assert isinstance(rebuilt.inner_optimizer, optimizers.Adam)
    assert rebuilt.get_config() == theirs.get_config()
    assert optimizers.deserialize(theirs_serialized).get_config() == theirs.get_config()
    assert keras.saving.deserialize_keras_object(ours_serialized).get_config() == ours.get_config()


def test_defaults_and_delegation(keras):
    keras.backend.clear_session()
    inner = optimizers.SGD(learning_rate=0.25, loss_scale_factor=4.0)
    ours = optimizers.LossScaleOptimizer(inner)
    theirs = keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(learning_rate=0.25))
    assert ours.get_config() == theirs.get_config()
    assert inner.loss_scale_factor is None
    assert ours.name == "loss_scale_optimizer"
    assert_close(float(ours.learning_rate.numpy()), 0.25)
    ours.learning_rate = 0.5
    assert_close(float(inner.learning_rate.numpy()), 0.5)
    assert ours.iterations is inner.iterations
    assert_close(float(ours.scale_loss(lamina.ops.convert_to_tensor(2.0))), 2.0 * 2**15)


def test_bad_arguments_raise():
    inner = optimizers.SGD()
    with pytest.raises(ValueError, match="dynamic=False"):
        optimizers.LossScaleOptimizer(inner, dynamic=False)
    with pytest.raises(ValueError, match="clipnorm"):
        optimizers.LossScaleOptimizer(inner, clipnorm=1.0)
    with pytest.raises(ValueError, match="does not support arguments"):
        optimizers.LossScaleOptimizer(inner, unknown=1)
    with pytest.raises(TypeError, match="inner_optimizer"):
        optimizers.LossScaleOptimizer("sgd")
    # Base arguments at their defaults are accepted, as Keras does.
    optimizers.LossScaleOptimizer(inner, use_ema=False, clipnorm=None)


@pytest.mark.requires_trainable_backend
def test_stateless_apply_matches_apply():
    weights = [lamina.Variable(value, name=f"w{index}") for index, value in enumerate(INITIAL)]
    optimizer = optimizers.LossScaleOptimizer(optimizers.SGD(0.1, momentum=0.9), initial_scale=SCALE)
    optimizer.build(weights)
    values = [w.value for w in weights]
    state = [v.value for v in optimizer.variables]
    for step_gradients in GRADIENTS[:4]:
        grads = [lamina.ops.convert_to_tensor(g) for g in step_gradients]
        values, state = optimizer.stateless_apply(state, grads, values)
        optimizer.apply(grads)
    for value, weight in zip(values, weights):
        assert_close(lamina.ops.convert_to_numpy(value), weight.numpy(), rtol=1e-6)
    for value, variable in zip(state, optimizer.variables):
        assert_close(lamina.ops.convert_to_numpy(value), variable.numpy(), rtol=1e-6)


# ---------------------------------------------------------------- in fit, vs Keras

X = RNG.normal(size=(24, 3)).astype("float32")
Y = RNG.normal(size=(24, 2)).astype("float32")

FIT = {
    # 2**126 times a loss > 2 overflows float32: the first steps are skipped and the scale halves.
    "overflowing_start": ("SGD", {"learning_rate": 0.1, "momentum": 0.5}, 2.0**126, 3),
    "growing_scale": ("Adam", {"learning_rate": 0.01}, 2.0**4, 2),
}


def _build(library, case):
    class_name, kwargs, initial_scale, growth_steps = FIT[case]
    model = library.Sequential(
        [library.Input((3,)), library.layers.Dense(4, activation="tanh"), library.layers.Dense(2)]
    )
    optimizer = library.optimizers.LossScaleOptimizer(
        getattr(library.optimizers, class_name)(**kwargs),
        initial_scale=initial_scale,
        dynamic_growth_steps=growth_steps,
    )
    model.compile(optimizer=optimizer, loss="mse")
    return model


@pytest.mark.requires_trainable_backend
@pytest.mark.parametrize("case", sorted(FIT))
def test_fit_matches_keras(keras, case):
    keras.backend.clear_session()
    theirs = _build(keras, case)
    ours = _build(lamina, case)
    ours.set_weights(theirs.get_weights())
    their_history = theirs.fit(X, Y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    our_history = ours.fit(X, Y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    assert_close(our_history.history["loss"], their_history.history["loss"], rtol=1e-5)
    for our_weight, their_weight in zip(ours.get_weights(), theirs.get_weights()):
        assert_close(our_weight, np.asarray(their_weight), rtol=1e-5, atol=1e-6)
    assert [v.path for v in ours.optimizer.variables] == [v.path for v in theirs.optimizer.variables]
    for our_variable, their_variable in zip(ours.optimizer.variables, theirs.optimizer.variables):
        assert_close(our_variable.numpy(), np.asarray(their_variable.numpy()), rtol=1e-5, atol=1e-6)
    if case == "overflowing_start":
        assert int(ours.optimizer.iterations.numpy()) < 12


@pytest.mark.requires_trainable_backend
@pytest.mark.parametrize("direction", ["lamina_to_keras", "keras_to_lamina"])
# Keras writes the inner optimizer's variables again under `optimizer/inner_optimizer`, and so
# does lamina: with that group missing Keras would warn (warnings are errors here).
def test_state_survives_a_keras_file(keras, tmp_path, direction):
    keras.backend.clear_session()
    writer, reader = (lamina, keras) if direction == "lamina_to_keras" else (keras, lamina)
    model = _build(writer, "growing_scale")
    model.fit(X, Y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    path = str(tmp_path / "model.keras")
    model.save(path)
    loaded = reader.saving.load_model(path)
    assert type(loaded.optimizer).__name__ == "LossScaleOptimizer"
    assert loaded.optimizer.get_config() == model.optimizer.get_config()
    # Slot paths follow the model variables' paths, which differ between a built and a loaded model.
    assert [tuple(v.shape) for v in loaded.optimizer.variables] == [
        tuple(v.shape) for v in model.optimizer.variables
    ]
    for loaded_variable, variable in zip(loaded.optimizer.variables, model.optimizer.variables):
        assert_close(np.asarray(loaded_variable.numpy()), np.asarray(variable.numpy()))


@pytest.mark.requires_trainable_backend
def test_fit_scales_the_loss_for_a_fixed_loss_scale_factor(keras):
    # The trainers differentiate `optimizer.scale_loss(loss)`, so a fixed factor cancels out as in Keras.
    keras.backend.clear_session()

    def build(library):
        model = library.Sequential([library.Input((3,)), library.layers.Dense(2)])
        model.compile(optimizer=library.optimizers.SGD(0.1, loss_scale_factor=64.0), loss="mse")
        return model

    theirs, ours = build(keras), build(lamina)
    ours.set_weights(theirs.get_weights())
    theirs.fit(X, Y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    ours.fit(X, Y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    for our_weight, their_weight in zip(ours.get_weights(), theirs.get_weights()):
        assert_close(our_weight, np.asarray(their_weight), rtol=1e-5, atol=1e-6)
