"""Accuracy metrics against NumPy and Keras 3, accumulated over several weighted batches."""

import os

import numpy as np
import pytest
from testing_utils import assert_close

from lamina import metrics
from lamina import ops

RNG = np.random.default_rng(3)
BATCH, CLASSES = 8, 5


@pytest.fixture(scope="module")
def keras():
    os.environ["KERAS_BACKEND"] = "jax"
    return pytest.importorskip("keras")


def _batches(kind, count=3):
    batches = []
    for _ in range(count):
        scores = RNG.normal(size=(BATCH, CLASSES)).astype("float32")
        labels = RNG.integers(0, CLASSES, size=(BATCH,))
        # Make a fair share of predictions right.
        labels[: BATCH // 2] = scores[: BATCH // 2].argmax(axis=-1)
        weights = RNG.uniform(size=(BATCH,)).astype("float32")
        if kind == "sparse":
            batches.append((labels.reshape(-1, 1), scores, weights))
        elif kind == "categorical":
            batches.append((np.eye(CLASSES, dtype="float32")[labels], scores, weights))
        elif kind == "binary":
            y_true = RNG.integers(0, 2, size=(BATCH, 1)).astype("float32")
            batches.append((y_true, RNG.uniform(size=(BATCH, 1)).astype("float32"), weights))
        else:
            y_true = RNG.integers(0, 3, size=(BATCH, 1)).astype("float32")
            batches.append((y_true, RNG.integers(0, 3, size=(BATCH, 1)).astype("float32"), weights))
    return batches


def _top_k(labels, scores, k):
    ranks = (scores > scores[np.arange(len(labels)), labels][:, None]).sum(axis=-1)
    return (ranks < k).astype("float64")


NUMPY_REFERENCES = {
    "Accuracy": ("exact", {}, lambda t, p: (t[:, 0] == p[:, 0]).astype("float64")),
    "BinaryAccuracy": (
        "binary",
        {"threshold": 0.3},
        lambda t, p: (t[:, 0] == (p[:, 0] > 0.3)).astype("float64"),
    ),
    "CategoricalAccuracy": ("categorical", {}, lambda t, p: (t.argmax(-1) == p.argmax(-1)).astype("float64")),
    "SparseCategoricalAccuracy": ("sparse", {}, lambda t, p: (t[:, 0] == p.argmax(-1)).astype("float64")),
    "TopKCategoricalAccuracy": ("categorical", {"k": 2}, lambda t, p: _top_k(t.argmax(-1), p, 2)),
    "SparseTopKCategoricalAccuracy": ("sparse", {"k": 3}, lambda t, p: _top_k(t[:, 0], p, 3)),
}


@pytest.mark.parametrize("name", sorted(NUMPY_REFERENCES))
@pytest.mark.parametrize("weighted", [False, True])
def test_accuracy_metric_matches_numpy_and_keras(keras, name, weighted):
    kind, kwargs, reference = NUMPY_REFERENCES[name]
    ours = getattr(metrics, name)(**kwargs)
    theirs = getattr(keras.metrics, name)(**kwargs)
    numerator = denominator = 0.0
    for y_true, y_pred, weights in _batches(kind):
        sample_weight = weights if weighted else None
        ours.update_state(y_true, y_pred, sample_weight=sample_weight)
        theirs.update_state(y_true, y_pred, sample_weight=sample_weight)
        matches = reference(y_true, y_pred)
        numerator += (matches * (weights if weighted else 1.0)).sum()
        denominator += weights.sum() if weighted else len(matches)
    assert_close(ours.result(), numerator / denominator)
    assert_close(ours.result(), np.asarray(theirs.result()))
    assert ours.name == theirs.name
    assert ours.get_config() == theirs.get_config()
    ours.reset_state()
    assert float(ops.convert_to_numpy(ours.result())) == 0.0


@pytest.mark.parametrize(
    "name, kind, kwargs",
    [
        ("binary_accuracy", "binary", {"threshold": 0.6}),
        ("categorical_accuracy", "categorical", {}),
        ("sparse_categorical_accuracy", "sparse", {}),
        ("top_k_categorical_accuracy", "categorical", {"k": 2}),
        ("sparse_top_k_categorical_accuracy", "sparse", {"k": 2}),
    ],
)
def test_accuracy_functions_match_keras(keras, name, kind, kwargs):
    y_true, y_pred, _ = _batches(kind, count=1)[0]
    expected = np.asarray(getattr(keras.metrics, name)(y_true, y_pred, **kwargs))
    actual = getattr(metrics, name)(y_true, y_pred, **kwargs)
    assert tuple(actual.shape) == expected.shape
    assert_close(actual, expected)


def test_sparse_accuracy_on_sequences_keeps_the_time_axis(keras):
    labels = RNG.integers(0, CLASSES, size=(2, 6))
    scores = RNG.normal(size=(2, 6, CLASSES)).astype("float32")
    actual = metrics.sparse_categorical_accuracy(labels, scores)
    assert tuple(actual.shape) == (2, 6)
    assert_close(actual, (labels == scores.argmax(-1)).astype("float64"))
    assert_close(actual, np.asarray(keras.metrics.sparse_categorical_accuracy(labels, scores)))
    top_k = metrics.sparse_top_k_categorical_accuracy(labels, scores, k=2)
    assert_close(top_k, np.asarray(keras.metrics.sparse_top_k_categorical_accuracy(labels, scores, k=2)))


def test_sparse_top_k_from_sorted_ids():
    sorted_ids = np.array([[2, 0, 1], [1, 2, 0]], "float32")
    labels = np.array([0, 0])
    assert_close(
        metrics.sparse_top_k_categorical_accuracy(labels, sorted_ids, k=2, from_sorted_ids=True), [1, 0]
    )
