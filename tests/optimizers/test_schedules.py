"""Learning rate schedules against Keras 3 (the oracle) and NumPy formulas: values, configs, fit, files."""

import math

import jax
import numpy as np
import pytest

import lamina
from lamina.backend.common.dtypes import standardize_dtype
from lamina.optimizers import schedules
from tests.testing_utils import assert_close

STEPS = [0, 1, 2, 3, 5, 7, 10, 11, 15, 20, 29, 30, 31, 47, 64, 100, 150, 1000]

pytestmark = [
    pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning"),
    # A compiled, never-trained model saves only the optimizer's iteration; Keras warns on
    # loading it into the optimizer it builds (for its own such files too).
    pytest.mark.filterwarnings("ignore:Skipping variable loading for optimizer:UserWarning"),
]


def _exponential(step, lr, decay_steps, rate, staircase=False):
    exponent = step / decay_steps
    return lr * rate ** (math.floor(exponent) if staircase else exponent)


def _inverse_time(step, lr, decay_steps, rate, staircase=False):
    progress = step / decay_steps
    return lr / (1 + rate * (math.floor(progress) if staircase else progress))


def _polynomial(step, lr, decay_steps, end=0.0001, power=1.0, cycle=False):
    if cycle:
        decay_steps = decay_steps * (1 if step == 0 else math.ceil(step / decay_steps))
    else:
        step = min(step, decay_steps)
    return (lr - end) * (1 - step / decay_steps) ** power + end


def _piecewise(step, boundaries, values):
    for boundary, value in zip(boundaries, values):
        if step <= boundary:
            return value
    return values[-1]


def _cosine(step, lr, decay_steps, alpha=0.0, warmup_target=None, warmup_steps=0):
    if warmup_target is not None:
        step = min(step, decay_steps + warmup_steps)
        if step < warmup_steps:
            return lr + (warmup_target - lr) * step / warmup_steps
        lr, step = warmup_target, step - warmup_steps
    step = min(step, decay_steps)
    return lr * ((1 - alpha) * 0.5 * (1 + math.cos(math.pi * step / decay_steps)) + alpha)


def _restarts(step, lr, first, t_mul=2.0, m_mul=1.0, alpha=0.0):
    period, start, restart = first, 0, 0
    while step >= start + period:
        start, period, restart = start + period, period * t_mul, restart + 1
    fraction = (step - start) / period
    return lr * ((1 - alpha) * m_mul**restart * 0.5 * (1 + math.cos(math.pi * fraction)) + alpha)


