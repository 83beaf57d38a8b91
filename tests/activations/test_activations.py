"""Activation functions against NumPy references, forward and gradient, on the active backend."""

import math

import numpy as np
import pytest
from testing_utils import assert_close
from testing_utils import gradient
from testing_utils import numerical_gradient

import lamina
from lamina import activations
from lamina import ops

# Points away from every kink (0, +-1, +-3, 6) so finite differences are exact enough.
X = np.array([[-7.3, -3.6, -2.2, -0.7, -0.2], [0.3, 0.9, 2.5, 4.1, 7.7]], dtype="float32")

_erf = np.vectorize(math.erf)


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _softplus(x):
    return np.log1p(np.exp(-np.abs(x))) + np.maximum(x, 0)


def _softmax(x, axis=-1):
    shifted = np.exp(x - x.max(axis=axis, keepdims=True))
    return shifted / shifted.sum(axis=axis, keepdims=True)


def _hard_sigmoid(x):
    return np.clip(x / 6.0 + 0.5, 0.0, 1.0)


def _sparsemax(x, axis=-1):
    x = np.moveaxis(x, axis, -1)
    output = np.zeros_like(x)
    for index in np.ndindex(x.shape[:-1]):
        row = x[index]
        ordered = np.sort(row)[::-1]
        cumulative = np.cumsum(ordered)
        support = np.nonzero(1 + np.arange(1, row.size + 1) * ordered > cumulative)[0][-1] + 1
        tau = (cumulative[support - 1] - 1) / support
        output[index] = np.maximum(row - tau, 0)
    return np.moveaxis(output, -1, axis)


SELU_ALPHA = 1.6732632423543772
SELU_SCALE = 1.0507009873554805

REFERENCES = {
    "relu": lambda x: np.maximum(x, 0),
    "relu6": lambda x: np.clip(x, 0, 6),
    "leaky_relu": lambda x: np.where(x >= 0, x, 0.2 * x),
    "sigmoid": _sigmoid,
    "tanh": np.tanh,
    "linear": lambda x: x,
    "elu": lambda x: np.where(x > 0, x, np.exp(x) - 1),
    "selu": lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * (np.exp(x) - 1)),
    "softplus": _softplus,
    "softsign": lambda x: x / (1 + np.abs(x)),
    "silu": lambda x: x * _sigmoid(x),
    "swish": lambda x: x * _sigmoid(x),
    "gelu": lambda x: 0.5 * x * (1 + _erf(x / np.sqrt(2))),
    "hard_sigmoid": _hard_sigmoid,
    "hard_silu": lambda x: x * _hard_sigmoid(x),
    "hard_swish": lambda x: x * _hard_sigmoid(x),
    "exponential": np.exp,
    "softmax": _softmax,
    "log_softmax": lambda x: np.log(_softmax(x)),
    "mish": lambda x: x * np.tanh(_softplus(x)),
    "log_sigmoid": lambda x: -_softplus(-x),
    "celu": lambda x: np.maximum(x, 0) + np.minimum(0, np.exp(x) - 1),
    "hard_tanh": lambda x: np.clip(x, -1, 1),
    "tanh_shrink": lambda x: x - np.tanh(x),
    "hard_shrink": lambda x: np.where(np.abs(x) > 0.5, x, 0),
    "soft_shrink": lambda x: np.where(x > 0.5, x - 0.5, np.where(x < -0.5, x + 0.5, 0)),
    "squareplus": lambda x: (x + np.sqrt(x**2 + 4)) / 2,
    "sparse_plus": lambda x: np.where(x <= -1, 0, np.where(x >= 1, x, (x + 1) ** 2 / 4)),
    "sparse_sigmoid": lambda x: np.clip((x + 1) / 2, 0, 1),
    "sparsemax": _sparsemax,
}


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_forward_matches_numpy(name):
    function = activations.get(name)
    output = function(ops.convert_to_tensor(X))
    assert ops.dtype(output) == "float32"
    assert tuple(output.shape) == X.shape
    assert_close(output, REFERENCES[name](X.astype("float64")), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_symbolic_call_keeps_shape_and_dtype(name):
    output = activations.get(name)(lamina.KerasTensor((None, 5)))
    assert isinstance(output, lamina.KerasTensor)
    assert output.shape == (None, 5)
    assert output.dtype == "float32"


# Activations that are one op call inherit that op's gradient tests; these are
# compositions written here, so their gradients are checked here.
COMPOSED = [
    "mish",
    "hard_tanh",
    "tanh_shrink",
    "hard_shrink",
    "soft_shrink",
    "squareplus",
    "sparse_plus",
    "sparse_sigmoid",
    "sparsemax",
    "softmax",
]


@pytest.mark.requires_trainable_backend
@pytest.mark.parametrize("name", COMPOSED)
def test_gradient_matches_finite_differences(name):
    function = activations.get(name)
    expected = numerical_gradient(REFERENCES[name], X)[0]
    actual = gradient(function, X)[0]
    np.testing.assert_allclose(actual, expected, rtol=1e-3, atol=1e-3)


@pytest.mark.requires_trainable_backend
def test_relu_gradient_with_arguments():
    kwargs = {"negative_slope": 0.3, "max_value": 3.0, "threshold": 1.0}
    expected = numerical_gradient(lambda x: _relu_reference(x, **kwargs), X)[0]
    actual = gradient(lambda x: activations.relu(x, **kwargs), X)[0]
    np.testing.assert_allclose(actual, expected, rtol=1e-3, atol=1e-3)


def _relu_reference(x, negative_slope=0.0, max_value=None, threshold=0.0):
    above = x if max_value is None else np.clip(x, 0, max_value)
    return np.where(x > threshold, above, negative_slope * (x - threshold))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"negative_slope": 0.5},
        {"max_value": 5.0},
        {"max_value": 6},
        {"threshold": 2.0},
        {"negative_slope": 0.1, "threshold": -1.0},
        {"negative_slope": 0.3, "max_value": 3.0, "threshold": 1.0},
    ],
)
def test_relu_arguments(kwargs):
    assert_close(activations.relu(ops.convert_to_tensor(X), **kwargs), _relu_reference(X, **kwargs))


