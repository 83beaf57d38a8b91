"""Crossentropy losses against NumPy formulas and against Keras 3 (the oracle)."""

import os

import numpy as np
import pytest
from testing_utils import assert_close

from lamina import losses
from lamina import ops
from lamina.backend import KerasTensor

EPSILON = 1e-7
REDUCTIONS = ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None]


@pytest.fixture(scope="module")
def keras():
    os.environ["KERAS_BACKEND"] = "jax"
    return pytest.importorskip("keras")


# -- NumPy references ------------------------------------------------------------------


def _softmax(logits, axis=-1):
    shifted = logits - logits.max(axis=axis, keepdims=True)
    exponentials = np.exp(shifted)
    return exponentials / exponentials.sum(axis=axis, keepdims=True)


def numpy_categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    y_true = y_true.astype(np.float64)
    if label_smoothing:
        y_true = y_true * (1 - label_smoothing) + label_smoothing / y_true.shape[-1]
    if from_logits:
        probabilities = _softmax(y_pred.astype(np.float64), axis=axis)
    else:
        probabilities = y_pred / y_pred.sum(axis=axis, keepdims=True)
    probabilities = np.clip(probabilities, EPSILON, 1 - EPSILON)
    return -(y_true * np.log(probabilities)).sum(axis=axis)


def numpy_sparse_categorical_crossentropy(labels, y_pred, from_logits=False):
    one_hot = np.eye(y_pred.shape[-1])[labels.reshape(y_pred.shape[:-1])]
    return numpy_categorical_crossentropy(one_hot, y_pred, from_logits=from_logits)