# name -> (class name, args, kwargs, NumPy/Python formula taking the step)
CASES = {
    "exponential": ("ExponentialDecay", (0.1, 10, 0.96), {}, lambda s: _exponential(s, 0.1, 10, 0.96)),
    "exponential_staircase": (
        "ExponentialDecay",
        (0.5, 7, 0.5),
        {"staircase": True, "name": "stairs"},
        lambda s: _exponential(s, 0.5, 7, 0.5, True),
    ),
    "inverse_time": ("InverseTimeDecay", (0.1, 3, 0.5), {}, lambda s: _inverse_time(s, 0.1, 3, 0.5)),
    "inverse_time_staircase": (
        "InverseTimeDecay",
        (0.2, 4, 2.0),
        {"staircase": True},
        lambda s: _inverse_time(s, 0.2, 4, 2.0, True),
    ),
    "polynomial": ("PolynomialDecay", (0.1, 30), {}, lambda s: _polynomial(s, 0.1, 30)),
    "polynomial_power_cycle": (
        "PolynomialDecay",
        (0.1, 30),
        {"end_learning_rate": 0.01, "power": 0.5, "cycle": True},
        lambda s: _polynomial(s, 0.1, 30, 0.01, 0.5, True),
    ),
    "piecewise": (
        "PiecewiseConstantDecay",
        ([10, 30, 100], [1.0, 0.5, 0.1, 0.01]),
        {},
        lambda s: _piecewise(s, [10, 30, 100], [1.0, 0.5, 0.1, 0.01]),
    ),
    "piecewise_one_boundary": (
        "PiecewiseConstantDecay",
        ([20], [0.3, 0.03]),
        {"name": "two_rates"},
        lambda s: _piecewise(s, [20], [0.3, 0.03]),
    ),
    "cosine": ("CosineDecay", (0.1, 100), {}, lambda s: _cosine(s, 0.1, 100)),
    "cosine_alpha": ("CosineDecay", (0.1, 64), {"alpha": 0.1}, lambda s: _cosine(s, 0.1, 64, 0.1)),
    "cosine_warmup": (
        "CosineDecay",
        (0.0, 100),
        {"warmup_target": 0.2, "warmup_steps": 20, "alpha": 0.05},
        lambda s: _cosine(s, 0.0, 100, 0.05, 0.2, 20),
    ),
    "restarts": ("CosineDecayRestarts", (0.1, 10), {}, lambda s: _restarts(s, 0.1, 10)),
    "restarts_constant_period": (
        "CosineDecayRestarts",
        (0.1, 10),
        {"t_mul": 1.0, "m_mul": 0.5, "alpha": 0.1},
        lambda s: _restarts(s, 0.1, 10, 1.0, 0.5, 0.1),
    ),
    "restarts_t_mul_3": (
        "CosineDecayRestarts",
        (0.05, 5),
        {"t_mul": 3.0, "m_mul": 0.9},
        lambda s: _restarts(s, 0.05, 5, 3.0, 0.9),
    ),
}


def _pair(keras, case):
    class_name, args, kwargs, formula = CASES[case]
    ours = getattr(schedules, class_name)(*args, **kwargs)
    theirs = getattr(keras.optimizers.schedules, class_name)(*args, **kwargs)
    return ours, theirs, formula


@pytest.mark.parametrize("case", sorted(CASES))
def test_values_match_keras_and_formula(keras, case):
    ours, theirs, formula = _pair(keras, case)
    our_values = np.array([float(ours(step)) for step in STEPS])
    if case.startswith("restarts"):
        # Keras's eager CosineDecayRestarts compiles a lax.cond per call (~0.3 s a step);
        # vectorized, the cond becomes a select and runs once.
        their_values = np.asarray(jax.vmap(theirs)(np.array(STEPS, dtype="int32")))
    else:
        # Eagerly, step by step: under vmap Keras's PolynomialDecay(cycle=True) rounds
        # 150 / 30 above 5 and returns another value than its eager self.
        their_values = np.array([float(theirs(step)) for step in STEPS])
    expected = np.array([formula(step) for step in STEPS])
    # atol: 1e-6 of the scale; near a cosine's zero float32 log/cos rounding differs by ulps.
    assert_close(our_values, their_values, rtol=1e-6, atol=1e-7)
    # float32 against float64: the step / decay_steps rounding dominates.
    assert_close(our_values, expected, rtol=1e-5, atol=1e-7)
    assert standardize_dtype(ours(3).dtype) == "float32"


@pytest.mark.parametrize("case", sorted(CASES))
def test_called_with_a_variable_or_tensor_step(case):
    class_name, args, kwargs, formula = CASES[case]
    schedule = getattr(schedules, class_name)(*args, **kwargs)
    step = lamina.Variable(15, dtype="int32", trainable=False)
    assert_close(float(schedule(step)), formula(15), rtol=1e-5)
    assert_close(float(schedule(lamina.ops.convert_to_tensor(15))), formula(15), rtol=1e-5)


@pytest.mark.parametrize("case", sorted(CASES))
def test_config_and_serialization_match_keras(keras, case):
    ours, theirs, _ = _pair(keras, case)
    assert ours.get_config() == theirs.get_config()
    ours_serialized = lamina.saving.serialize_keras_object(ours)
    theirs_serialized = keras.saving.serialize_keras_object(theirs)
    assert ours_serialized == theirs_serialized
    assert schedules.serialize(ours) == theirs_serialized
    rebuilt = lamina.saving.deserialize_keras_object(theirs_serialized)
    assert type(rebuilt) is type(ours)
    assert rebuilt.get_config() == theirs.get_config()
    assert schedules.deserialize(theirs_serialized).get_config() == theirs.get_config()
    back = keras.saving.deserialize_keras_object(ours_serialized)
    assert back.get_config() == ours.get_config()


