"""Softmax and log-softmax over a short last axis with many rows (a 10-class classifier's batch).

PyTorch computes these through a different kernel (`_short_axis_softmax`); every
backend must give the NumPy values and the analytic gradients.
"""

import numpy as np
import pytest
from testing_utils import assert_close
from testing_utils import gradient

import lamina
from lamina import ops

# (shape, axis): short last axes with enough rows for the PyTorch path, and the cases next to it.
CASES = [
    ((128, 10), -1),
    ((128, 10), 1),
    ((6, 40, 3), -1),
    ((70, 2), -1),
    ((128, 15), -1),
    ((128, 16), -1),
    ((8, 10), -1),
    ((128, 10), 0),
]


def _softmax(x, axis):
    exponentials = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return exponentials / np.sum(exponentials, axis=axis, keepdims=True)


def _inputs(shape):
    rng = np.random.default_rng(sum(shape))
    return rng.normal(scale=3.0, size=shape).astype("float32"), rng.normal(size=shape)


@pytest.mark.parametrize("shape, axis", CASES)
def test_softmax_matches_numpy(shape, axis):
    x, _ = _inputs(shape)
    result = ops.softmax(x, axis=axis)
    assert tuple(result.shape) == shape
    assert_close(result, _softmax(x.astype("float64"), axis), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("shape, axis", CASES)
def test_log_softmax_matches_numpy(shape, axis):
    x, _ = _inputs(shape)
    result = ops.log_softmax(x, axis=axis)
    assert tuple(result.shape) == shape
    assert_close(result, np.log(_softmax(x.astype("float64"), axis)), rtol=1e-5, atol=1e-5)


@pytest.mark.requires_trainable_backend
@pytest.mark.parametrize("shape, axis", CASES)
def test_softmax_gradient_is_analytic(shape, axis):
    x, weights = _inputs(shape)
    (actual,) = gradient(lambda t: ops.softmax(t, axis=axis) * ops.convert_to_tensor(weights, "float32"), x)
    probabilities = _softmax(x.astype("float64"), axis)
    # d/dx sum(w * softmax(x)) = p * (w - sum(w * p)) along the axis.
    expected = probabilities * (weights - np.sum(weights * probabilities, axis=axis, keepdims=True))
    assert_close(actual, expected, rtol=1e-4, atol=1e-5)


@pytest.mark.requires_trainable_backend
@pytest.mark.parametrize("shape, axis", CASES)
def test_log_softmax_gradient_is_analytic(shape, axis):
    x, weights = _inputs(shape)
    (actual,) = gradient(
        lambda t: ops.log_softmax(t, axis=axis) * ops.convert_to_tensor(weights, "float32"), x
    )
    probabilities = _softmax(x.astype("float64"), axis)
    # d/dx sum(w * log_softmax(x)) = w - p * sum(w) along the axis.
    expected = weights - probabilities * np.sum(weights, axis=axis, keepdims=True)
    assert_close(actual, expected, rtol=1e-4, atol=1e-4)


def test_sparse_crossentropy_from_logits_on_ten_classes_matches_numpy():
    x, _ = _inputs((128, 10))
    labels = np.arange(128) % 10
    result = ops.sparse_categorical_crossentropy(labels, x, from_logits=True)
    expected = -np.log(_softmax(x.astype("float64"), -1))[np.arange(128), labels]
    assert_close(result, expected, rtol=1e-5, atol=1e-5)


def test_dense_softmax_classifier_predicts_probabilities():
    x, _ = _inputs((200, 12))
    model = lamina.Sequential([lamina.Input((12,)), lamina.layers.Dense(10, activation="softmax")])
    kernel, bias = (ops.convert_to_numpy(weight) for weight in model.weights)
    result = model.predict(x, batch_size=100, verbose=0)
    assert_close(result, _softmax(x.astype("float64") @ kernel + bias, -1), rtol=1e-5, atol=1e-6)