def numpy_binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0):
    y_true = y_true.astype(np.float64)
    if label_smoothing:
        y_true = y_true * (1 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        elementwise = np.maximum(y_pred, 0) - y_pred * y_true + np.log1p(np.exp(-np.abs(y_pred)))
    else:
        probabilities = np.clip(y_pred.astype(np.float64), EPSILON, 1 - EPSILON)
        elementwise = -(y_true * np.log(probabilities) + (1 - y_true) * np.log(1 - probabilities))
    return elementwise.mean(axis=-1)


def numpy_reduce(values, sample_weight, reduction):
    weighted = values if sample_weight is None else values * sample_weight
    if reduction in ("none", None):
        return weighted
    if reduction == "sum":
        return weighted.sum()
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        return weighted.sum() / np.broadcast_to(sample_weight, np.shape(sample_weight)).sum()
    return weighted.sum() / values.size


# -- data ------------------------------------------------------------------------------

RNG = np.random.default_rng(0)
BATCH, CLASSES = 6, 4
LABELS = RNG.integers(0, CLASSES, size=(BATCH,))
ONE_HOT = np.eye(CLASSES, dtype="float32")[LABELS]
PROBABILITIES = _softmax(RNG.normal(size=(BATCH, CLASSES))).astype("float32")
LOGITS = RNG.normal(size=(BATCH, CLASSES)).astype("float32") * 2
BINARY_TRUE = RNG.integers(0, 2, size=(BATCH, 3)).astype("float32")
BINARY_PROBABILITIES = RNG.uniform(0.05, 0.95, size=(BATCH, 3)).astype("float32")
WEIGHTS = RNG.uniform(0.0, 2.0, size=(BATCH,)).astype("float32")


def _cases():
    return {
        "categorical": (
            losses.CategoricalCrossentropy,
            {},
            ONE_HOT,
            PROBABILITIES,
            lambda t, p: numpy_categorical_crossentropy(t, p),
        ),
        "categorical_logits": (
            losses.CategoricalCrossentropy,
            {"from_logits": True},
            ONE_HOT,
            LOGITS,
            lambda t, p: numpy_categorical_crossentropy(t, p, from_logits=True),
        ),
        "categorical_smoothing": (
            losses.CategoricalCrossentropy,
            {"label_smoothing": 0.2},
            ONE_HOT,
            PROBABILITIES,
            lambda t, p: numpy_categorical_crossentropy(t, p, label_smoothing=0.2),
        ),
        "categorical_logits_smoothing": (
            losses.CategoricalCrossentropy,
            {"from_logits": True, "label_smoothing": 0.1},
            ONE_HOT,
            LOGITS,
            lambda t, p: numpy_categorical_crossentropy(t, p, from_logits=True, label_smoothing=0.1),
        ),
        "sparse": (
            losses.SparseCategoricalCrossentropy,
            {},
            LABELS,
            PROBABILITIES,
            lambda t, p: numpy_sparse_categorical_crossentropy(t, p),
        ),
        "sparse_column_labels": (
            losses.SparseCategoricalCrossentropy,
            {},
            LABELS.reshape(-1, 1),
            PROBABILITIES,
            lambda t, p: numpy_sparse_categorical_crossentropy(t, p),
        ),
        "sparse_logits": (
            losses.SparseCategoricalCrossentropy,
            {"from_logits": True},
            LABELS,
            LOGITS,
            lambda t, p: numpy_sparse_categorical_crossentropy(t, p, from_logits=True),
        ),
        "binary": (
            losses.BinaryCrossentropy,
            {},
            BINARY_TRUE,
            BINARY_PROBABILITIES,
            lambda t, p: numpy_binary_crossentropy(t, p),
        ),
        "binary_logits": (
            losses.BinaryCrossentropy,
            {"from_logits": True},
            BINARY_TRUE,
            BINARY_PROBABILITIES * 6 - 3,
            lambda t, p: numpy_binary_crossentropy(t, p, from_logits=True),
        ),
        "binary_smoothing": (
            losses.BinaryCrossentropy,
            {"label_smoothing": 0.3},
            BINARY_TRUE,
            BINARY_PROBABILITIES,
            lambda t, p: numpy_binary_crossentropy(t, p, label_smoothing=0.3),
        ),
    }


CASES = _cases()


# Every case under two reduction settings; every reduction on two cases (the reduction
# code is shared by all losses).
CASE_SETTINGS = [
    (case, reduction, weighted)
    for case in sorted(CASES)
    for reduction, weighted in [("sum_over_batch_size", False), ("mean_with_sample_weight", True)]
]
CASE_SETTINGS += [
    (case, reduction, weighted)
    for case in ["categorical_logits", "sparse"]
    for reduction in REDUCTIONS
    for weighted in [False, True]
    if (reduction, weighted) not in [("sum_over_batch_size", False), ("mean_with_sample_weight", True)]
]


@pytest.mark.parametrize("case, reduction, weighted", CASE_SETTINGS)
def test_loss_matches_numpy_and_keras(keras, case, reduction, weighted):
    cls, kwargs, y_true, y_pred, reference = CASES[case]
    sample_weight = WEIGHTS if weighted else None
    actual = cls(reduction=reduction, **kwargs)(y_true, y_pred, sample_weight=sample_weight)
    assert_close(actual, numpy_reduce(reference(y_true, y_pred), sample_weight, reduction))
    keras_loss = getattr(keras.losses, cls.__name__)(reduction=reduction, **kwargs)
    assert_close(actual, np.asarray(keras_loss(y_true, y_pred, sample_weight=sample_weight)))


@pytest.mark.parametrize(
    "function, y_true, y_pred, kwargs",
    [
        (losses.categorical_crossentropy, ONE_HOT, LOGITS, {"from_logits": True, "label_smoothing": 0.1}),
        (losses.sparse_categorical_crossentropy, LABELS, PROBABILITIES, {}),
        (losses.binary_crossentropy, BINARY_TRUE, BINARY_PROBABILITIES, {"label_smoothing": 0.2}),
    ],
)
def test_functions_match_keras(keras, function, y_true, y_pred, kwargs):
    expected = np.asarray(getattr(keras.losses, function.__name__)(y_true, y_pred, **kwargs))
    actual = function(y_true, y_pred, **kwargs)
    assert tuple(actual.shape) == expected.shape
    assert_close(actual, expected)


def test_sample_weight_per_position_on_sequences():
    y_true = RNG.integers(0, CLASSES, size=(BATCH, 5))
    y_pred = _softmax(RNG.normal(size=(BATCH, 5, CLASSES))).astype("float32")
    weights = RNG.uniform(size=(BATCH, 5)).astype("float32")
    loss = losses.SparseCategoricalCrossentropy()
    expected = numpy_reduce(numpy_sparse_categorical_crossentropy(y_true, y_pred), weights, "mean")
    assert_close(loss(y_true, y_pred, sample_weight=weights), expected)


def test_sample_weight_of_wrong_shape_is_a_clear_error():
    y_true = RNG.integers(0, CLASSES, size=(BATCH, 5))
    y_pred = _softmax(RNG.normal(size=(BATCH, 5, CLASSES))).astype("float32")
    with pytest.raises(ValueError, match=r"sample_weight of shape \(3,\) cannot be applied"):
        losses.SparseCategoricalCrossentropy()(y_true, y_pred, sample_weight=np.ones(3, "float32"))


def test_ignore_class_averages_over_valid_positions(keras):
    labels = np.array([[0, 1, -1, 2], [-1, -1, 3, 0]])
    y_pred = _softmax(RNG.normal(size=(2, 4, CLASSES))).astype("float32")
    valid = labels != -1
    per_position = numpy_sparse_categorical_crossentropy(np.where(valid, labels, 0), y_pred) * valid
    for reduction in ["sum_over_batch_size", "sum", "none"]:
        loss = losses.SparseCategoricalCrossentropy(ignore_class=-1, reduction=reduction)
        expected = per_position.sum() / valid.sum() if reduction == "sum_over_batch_size" else None
        if reduction == "sum":
            expected = per_position.sum()
        if reduction == "none":
            expected = per_position
        assert_close(loss(labels, y_pred), expected)
        keras_loss = keras.losses.SparseCategoricalCrossentropy(ignore_class=-1, reduction=reduction)
        assert_close(loss(labels, y_pred), np.asarray(keras_loss(labels, y_pred)))


# -- shape errors ------------------------------------------------------------------------


@pytest.mark.parametrize("labels_shape", [(32,), (32, 1)])
def test_categorical_crossentropy_rejects_integer_labels(labels_shape):
    labels = np.zeros(labels_shape, dtype="int32")
    predictions = np.full((32, 10), 0.1, dtype="float32")
    expected = (
        f"categorical_crossentropy expects one-hot targets of shape (..., 10); received targets of "
        f"shape {labels_shape}. For integer class labels use sparse_categorical_crossentropy."
    )
    with pytest.raises(ValueError) as error:
        losses.CategoricalCrossentropy()(labels, predictions)
    assert str(error.value) == expected
    with pytest.raises(ValueError, match="sparse_categorical_crossentropy"):
        losses.categorical_crossentropy(labels, predictions)


def test_categorical_crossentropy_rejects_other_class_counts():
    with pytest.raises(ValueError, match=r"shape \(..., 10\); received targets of shape \(32, 5\)"):
        losses.categorical_crossentropy(np.zeros((32, 5)), np.full((32, 10), 0.1))


def test_sparse_categorical_crossentropy_rejects_one_hot_targets():
    with pytest.raises(ValueError, match="For one-hot targets use categorical_crossentropy"):
        losses.SparseCategoricalCrossentropy()(ONE_HOT, PROBABILITIES)


def test_binary_crossentropy_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match=r"binary_crossentropy expects targets of the same shape"):
        losses.BinaryCrossentropy()(np.zeros((BATCH, 2)), BINARY_PROBABILITIES)


