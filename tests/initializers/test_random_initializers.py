"""Random initializers: statistics, seeding, orthogonality."""

import math

import numpy as np
import pytest

import lamina
from lamina import initializers
from lamina import ops
from lamina.initializers.variance_scaling_initializers import compute_fans

SHAPE = (200, 300)  # 60,000 draws: sample variances within ~1.5% of the truth.
FAN_IN, FAN_OUT = SHAPE


def _draw(initializer, shape=SHAPE, dtype=None):
    return ops.convert_to_numpy(initializer(shape, dtype=dtype)).astype("float64")


@pytest.mark.parametrize(
    "cls, variance, uniform",
    [
        (initializers.GlorotUniform, 2.0 / (FAN_IN + FAN_OUT), True),
        (initializers.GlorotNormal, 2.0 / (FAN_IN + FAN_OUT), False),
        (initializers.HeNormal, 2.0 / FAN_IN, False),
        (initializers.HeUniform, 2.0 / FAN_IN, True),
        (initializers.LecunNormal, 1.0 / FAN_IN, False),
        (initializers.LecunUniform, 1.0 / FAN_IN, True),
    ],
)
def test_named_variance_scaling_statistics(cls, variance, uniform):
    values = _draw(cls(seed=3))
    assert values.shape == SHAPE
    # The standard error of the mean is stddev / sqrt(60000) ~ 0.004 stddev.
    assert abs(values.mean()) < 0.02 * math.sqrt(variance)
    np.testing.assert_allclose(values.var(), variance, rtol=0.05)
    if uniform:
        assert np.abs(values).max() <= math.sqrt(3 * variance) + 1e-6
    else:
        # Truncated at two (pre-truncation) standard deviations.
        assert np.abs(values).max() <= 2 * math.sqrt(variance) / 0.87962566103423978 + 1e-6


@pytest.mark.parametrize(
    "mode, distribution, fan",
    [
        ("fan_in", "truncated_normal", FAN_IN),
        ("fan_out", "untruncated_normal", FAN_OUT),
        ("fan_avg", "uniform", (FAN_IN + FAN_OUT) / 2),
        ("fan_out", "normal", FAN_OUT),
    ],
)
def test_variance_scaling_modes(mode, distribution, fan):
    values = _draw(initializers.VarianceScaling(scale=3.0, mode=mode, distribution=distribution, seed=1))
    np.testing.assert_allclose(values.var(), 3.0 / fan, rtol=0.05)


def test_variance_scaling_uses_the_receptive_field_for_convolution_kernels():
    assert compute_fans((3, 3, 16, 32)) == (144, 288)
    values = _draw(initializers.HeNormal(seed=2), shape=(3, 3, 64, 64))
    np.testing.assert_allclose(values.var(), 2.0 / (9 * 64), rtol=0.05)


def test_compute_fans_edge_cases():
    assert compute_fans(()) == (1, 1)
    assert compute_fans((7,)) == (7, 7)
    assert compute_fans((4, 5, 6), input_axes=[0, 1], output_axes=[2]) == (20, 6)


def test_variance_scaling_validates_its_arguments():
    with pytest.raises(ValueError, match="positive scale"):
        initializers.VarianceScaling(scale=0.0)
    with pytest.raises(ValueError, match="mode"):
        initializers.VarianceScaling(mode="fan_sideways")
    with pytest.raises(ValueError, match="distribution"):
        initializers.VarianceScaling(distribution="cauchy")


def test_random_normal_uniform_truncated_statistics():
    values = _draw(initializers.RandomNormal(mean=1.0, stddev=2.0, seed=1))
    np.testing.assert_allclose([values.mean(), values.std()], [1.0, 2.0], rtol=0.03, atol=0.03)
    values = _draw(initializers.RandomUniform(minval=-1.0, maxval=3.0, seed=1))
    assert values.min() >= -1.0 and values.max() < 3.0
    np.testing.assert_allclose([values.mean(), values.var()], [1.0, 16.0 / 12.0], rtol=0.03, atol=0.03)
    values = _draw(initializers.TruncatedNormal(mean=0.5, stddev=1.0, seed=1))
    assert values.min() >= 0.5 - 2.0 - 1e-6 and values.max() <= 0.5 + 2.0 + 1e-6
    # A unit normal truncated to [-2, 2] has stddev 0.8796.
    np.testing.assert_allclose(values.std(), 0.87962566103423978, rtol=0.03)


@pytest.mark.parametrize(
    "cls",
    [
        initializers.RandomNormal,
        initializers.RandomUniform,
        initializers.TruncatedNormal,
        initializers.GlorotUniform,
        initializers.HeNormal,
        initializers.Orthogonal,
    ],
)
def test_int_seed_gives_the_same_values_every_call(cls):
    initializer = cls(seed=7)
    first, second = _draw(initializer, (6, 5)), _draw(initializer, (6, 5))
    np.testing.assert_array_equal(first, second)
    np.testing.assert_array_equal(first, _draw(cls(seed=7), (6, 5)))
    assert not np.array_equal(first, _draw(cls(seed=8), (6, 5)))


def test_seed_generator_gives_new_values_every_call():
    initializer = initializers.RandomNormal(seed=lamina.random.SeedGenerator(3))
    assert not np.array_equal(_draw(initializer, (5,)), _draw(initializer, (5,)))


def test_unseeded_initializers_draw_from_the_global_generator():
    initializer = initializers.GlorotUniform()
    first, second = _draw(initializer, (5, 5)), _draw(initializer, (5, 5))
    assert not np.array_equal(first, second)
    lamina.random.seed_generator.set_random_seed(5)
    again = _draw(initializers.GlorotUniform(), (5, 5))
    lamina.random.seed_generator.set_random_seed(5)
    np.testing.assert_array_equal(again, _draw(initializers.GlorotUniform(), (5, 5)))


def test_random_initializers_reject_bad_seeds_and_int_dtypes():
    with pytest.raises(ValueError, match="seed"):
        initializers.RandomNormal(seed="abc")
    with pytest.raises(ValueError, match="int32"):
        initializers.RandomNormal(seed=1)((2,), dtype="int32")


def test_dtype_argument_is_respected():
    assert ops.dtype(initializers.RandomUniform(seed=1)((3,), dtype="float16")) == "float16"
    assert ops.dtype(initializers.GlorotNormal(seed=1)((3, 3))) == "float32"


@pytest.mark.parametrize("shape", [(4, 6), (6, 4), (3, 3, 4, 5)])
def test_orthogonal_is_orthogonal(shape):
    gain = 1.5
    values = _draw(initializers.Orthogonal(gain=gain, seed=4), shape=shape)
    assert values.shape == shape
    matrix = values.reshape(-1, shape[-1]) / gain
    if matrix.shape[0] < matrix.shape[1]:
        np.testing.assert_allclose(matrix @ matrix.T, np.eye(matrix.shape[0]), atol=1e-5)
    else:
        np.testing.assert_allclose(matrix.T @ matrix, np.eye(matrix.shape[1]), atol=1e-5)


def test_orthogonal_needs_rank_two():
    with pytest.raises(ValueError, match="rank >= 2"):
        initializers.Orthogonal()((3,))


def test_orthogonal_aliases():
    assert initializers.OrthogonalInitializer is initializers.Orthogonal
    assert isinstance(initializers.get("orthogonal"), initializers.Orthogonal)
    assert isinstance(initializers.get("OrthogonalInitializer"), initializers.Orthogonal)