def test_relu_rejects_negative_arguments():
    with pytest.raises(ValueError, match="negative_slope"):
        activations.relu(X, negative_slope=-1.0)
    with pytest.raises(ValueError, match="max_value"):
        activations.relu(X, max_value=-1.0)


def test_arguments_of_parametrized_activations():
    x = ops.convert_to_tensor(X)
    assert_close(activations.leaky_relu(x, negative_slope=0.5), np.where(X >= 0, X, 0.5 * X))
    assert_close(activations.elu(x, alpha=2.0), np.where(X > 0, X, 2.0 * (np.exp(X) - 1)))
    tanh_gelu = 0.5 * X * (1 + np.tanh(np.sqrt(2 / np.pi) * (X + 0.044715 * X**3)))
    assert_close(activations.gelu(x, approximate=True), tanh_gelu, atol=1e-4)
    assert_close(activations.softmax(x, axis=0), _softmax(X, axis=0))
    assert_close(activations.log_softmax(x, axis=0), np.log(_softmax(X, axis=0)))


def test_glu_gates_half_of_the_axis():
    x = np.concatenate([X, X[:, ::-1]], axis=-1)
    expected = x[:, :5] * _sigmoid(x[:, 5:])
    assert_close(activations.glu(ops.convert_to_tensor(x)), expected)
    assert_close(activations.glu(ops.convert_to_tensor(x.T), axis=0), expected.T)


def test_threshold_and_shrink_arguments():
    x = ops.convert_to_tensor(X)
    assert_close(activations.threshold(x, 1.0, -2.0), np.where(X > 1.0, X, -2.0))
    assert_close(activations.hard_shrink(x, threshold=2.0), np.where(np.abs(X) > 2.0, X, 0))
    soft = np.where(X > 2.0, X - 2.0, np.where(X < -2.0, X + 2.0, 0))
    assert_close(activations.soft_shrink(x, threshold=2.0), soft)
    assert_close(activations.squareplus(x, b=0), np.maximum(X, 0))
    assert_close(
        activations.celu(x, alpha=2.0), np.maximum(X, 0) + np.minimum(0, 2.0 * (np.exp(X / 2.0) - 1))
    )


def test_sparsemax_is_a_sparse_distribution():
    output = ops.convert_to_numpy(activations.sparsemax(ops.convert_to_tensor(X), axis=0))
    np.testing.assert_allclose(output.sum(axis=0), 1.0, rtol=1e-6)
    assert (output == 0).any() and (output >= 0).all()
    assert_close(output, _sparsemax(X, axis=0))


def test_gelu_defaults_to_exact_form():
    exact = 0.5 * X * (1 + _erf(X / np.sqrt(2)))
    assert_close(activations.gelu(ops.convert_to_tensor(X)), exact, atol=1e-6)


def test_softmax_rows_sum_to_one_for_large_logits():
    logits = np.array([[1000.0, 0.0, -1000.0]], dtype="float32")
    output = ops.convert_to_numpy(activations.softmax(ops.convert_to_tensor(logits)))
    assert np.all(np.isfinite(output))
    np.testing.assert_allclose(output.sum(axis=-1), 1.0, rtol=1e-6)


def test_accepts_python_lists():
    assert ops.convert_to_numpy(activations.relu([-1.0, 2.0])).tolist() == [0.0, 2.0]


def test_swish_is_silu():
    assert activations.swish is activations.silu
    assert activations.hard_swish is activations.hard_silu