def test_shape_errors_come_from_symbolic_shapes():
    labels = KerasTensor((None,), dtype="int32")
    predictions = KerasTensor((None, 10), dtype="float32")
    with pytest.raises(ValueError, match=r"received targets of shape \(None,\)"):
        losses.categorical_crossentropy(labels, predictions)


def test_losses_on_symbolic_tensors_give_specs():
    y_true = KerasTensor((None,), dtype="float32")
    y_pred = KerasTensor((None, 10), dtype="float32")
    assert losses.sparse_categorical_crossentropy(y_true, y_pred).shape == (None,)
    assert losses.SparseCategoricalCrossentropy()(y_true, y_pred).shape == ()


@pytest.mark.jax_only
def test_losses_run_under_jit_and_check_shapes_at_trace_time():
    import jax

    loss = losses.CategoricalCrossentropy(label_smoothing=0.1)
    compiled = jax.jit(lambda t, p, w: loss(t, p, sample_weight=w))
    expected = numpy_reduce(
        numpy_categorical_crossentropy(ONE_HOT, PROBABILITIES, label_smoothing=0.1), WEIGHTS, "mean"
    )
    assert_close(compiled(ONE_HOT, PROBABILITIES, WEIGHTS), expected)
    with pytest.raises(ValueError, match="For integer class labels use sparse_categorical_crossentropy"):
        jax.jit(lambda t, p: loss(t, p))(LABELS.astype("float32"), PROBABILITIES)
    ignore = losses.SparseCategoricalCrossentropy(ignore_class=0)
    expected_ignore = ignore(LABELS, PROBABILITIES)
    assert_close(
        jax.jit(lambda t, p: ignore(t, p))(LABELS, PROBABILITIES), ops.convert_to_numpy(expected_ignore)
    )


@pytest.mark.requires_trainable_backend
def test_ignored_positions_give_finite_zero_gradients():
    from testing_utils import gradient

    labels = np.array([[0, 1, -1, 2], [-1, -1, 3, 0]])
    probabilities = _softmax(RNG.normal(size=(2, 4, CLASSES))).astype("float32")
    loss = losses.SparseCategoricalCrossentropy(ignore_class=-1)
    (grad,) = gradient(lambda p: loss(labels, p), probabilities)
    assert np.all(np.isfinite(grad))
    assert not np.any(grad[labels == -1])


@pytest.mark.requires_trainable_backend
def test_crossentropy_gradients_match_finite_differences():
    from testing_utils import gradient
    from testing_utils import numerical_gradient

    def lamina_loss(logits):
        return losses.categorical_crossentropy(ONE_HOT, logits, from_logits=True, label_smoothing=0.1)

    def numpy_loss(logits):
        return numpy_categorical_crossentropy(ONE_HOT, logits, from_logits=True, label_smoothing=0.1)

    (actual,) = gradient(lamina_loss, LOGITS)
    (expected,) = numerical_gradient(numpy_loss, LOGITS)
    assert_close(actual, expected, rtol=1e-3, atol=1e-4)
