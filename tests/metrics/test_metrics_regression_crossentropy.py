"""Regression and crossentropy metrics against NumPy and Keras 3, over several weighted batches."""

import os

import numpy as np
import pytest
from testing_utils import assert_close

from lamina import metrics

RNG = np.random.default_rng(4)
BATCH, CLASSES = 6, 4


@pytest.fixture(scope="module")
def keras():
    os.environ["KERAS_BACKEND"] = "jax"
    return pytest.importorskip("keras")


def _softmax(logits):
    exponentials = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return exponentials / exponentials.sum(axis=-1, keepdims=True)


def _log_probabilities(probabilities):
    return np.log(np.clip(probabilities / probabilities.sum(-1, keepdims=True), 1e-7, 1 - 1e-7))


def _regression():
    return RNG.uniform(0.5, 2.0, size=(BATCH, 3)).astype("float32"), RNG.uniform(
        0.0, 2.0, size=(BATCH, 3)
    ).astype("float32")


def _categorical():
    labels = RNG.integers(0, CLASSES, size=(BATCH,))
    probabilities = _softmax(RNG.normal(size=(BATCH, CLASSES))).astype("float32")
    return np.eye(CLASSES, dtype="float32")[labels], probabilities


def _sparse():
    one_hot, probabilities = _categorical()
    return one_hot.argmax(-1), probabilities


def _binary():
    return RNG.integers(0, 2, size=(BATCH, 2)).astype("float32"), RNG.uniform(
        0.05, 0.95, size=(BATCH, 2)
    ).astype("float32")


def _bce(t, p):
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return -(t * np.log(p) + (1 - t) * np.log(1 - p)).mean(-1)


CASES = {
    "MeanSquaredError": (_regression, {}, lambda t, p: ((t - p) ** 2).mean(-1)),
    "MeanAbsoluteError": (_regression, {}, lambda t, p: np.abs(t - p).mean(-1)),
    "MeanAbsolutePercentageError": (_regression, {}, lambda t, p: 100 * np.abs((t - p) / t).mean(-1)),
    "MeanSquaredLogarithmicError": (
        _regression,
        {},
        lambda t, p: ((np.log1p(np.maximum(p, 1e-7)) - np.log1p(t)) ** 2).mean(-1),
    ),
    "CategoricalCrossentropy": (_categorical, {}, lambda t, p: -(t * _log_probabilities(p)).sum(-1)),
    "SparseCategoricalCrossentropy": (_sparse, {}, lambda t, p: -_log_probabilities(p)[np.arange(len(t)), t]),
    "BinaryCrossentropy": (_binary, {}, _bce),
}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("weighted", [False, True])
def test_metric_matches_numpy_and_keras(keras, name, weighted):
    make_batch, kwargs, reference = CASES[name]
    ours = getattr(metrics, name)(**kwargs)
    theirs = getattr(keras.metrics, name)(**kwargs)
    numerator = denominator = 0.0
    for _ in range(3):
        y_true, y_pred = make_batch()
        weights = RNG.uniform(size=(BATCH,)).astype("float32") if weighted else None
        ours.update_state(y_true, y_pred, sample_weight=weights)
        theirs.update_state(y_true, y_pred, sample_weight=weights)
        values = reference(y_true, y_pred)
        numerator += (values * (1.0 if weights is None else weights)).sum()
        denominator += len(values) if weights is None else weights.sum()
    assert_close(ours.result(), numerator / denominator, rtol=1e-5, atol=1e-5)
    assert_close(ours.result(), np.asarray(theirs.result()))
    assert ours.name == theirs.name
    assert ours.get_config() == theirs.get_config()


def test_root_mean_squared_error(keras):
    ours = metrics.RootMeanSquaredError()
    theirs = keras.metrics.RootMeanSquaredError()
    squares = []
    for _ in range(3):
        y_true, y_pred = _regression()
        ours.update_state(y_true, y_pred)
        theirs.update_state(y_true, y_pred)
        squares.append((y_true - y_pred) ** 2)
    assert_close(ours.result(), np.sqrt(np.concatenate(squares).mean()))
    assert_close(ours.result(), np.asarray(theirs.result()))
    ours.reset_state()
    ours.update_state([[1.0], [3.0]], [[2.0], [3.0]], sample_weight=[3.0, 1.0])
    assert_close(ours.result(), np.sqrt(3.0 / 4.0))


def test_crossentropy_metric_options_match_keras(keras):
    y_true, _ = _categorical()
    logits = RNG.normal(size=(BATCH, CLASSES)).astype("float32")
    ours = metrics.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1)
    theirs = keras.metrics.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1)
    ours.update_state(y_true, logits)
    theirs.update_state(y_true, logits)
    assert_close(ours.result(), np.asarray(theirs.result()))
    labels = np.array([[0, 1, 9], [9, 2, 3]])
    probabilities = _softmax(RNG.normal(size=(2, 3, CLASSES))).astype("float32")
    ours = metrics.SparseCategoricalCrossentropy(ignore_class=9)
    theirs = keras.metrics.SparseCategoricalCrossentropy(ignore_class=9)
    weights = np.array([[1.0], [0.5]], "float32")
    ours.update_state(labels, probabilities, sample_weight=weights)
    theirs.update_state(labels, probabilities, sample_weight=weights)
    assert_close(ours.result(), np.asarray(theirs.result()))