def test_defaults_match_keras(keras):
    pairs = [
        (schedules.ExponentialDecay(0.1, 5, 0.9), keras.optimizers.schedules.ExponentialDecay(0.1, 5, 0.9)),
        (schedules.InverseTimeDecay(0.1, 5, 0.9), keras.optimizers.schedules.InverseTimeDecay(0.1, 5, 0.9)),
        (schedules.PolynomialDecay(0.1, 5), keras.optimizers.schedules.PolynomialDecay(0.1, 5)),
        (schedules.CosineDecay(0.1, 5), keras.optimizers.schedules.CosineDecay(0.1, 5)),
        (schedules.CosineDecayRestarts(0.1, 5), keras.optimizers.schedules.CosineDecayRestarts(0.1, 5)),
        (
            schedules.PiecewiseConstantDecay([1], [0.1, 0.2]),
            keras.optimizers.schedules.PiecewiseConstantDecay([1], [0.1, 0.2]),
        ),
    ]
    for ours, theirs in pairs:
        assert ours.get_config() == theirs.get_config()


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="decay_steps"):
        schedules.ExponentialDecay(0.1, 0, 0.9)
    with pytest.raises(ValueError, match="decay_steps"):
        schedules.CosineDecay(0.1, -1)
    with pytest.raises(ValueError, match="first_decay_steps"):
        schedules.CosineDecayRestarts(0.1, 0)
    with pytest.raises(ValueError, match="length of boundaries"):
        schedules.PiecewiseConstantDecay([1, 2], [0.1, 0.2])
    with pytest.raises(NotImplementedError):
        schedules.LearningRateSchedule()(1)


def test_optimizer_config_nests_the_schedule_like_keras(keras):
    keras.backend.clear_session()  # Keras's automatic names ("adam", not "adam_1") as lamina's
    ours = lamina.optimizers.Adam(learning_rate=schedules.CosineDecay(0.1, 10, alpha=0.1))
    theirs = keras.optimizers.Adam(learning_rate=keras.optimizers.schedules.CosineDecay(0.1, 10, alpha=0.1))
    assert ours.get_config() == theirs.get_config()
    assert [v.name for v in ours.variables] == [v.name for v in theirs.variables] == ["iteration"]
    rebuilt = lamina.optimizers.Adam.from_config(theirs.get_config())
    assert isinstance(rebuilt.learning_rate, lamina.KerasTensor) is False
    assert isinstance(rebuilt._learning_rate, schedules.CosineDecay)
    assert keras.optimizers.Adam.from_config(ours.get_config()).get_config() == theirs.get_config()


def test_optimizer_learning_rate_follows_the_iterations():
    schedule = schedules.PiecewiseConstantDecay([1], [0.5, 0.1])
    optimizer = lamina.optimizers.SGD(learning_rate=schedule)
    weight = lamina.Variable([1.0], name="weight")
    rates = []
    for _ in range(3):
        rates.append(float(optimizer.learning_rate))
        optimizer.apply([lamina.ops.convert_to_tensor([1.0])], [weight])
    assert_close(rates, [0.5, 0.5, 0.1])
    assert_close(weight.numpy(), [1.0 - 0.5 - 0.5 - 0.1])


def test_plain_callable_learning_rate():
    optimizer = lamina.optimizers.SGD(learning_rate=lambda: 0.25)
    weight = lamina.Variable([1.0], name="weight")
    optimizer.apply([lamina.ops.convert_to_tensor([2.0])], [weight])
    assert_close(weight.numpy(), [0.5])
    assert [v.name for v in optimizer.variables] == ["iteration"]


# ---------------------------------------------------------------- training with a schedule, vs Keras

