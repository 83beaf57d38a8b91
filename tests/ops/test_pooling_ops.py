"""Tests of lamina.ops.max_pool and lamina.ops.average_pool, against Keras 3 as the oracle."""

import os
import sys

import numpy as np
import pytest
from testing_utils import assert_close
from testing_utils import gradient
from testing_utils import numerical_gradient

import lamina
from lamina import ops


def _keras():
    """The real Keras (JAX backend), used as a numerical oracle."""
    if "keras" not in sys.modules:
        os.environ["KERAS_BACKEND"] = "jax"
    keras = pytest.importorskip("keras")
    if keras.backend.backend() != "jax":
        pytest.skip("keras was imported with another backend")
    return keras


def _input(spatial, data_format, channels=2, batch=2, seed=0):
    shape = (batch, *spatial, channels) if data_format == "channels_last" else (batch, channels, *spatial)
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


CASES = [
    ((7,), 2, None, "valid"),
    ((7,), 3, 2, "same"),
    ((8,), 4, 3, "same"),
    ((6,), 1, 1, "valid"),
    ((5, 7), (2, 3), None, "valid"),
    ((5, 7), 3, (2, 1), "same"),
    ((6, 6), 2, 2, "same"),
    ((4, 5, 6), 2, None, "valid"),
    ((4, 5, 6), (2, 3, 2), (1, 2, 3), "same"),
]


@pytest.mark.parametrize("op_name", ["max_pool", "average_pool"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("spatial, pool_size, strides, padding", CASES)
def test_matches_keras(op_name, data_format, spatial, pool_size, strides, padding):
    keras = _keras()
    x = _input(spatial, data_format)
    expected = getattr(keras.ops, op_name)(
        x,
        pool_size,
        strides=pool_size if strides is None else strides,
        padding=padding,
        data_format=data_format,
    )
    actual = getattr(ops, op_name)(x, pool_size, strides=strides, padding=padding, data_format=data_format)
    assert ops.dtype(actual) == "float32"
    assert_close(actual, np.asarray(expected))


@pytest.mark.parametrize("op_name", ["max_pool", "average_pool"])
@pytest.mark.parametrize("spatial, pool_size, strides, padding", CASES)
def test_symbolic_shape_matches_eager(op_name, spatial, pool_size, strides, padding):
    x = _input(spatial, "channels_last")
    eager = getattr(ops, op_name)(x, pool_size, strides=strides, padding=padding)
    symbolic = getattr(ops, op_name)(
        lamina.KerasTensor(x.shape, dtype="float32"), pool_size, strides=strides, padding=padding
    )
    assert symbolic.shape == tuple(ops.shape(eager))
    assert symbolic.dtype == ops.dtype(eager)


def test_symbolic_shape_with_unknown_axes():
    x = lamina.KerasTensor((None, 9, None, 3))
    assert ops.max_pool(x, 2).shape == (None, 4, None, 3)
    assert ops.average_pool(x, (3, 2), strides=2, padding="same").shape == (None, 5, None, 3)
    x = lamina.KerasTensor((None, 3, 9, 8), dtype="int32")
    assert ops.average_pool(x, 2, data_format="channels_first").shape == (None, 3, 4, 4)
    assert ops.average_pool(x, 2, data_format="channels_first").dtype == "float32"
    assert ops.max_pool(x, 2, data_format="channels_first").dtype == "int32"


def test_average_pool_same_excludes_padding():
    x = np.arange(5.0, dtype="float32").reshape(1, 5, 1)
    # Windows [0, 1], [2, 3] and [4, pad]: the last one averages only the real entry.
    assert_close(ops.average_pool(x, 2, padding="same"), np.array([0.5, 2.5, 4.0]).reshape(1, 3, 1))
    x = np.ones((1, 5, 5, 1), dtype="float32")
    assert_close(ops.average_pool(x, 3, strides=2, padding="same"), np.ones((1, 3, 3, 1)))


def test_max_pool_same_never_picks_padding():
    x = -np.ones((1, 5, 1), dtype="float32")
    assert_close(ops.max_pool(x, 2, padding="same"), -np.ones((1, 3, 1)))


def test_integer_inputs():
    x = np.array([3, 1, 4, 1, 5, 9], dtype="int32").reshape(1, 6, 1)
    max_result = ops.max_pool(x, 2)
    assert ops.dtype(max_result) == "int32"
    np.testing.assert_array_equal(ops.convert_to_numpy(max_result).ravel(), [3, 4, 9])
    average_result = ops.average_pool(x, 2)
    assert ops.dtype(average_result) == "float32"
    assert_close(average_result, np.array([2.0, 2.5, 7.0]).reshape(1, 3, 1))


def test_bad_arguments():
    x = np.zeros((1, 4, 4, 1), dtype="float32")
    with pytest.raises(ValueError, match="max_pool.*pool_size"):
        ops.max_pool(x, (2, 2, 2))
    with pytest.raises(ValueError, match="average_pool.*strides"):
        ops.average_pool(x, 2, strides=0)
    with pytest.raises(ValueError, match="max_pool.*padding"):
        ops.max_pool(x, 2, padding="full")
    with pytest.raises(ValueError, match="max_pool.*rank"):
        ops.max_pool(np.zeros((4, 4), dtype="float32"), 2)
    with pytest.raises(ValueError, match="average_pool.*larger"):
        ops.average_pool(x, 5)
    with pytest.raises(ValueError, match="data_format"):
        ops.max_pool(x, 2, data_format="channels_middle")


@pytest.mark.requires_trainable_backend
@pytest.mark.parametrize("op_name", ["max_pool", "average_pool"])
@pytest.mark.parametrize(
    "spatial, pool_size, strides, padding, data_format",
    [
        ((5,), 2, None, "same", "channels_last"),
        ((5, 4), (2, 3), (2, 1), "same", "channels_first"),
        ((3, 4, 3), 2, 1, "valid", "channels_last"),
    ],
)
def test_gradients_match_finite_differences(op_name, spatial, pool_size, strides, padding, data_format):
    x = _input(spatial, data_format, channels=1, batch=1, seed=3).astype("float64")

    def function(inputs):
        return getattr(ops, op_name)(
            inputs, pool_size, strides=strides, padding=padding, data_format=data_format
        )

    (actual,) = gradient(function, x)
    (expected,) = numerical_gradient(lambda inputs: ops.convert_to_numpy(function(inputs)), x)
    # JAX evaluates in float32 (x64 is off), so finite differences carry ~1e-3 noise.
    np.testing.assert_allclose(actual, expected, rtol=1e-2, atol=1e-2)
    assert np.abs(actual).sum() > 0


@pytest.mark.jax_only
def test_pooling_differentiates_inside_jit():
    import jax

    x = np.random.default_rng(0).normal(size=(2, 4, 4, 1)).astype("float32")

    def loss(inputs):
        pooled = ops.max_pool(inputs, 2, padding="same") + ops.average_pool(inputs, 2, padding="same")
        return ops.sum(pooled)

    grads = jax.jit(jax.grad(loss))(x)
    assert np.isfinite(np.asarray(grads)).all()
