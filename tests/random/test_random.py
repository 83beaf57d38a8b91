"""Tests of lamina.random: distributions (loosely), seeding, SeedGenerator, dropout under jit."""

import numpy as np
import pytest

import lamina
from lamina import ops
from lamina import random
from lamina.random.seed_generator import set_random_seed

SAMPLES = 20000


def _numpy(x):
    return ops.convert_to_numpy(x)


def test_normal_statistics():
    x = _numpy(random.normal((SAMPLES,), mean=2.0, stddev=3.0, seed=1))
    assert x.dtype == np.float32 and x.shape == (SAMPLES,)
    assert abs(x.mean() - 2.0) < 0.1
    assert abs(x.std() - 3.0) < 0.1


def test_uniform_statistics():
    x = _numpy(random.uniform((SAMPLES,), minval=-1.0, maxval=3.0, seed=2))
    assert x.min() >= -1.0 and x.max() < 3.0
    assert abs(x.mean() - 1.0) < 0.05
    assert abs(x.var() - 16.0 / 12.0) < 0.05


def test_truncated_normal_statistics():
    x = _numpy(random.truncated_normal((SAMPLES,), mean=1.0, stddev=0.5, seed=3))
    assert np.all(np.abs(x - 1.0) <= 1.0 + 1e-6)
    assert abs(x.mean() - 1.0) < 0.02
    # A standard normal truncated to [-2, 2] has standard deviation ~0.8796.
    assert abs(x.std() - 0.5 * 0.8796) < 0.02


def test_randint():
    x = _numpy(random.randint((SAMPLES,), minval=-2, maxval=3, seed=4))
    assert x.dtype == np.int32
    assert set(np.unique(x).tolist()) == {-2, -1, 0, 1, 2}
    counts = np.bincount(x + 2) / SAMPLES
    assert np.all(np.abs(counts - 0.2) < 0.02)
    assert _numpy(random.randint((3,), 0, 5, dtype="int16", seed=4)).dtype.kind == "i"


def test_categorical_frequencies_follow_softmax():
    logits = np.log(np.array([[0.1, 0.2, 0.7], [0.5, 0.5, 1e-9]], dtype="float32"))
    samples = _numpy(random.categorical(logits, 5000, seed=5))
    assert samples.shape == (2, 5000) and samples.dtype == np.int32
    frequencies = np.stack([np.bincount(row, minlength=3) / 5000 for row in samples])
    assert np.all(np.abs(frequencies - np.exp(logits)) < 0.03)


def test_dropout():
    x = np.ones((100, 100), dtype="float32")
    y = _numpy(random.dropout(x, 0.3, seed=6))
    kept = y != 0
    assert abs(kept.mean() - 0.7) < 0.02
    np.testing.assert_allclose(y[kept], 1.0 / 0.7, rtol=1e-6)
    assert _numpy(random.dropout(x, 0.0, seed=6)).tolist() == x.tolist()
    with pytest.raises(ValueError, match="dropout rate must be in"):
        random.dropout(x, 1.0)


def test_dropout_noise_shape_broadcasts():
    x = np.ones((8, 50), dtype="float32")
    y = _numpy(random.dropout(x, 0.5, noise_shape=(1, 50), seed=7))
    # One mask shared by every row.
    assert np.all(y == y[:1])
    y = _numpy(random.dropout(x, 0.5, noise_shape=(None, 1), seed=7))
    assert np.all(y == y[:, :1])


def test_shuffle_is_a_permutation():
    x = np.arange(40, dtype="float32").reshape(20, 2)
    y = _numpy(random.shuffle(x, seed=8))
    assert sorted(y[:, 0].tolist()) == x[:, 0].tolist()
    np.testing.assert_array_equal(y[:, 1], y[:, 0] + 1)
    assert y[:, 0].tolist() != x[:, 0].tolist()
    columns = _numpy(random.shuffle(x.T.copy(), axis=1, seed=8))
    assert sorted(columns[0].tolist()) == x[:, 0].tolist()


