"""`lamina.ops.nn_linear.linear` (Dense's product plus bias) against NumPy, forward and gradient."""

import numpy as np
import pytest

import lamina
from lamina import ops
from lamina.ops.nn_linear import linear
from tests.testing_utils import assert_close
from tests.testing_utils import gradient
from tests.testing_utils import numerical_gradient

RNG = np.random.default_rng(0)


@pytest.mark.parametrize("input_shape", [(4, 3), (2, 5, 3), (3,)])
def test_linear_matches_numpy(input_shape):
    inputs = RNG.normal(size=input_shape).astype("float32")
    kernel = RNG.normal(size=(3, 6)).astype("float32")
    bias = RNG.normal(size=(6,)).astype("float32")
    assert_close(ops.convert_to_numpy(linear(inputs, kernel, bias)), inputs @ kernel + bias, atol=1e-5)
    assert_close(ops.convert_to_numpy(linear(inputs, kernel)), inputs @ kernel, atol=1e-5)


def test_linear_takes_variables_and_promotes_like_matmul_then_add():
    kernel = lamina.Variable(np.ones((3, 2), "float32"))
    bias = lamina.Variable(np.full((2,), 0.5, "float32"))
    outputs = linear(np.ones((2, 3), "float32"), kernel, bias)
    assert_close(ops.convert_to_numpy(outputs), np.full((2, 2), 3.5, "float32"))
    arguments = (np.ones((2, 3), "int32"), np.ones((3, 2), "float32"), np.ones((2,), "float16"))
    mixed = linear(*arguments)
    expected = ops.add(ops.matmul(arguments[0], arguments[1]), arguments[2])
    assert ops.dtype(mixed) == ops.dtype(expected)
    assert_close(ops.convert_to_numpy(mixed), ops.convert_to_numpy(expected))


def test_linear_broadcasts_a_bias_of_another_shape():
    inputs = RNG.normal(size=(4, 3)).astype("float32")
    kernel = RNG.normal(size=(3, 2)).astype("float32")
    bias = RNG.normal(size=(4, 1)).astype("float32")
    assert_close(ops.convert_to_numpy(linear(inputs, kernel, bias)), inputs @ kernel + bias, atol=1e-5)


def test_linear_symbolic_shape_and_errors():
    outputs = linear(lamina.KerasTensor((None, 5, 3)), lamina.KerasTensor((3, 4)), lamina.KerasTensor((4,)))
    assert outputs.shape == (None, 5, 4)
    with pytest.raises(ValueError, match="matmul"):
        linear(lamina.KerasTensor((None, 3)), lamina.KerasTensor((2, 4)), lamina.KerasTensor((4,)))


@pytest.mark.requires_trainable_backend
def test_linear_gradient_matches_finite_differences():
    inputs = RNG.normal(size=(4, 3)).astype("float32")
    kernel = RNG.normal(size=(3, 2)).astype("float32")
    bias = RNG.normal(size=(2,)).astype("float32")
    analytic = gradient(lambda a, k, b: linear(a, k, b) ** 2, inputs, kernel, bias)
    numeric = numerical_gradient(lambda a, k, b: (a @ k + b) ** 2, inputs, kernel, bias)
    for actual, expected in zip(analytic, numeric):
        assert_close(actual, expected, rtol=2e-2, atol=2e-2)
