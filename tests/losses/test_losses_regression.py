"""Regression losses against NumPy formulas and against Keras 3 (the oracle)."""

import os

import numpy as np
import pytest
from testing_utils import assert_close

from lamina import losses

REDUCTIONS = ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None]
RNG = np.random.default_rng(1)
Y_TRUE = RNG.uniform(0.5, 3.0, size=(5, 3)).astype("float32")
Y_PRED = RNG.uniform(0.0, 3.0, size=(5, 3)).astype("float32")
WEIGHTS = RNG.uniform(0.0, 2.0, size=(5,)).astype("float32")

REFERENCES = {
    "MeanSquaredError": lambda t, p: ((t - p) ** 2).mean(axis=-1),
    "MeanAbsoluteError": lambda t, p: np.abs(t - p).mean(axis=-1),
    "MeanAbsolutePercentageError": lambda t, p: (
        100 * np.abs((t - p) / np.maximum(np.abs(t), 1e-7)).mean(axis=-1)
    ),
    "MeanSquaredLogarithmicError": lambda t, p: (
        (np.log(np.maximum(p, 1e-7) + 1) - np.log(np.maximum(t, 1e-7) + 1)) ** 2
    ).mean(axis=-1),
}
FUNCTIONS = {
    "MeanSquaredError": "mean_squared_error",
    "MeanAbsoluteError": "mean_absolute_error",
    "MeanAbsolutePercentageError": "mean_absolute_percentage_error",
    "MeanSquaredLogarithmicError": "mean_squared_logarithmic_error",
}


@pytest.fixture(scope="module")
def keras():
    os.environ["KERAS_BACKEND"] = "jax"
    return pytest.importorskip("keras")


def _numpy_reduce(values, sample_weight, reduction):
    weighted = values if sample_weight is None else values * sample_weight
    if reduction in ("none", None):
        return weighted
    if reduction == "sum":
        return weighted.sum()
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        return weighted.sum() / sample_weight.sum()
    return weighted.sum() / values.size


SETTINGS = [
    (name, reduction, weighted)
    for name in sorted(REFERENCES)
    for reduction, weighted in [("sum_over_batch_size", False), ("mean_with_sample_weight", True)]
]
SETTINGS += [
    ("MeanSquaredError", reduction, weighted)
    for reduction in REDUCTIONS
    for weighted in [False, True]
    if (reduction, weighted) not in [("sum_over_batch_size", False), ("mean_with_sample_weight", True)]
]


@pytest.mark.parametrize("name, reduction, weighted", SETTINGS)
def test_loss_matches_numpy_and_keras(keras, name, reduction, weighted):
    sample_weight = WEIGHTS if weighted else None
    loss = getattr(losses, name)(reduction=reduction)
    actual = loss(Y_TRUE, Y_PRED, sample_weight=sample_weight)
    assert_close(actual, _numpy_reduce(REFERENCES[name](Y_TRUE, Y_PRED), sample_weight, reduction))
    keras_loss = getattr(keras.losses, name)(reduction=reduction)
    assert_close(actual, np.asarray(keras_loss(Y_TRUE, Y_PRED, sample_weight=sample_weight)))


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_function_returns_per_sample_values(name):
    function = getattr(losses, FUNCTIONS[name])
    values = function(Y_TRUE, Y_PRED)
    assert tuple(values.shape) == (5,)
    assert_close(values, REFERENCES[name](Y_TRUE, Y_PRED))


def test_trailing_axis_of_one_is_matched_against_rank_one_targets(keras):
    y_true = Y_TRUE[:, 0]
    y_pred = Y_PRED[:, :1]
    loss = losses.MeanSquaredError()
    assert_close(loss(y_true, y_pred), ((y_true - y_pred[:, 0]) ** 2).mean())
    assert_close(loss(y_true, y_pred), np.asarray(keras.losses.MeanSquaredError()(y_true, y_pred)))


def test_sample_weight_with_trailing_axis_of_one():
    weights = WEIGHTS.reshape(5, 1)
    expected = _numpy_reduce(REFERENCES["MeanSquaredError"](Y_TRUE, Y_PRED), WEIGHTS, "sum")
    assert_close(losses.MeanSquaredError(reduction="sum")(Y_TRUE, Y_PRED, sample_weight=weights), expected)


def test_scalar_sample_weight_scales_the_loss():
    expected = 2.5 * REFERENCES["MeanAbsoluteError"](Y_TRUE, Y_PRED).mean()
    assert_close(losses.MeanAbsoluteError()(Y_TRUE, Y_PRED, sample_weight=2.5), expected)