DRAWS = {
    "normal": lambda seed: random.normal((5,), seed=seed),
    "uniform": lambda seed: random.uniform((5,), seed=seed),
    "truncated_normal": lambda seed: random.truncated_normal((5,), seed=seed),
    "randint": lambda seed: random.randint((5,), 0, 1000, seed=seed),
    "categorical": lambda seed: random.categorical(np.zeros((1, 1000), dtype="float32"), 5, seed=seed),
    "dropout": lambda seed: random.dropout(np.ones((20,), dtype="float32"), 0.5, seed=seed),
    "shuffle": lambda seed: random.shuffle(np.arange(20), seed=seed),
}


@pytest.mark.parametrize("name", sorted(DRAWS))
def test_int_seeds_are_deterministic(name):
    draw = DRAWS[name]
    first, second, other = _numpy(draw(42)), _numpy(draw(42)), _numpy(draw(43))
    np.testing.assert_array_equal(first, second)
    assert not np.array_equal(first, other)


@pytest.mark.parametrize("name", sorted(DRAWS))
def test_seed_generator_advances_and_replays(name):
    draw = DRAWS[name]
    generator = random.SeedGenerator(seed=7)
    first, second = _numpy(draw(generator)), _numpy(draw(generator))
    assert not np.array_equal(first, second)
    replay = random.SeedGenerator(seed=7)
    np.testing.assert_array_equal(_numpy(draw(replay)), first)
    np.testing.assert_array_equal(_numpy(draw(replay)), second)


def test_seed_generator_state():
    generator = random.SeedGenerator(seed=3)
    start = _numpy(generator.state.value).tolist()
    seed = generator.next()
    assert _numpy(seed).tolist() == start
    assert _numpy(generator.state.value).tolist() == [start[0], start[1] + 1]
    assert generator.state.trainable is False
    assert random.SeedGenerator.from_config(generator.get_config()).get_config() == {"seed": 3}
    with pytest.raises(ValueError, match="SeedGenerator seed must be an int"):
        random.SeedGenerator(seed=1.5)


def test_set_random_seed_makes_unseeded_draws_repeatable():
    set_random_seed(11)
    first = _numpy(random.uniform((4,)))
    second = _numpy(random.uniform((4,)))
    set_random_seed(11)
    np.testing.assert_array_equal(_numpy(random.uniform((4,))), first)
    np.testing.assert_array_equal(_numpy(random.uniform((4,))), second)
    assert not np.array_equal(first, second)
    with pytest.raises(ValueError, match="set_random_seed expects an int"):
        set_random_seed("1")


def test_bad_seed_raises():
    with pytest.raises(ValueError, match="seed must be an int, a lamina.random.SeedGenerator or None"):
        random.normal((2,), seed="seven")


@pytest.mark.jax_only
def test_dropout_under_jit_with_threaded_seed_state():
    import jax

    generator = random.SeedGenerator(seed=5)

    @jax.jit
    def step(seed_state, x):
        with lamina.backend.StatelessScope([(generator.state, seed_state)]) as scope:
            y = random.dropout(x, 0.5, seed=generator)
            new_state = scope.get_current_value(generator.state)
        return y, new_state

    x = np.ones((200,), dtype="float32")
    state = generator.state.value
    first, state_after_first = step(state, x)
    second, state_after_second = step(state_after_first, x)
    replay, _ = step(state, x)
    assert not np.array_equal(_numpy(first), _numpy(second))
    np.testing.assert_array_equal(_numpy(first), _numpy(replay))
    assert _numpy(state_after_second).tolist() == [_numpy(state)[0], _numpy(state)[1] + 2]
    assert abs((_numpy(first) != 0).mean() - 0.5) < 0.15
    # The Python object is untouched: the new state lives in the returned value.
    assert _numpy(generator.state.value).tolist() == _numpy(state).tolist()


@pytest.mark.jax_only
def test_unseeded_random_op_in_stateless_scope_raises():
    with lamina.backend.StatelessScope():
        with pytest.raises(ValueError, match="seed=None inside a compiled"):
            random.normal((2,))