RNG = np.random.default_rng(3)
X = RNG.normal(size=(24, 3)).astype("float32")
Y = RNG.normal(size=(24, 2)).astype("float32")

TRAINING = {
    "sgd_exponential": ("SGD", {"momentum": 0.5}, "ExponentialDecay", (0.1, 2, 0.5), {}),
    "adam_cosine_warmup": (
        "Adam",
        {},
        "CosineDecay",
        (0.0, 4),
        {"warmup_target": 0.05, "warmup_steps": 3, "alpha": 0.1},
    ),
    "sgd_piecewise": ("SGD", {}, "PiecewiseConstantDecay", ([2, 5], [0.2, 0.05, 0.01]), {}),
    "adam_restarts": ("Adam", {}, "CosineDecayRestarts", (0.05, 2), {"t_mul": 2.0, "m_mul": 0.5}),
}


def _build(library, case):
    optimizer_name, optimizer_kwargs, schedule_name, args, kwargs = TRAINING[case]
    schedule = getattr(library.optimizers.schedules, schedule_name)(*args, **kwargs)
    model = library.Sequential(
        [library.Input((3,)), library.layers.Dense(4, activation="tanh"), library.layers.Dense(2)]
    )
    optimizer = getattr(library.optimizers, optimizer_name)(learning_rate=schedule, **optimizer_kwargs)
    model.compile(optimizer=optimizer, loss="mse")
    return model


@pytest.mark.requires_trainable_backend
@pytest.mark.parametrize("case", sorted(TRAINING))
def test_fit_with_a_schedule_matches_keras(keras, case):
    theirs = _build(keras, case)
    ours = _build(lamina, case)
    ours.set_weights(theirs.get_weights())
    theirs.fit(X, Y, batch_size=6, epochs=2, shuffle=False, verbose=0)
    ours.fit(X, Y, batch_size=6, epochs=2, shuffle=False, verbose=0)
    assert int(ours.optimizer.iterations.numpy()) == 8
    for our_weight, their_weight in zip(ours.get_weights(), theirs.get_weights()):
        assert_close(our_weight, np.asarray(their_weight), rtol=1e-5, atol=1e-6)
    assert_close(
        float(ours.optimizer.learning_rate), float(theirs.optimizer.learning_rate), rtol=1e-6, atol=1e-9
    )


@pytest.mark.requires_trainable_backend
def test_fit_with_a_callable_learning_rate_matches_a_float():
    def build(learning_rate):
        lamina.backend.clear_session()
        lamina.random.seed_generator.set_random_seed(5)
        model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)])
        model.compile(optimizer=lamina.optimizers.SGD(learning_rate=learning_rate), loss="mse")
        model.fit(X, Y, batch_size=8, epochs=1, shuffle=False, verbose=0)
        return model.get_weights()

    for with_callable, with_float in zip(build(lambda: 0.05), build(0.05)):
        assert_close(with_callable, with_float, rtol=1e-6)


# ---------------------------------------------------------------- .keras files, both ways


@pytest.mark.parametrize("direction", ["keras_to_lamina", "lamina_to_keras"])
def test_schedule_survives_a_keras_file(keras, tmp_path, direction):
    writer, reader = (keras, lamina) if direction == "keras_to_lamina" else (lamina, keras)
    schedule = writer.optimizers.schedules.CosineDecay(0.1, 50, alpha=0.2, warmup_target=0.3, warmup_steps=5)
    model = writer.Sequential([writer.Input((3,)), writer.layers.Dense(2)])
    model.compile(optimizer=writer.optimizers.Adam(learning_rate=schedule), loss="mse")
    path = str(tmp_path / "model.keras")
    model.save(path)
    loaded = reader.saving.load_model(path)
    loaded_schedule = loaded.optimizer._learning_rate
    assert type(loaded_schedule).__name__ == "CosineDecay"
    assert loaded_schedule.get_config() == schedule.get_config()
    assert_close(float(loaded_schedule(7)), float(schedule(7)), rtol=1e-6)
