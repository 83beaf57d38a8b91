"""The losses beyond crossentropy and mean errors, against NumPy formulas and Keras 3 (the oracle).

Covers focal crossentropies, Huber, log-cosh, KL divergence, Poisson, cosine
similarity, the hinges, Dice and Tversky: values per reduction with and
without sample weights, the functions, configs, aliases and serialization.
"""

import json

import numpy as np
import pytest
from testing_utils import assert_close

import lamina
from lamina import losses

REDUCTIONS = ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None]
EPSILON = 1e-7
RNG = np.random.default_rng(5)
BATCH, CLASSES = 6, 4


def _softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


LOGITS = RNG.normal(size=(BATCH, CLASSES)).astype("float32")
PROBABILITIES = _softmax(LOGITS).astype("float32")
BINARY_LABELS = RNG.integers(0, 2, size=(BATCH, CLASSES)).astype("float32")
SIGNED_LABELS = 2 * BINARY_LABELS - 1
ONE_HOT = np.eye(CLASSES, dtype="float32")[RNG.integers(0, CLASSES, size=BATCH)]
REAL_TRUE = RNG.normal(size=(BATCH, CLASSES)).astype("float32") * 2
REAL_PRED = RNG.normal(size=(BATCH, CLASSES)).astype("float32") * 2
COUNTS = RNG.poisson(2.0, size=(BATCH, CLASSES)).astype("float32")
RATES = RNG.uniform(0.1, 4.0, size=(BATCH, CLASSES)).astype("float32")
TARGET_DISTRIBUTION = _softmax(RNG.normal(size=(BATCH, CLASSES))).astype("float32")
MASKS_TRUE = RNG.integers(0, 2, size=(BATCH, 3, 3)).astype("float32")
MASKS_PRED = RNG.uniform(0.0, 1.0, size=(BATCH, 3, 3)).astype("float32")
WEIGHTS = RNG.uniform(0.0, 2.0, size=(BATCH,)).astype("float32")


def _bce(t, p):
    p = np.clip(p, EPSILON, 1 - EPSILON)
    return -(t * np.log(p) + (1 - t) * np.log(1 - p))


def _binary_focal(t, p, gamma=2.0, alpha=0.25, balance=False, logits=False, smoothing=0.0):
    t = t * (1 - smoothing) + 0.5 * smoothing
    p = _sigmoid(p) if logits else p
    p_t = t * p + (1 - t) * (1 - p)
    focal = (1 - p_t) ** gamma * _bce(t, p)
    if balance:
        focal = (t * alpha + (1 - t) * (1 - alpha)) * focal
    return focal.mean(axis=-1)


def _categorical_focal(t, p, gamma=2.0, alpha=0.25, logits=False, smoothing=0.0):
    t = t * (1 - smoothing) + smoothing / t.shape[-1]
    p = _softmax(p) if logits else p
    p = np.clip(p / p.sum(axis=-1, keepdims=True), EPSILON, 1 - EPSILON)
    return (alpha * (1 - p) ** gamma * -t * np.log(p)).sum(axis=-1)


def _huber(t, p, delta=1.0):
    error = np.abs(p - t)
    return np.where(error <= delta, 0.5 * error**2, delta * error - 0.5 * delta**2).mean(axis=-1)


def _hinge_labels(t):
    return 2 * t - 1 if np.all((t == 0) | (t == 1)) else t


def _l2_normalize(x, axis=-1):
    return x / np.maximum(np.linalg.norm(x, axis=axis, keepdims=True), 1e-7)


def _kld(t, p):
    t, p = np.clip(t, EPSILON, 1), np.clip(p, EPSILON, 1)
    return (t * np.log(t / p)).sum(axis=-1)


def _dice(t, p, axis=None):
    return 1 - 2 * (t * p).sum(axis=axis) / (t.sum(axis=axis) + p.sum(axis=axis) + EPSILON)


def _tversky(t, p, alpha=0.5, beta=0.5, axis=None):
    tp = (t * p).sum(axis=axis)
    fp = ((1 - p) * t).sum(axis=axis)
    fn = (p * (1 - t)).sum(axis=axis)
    return 1 - tp / (tp + alpha * fp + beta * fn + EPSILON)


# name -> (class name, function name, constructor kwargs, y_true, y_pred, NumPy reference)
CASES = {
    "binary_focal": ("BinaryFocalCrossentropy", "binary_focal_crossentropy", {}, BINARY_LABELS,
                     _sigmoid(LOGITS), _binary_focal),
    "binary_focal_logits_balanced": (
        "BinaryFocalCrossentropy", "binary_focal_crossentropy",
        {"from_logits": True, "apply_class_balancing": True, "alpha": 0.3, "gamma": 1.5,
         "label_smoothing": 0.1},
        BINARY_LABELS, LOGITS,
        lambda t, p: _binary_focal(t, p, 1.5, 0.3, balance=True, logits=True, smoothing=0.1),
    ),
    "categorical_focal": ("CategoricalFocalCrossentropy", "categorical_focal_crossentropy", {}, ONE_HOT,
                          PROBABILITIES, _categorical_focal),
    "categorical_focal_logits": (
        "CategoricalFocalCrossentropy", "categorical_focal_crossentropy",
        {"from_logits": True, "alpha": 0.5, "gamma": 3.0, "label_smoothing": 0.2},
        ONE_HOT, LOGITS, lambda t, p: _categorical_focal(t, p, 3.0, 0.5, logits=True, smoothing=0.2),
    ),
    "huber": ("Huber", "huber", {}, REAL_TRUE, REAL_PRED, _huber),
    "huber_delta": ("Huber", "huber", {"delta": 2.5}, REAL_TRUE, REAL_PRED, lambda t, p: _huber(t, p, 2.5)),
    "log_cosh": ("LogCosh", "log_cosh", {}, REAL_TRUE, REAL_PRED,
                 lambda t, p: np.log(np.cosh(p - t)).mean(axis=-1)),
    "kl_divergence": ("KLDivergence", "kl_divergence", {}, TARGET_DISTRIBUTION, PROBABILITIES, _kld),
    "poisson": ("Poisson", "poisson", {}, COUNTS, RATES,
                lambda t, p: (p - t * np.log(p + EPSILON)).mean(axis=-1)),
    "cosine_similarity": ("CosineSimilarity", "cosine_similarity", {}, REAL_TRUE, REAL_PRED,
                          lambda t, p: -(_l2_normalize(t) * _l2_normalize(p)).sum(axis=-1)),
    "hinge_binary": ("Hinge", "hinge", {}, BINARY_LABELS, REAL_PRED,
                     lambda t, p: np.maximum(1 - _hinge_labels(t) * p, 0).mean(axis=-1)),
    "hinge_signed": ("Hinge", "hinge", {}, SIGNED_LABELS, REAL_PRED,
                     lambda t, p: np.maximum(1 - t * p, 0).mean(axis=-1)),
    "squared_hinge": ("SquaredHinge", "squared_hinge", {}, BINARY_LABELS, REAL_PRED,
                      lambda t, p: (np.maximum(1 - _hinge_labels(t) * p, 0) ** 2).mean(axis=-1)),
    "categorical_hinge": (
        "CategoricalHinge", "categorical_hinge", {}, ONE_HOT, REAL_PRED,
        lambda t, p: np.maximum(((1 - t) * p).max(axis=-1) - (t * p).sum(axis=-1) + 1, 0),
    ),
    "dice_per_image": ("Dice", "dice", {"axis": (1, 2)}, MASKS_TRUE, MASKS_PRED,
                       lambda t, p: _dice(t, p, axis=(1, 2))),
    "tversky_per_image": (
        "Tversky", "tversky", {"alpha": 0.3, "beta": 0.7, "axis": (1, 2)}, MASKS_TRUE, MASKS_PRED,
        lambda t, p: _tversky(t, p, 0.3, 0.7, axis=(1, 2)),
    ),
}  # fmt: skip


def _numpy_reduce(values, sample_weight, reduction):
    weighted = values if sample_weight is None else values * sample_weight
    if reduction in ("none", None):
        return weighted
    if reduction == "sum":
        return weighted.sum()
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        return weighted.sum() / sample_weight.sum()
    return weighted.sum() / values.size


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
def test_loss_matches_numpy_and_keras(keras, case, reduction, weighted):
    class_name, _, kwargs, y_true, y_pred, reference = CASES[case]
    sample_weight = WEIGHTS if weighted else None
    ours = getattr(losses, class_name)(reduction=reduction, **kwargs)
    theirs = getattr(keras.losses, class_name)(reduction=reduction, **kwargs)
    result = ours(y_true, y_pred, sample_weight=sample_weight)
    values = reference(y_true.astype("float64"), y_pred.astype("float64"))
    assert_close(result, _numpy_reduce(values, sample_weight, reduction), rtol=1e-5, atol=1e-6)
    expected = np.asarray(theirs(y_true, y_pred, sample_weight=sample_weight))
    assert_close(result, expected, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("case", sorted(CASES))
def test_function_matches_keras(keras, case):
    _, function_name, kwargs, y_true, y_pred, _ = CASES[case]
    ours = getattr(losses, function_name)(y_true, y_pred, **kwargs)
    theirs = getattr(keras.losses, function_name)(y_true, y_pred, **kwargs)
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert_close(ours, np.asarray(theirs), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("function_name", ["dice", "tversky"])
def test_overlap_losses_default_axis_is_a_scalar(keras, function_name):
    ours = getattr(losses, function_name)(MASKS_TRUE, MASKS_PRED)
    theirs = getattr(keras.losses, function_name)(MASKS_TRUE, MASKS_PRED)
    assert tuple(ours.shape) == ()
    assert_close(ours, _dice(MASKS_TRUE.astype("float64"), MASKS_PRED.astype("float64")), rtol=1e-5)
    assert_close(ours, np.asarray(theirs), rtol=1e-6)


def test_hinge_leaves_non_binary_labels_unconverted():
    labels = np.array([[0.0, 0.5], [1.0, 0.0]], dtype="float32")
    expected = np.maximum(1 - labels * REAL_PRED[:2, :2], 0).mean(axis=-1)
    assert_close(losses.hinge(labels, REAL_PRED[:2, :2]), expected)


def test_categorical_focal_per_class_alpha(keras):
    alpha = [0.1, 0.2, 0.3, 0.4]
    ours = losses.CategoricalFocalCrossentropy(alpha=alpha)(ONE_HOT, PROBABILITIES)
    theirs = keras.losses.CategoricalFocalCrossentropy(alpha=alpha)(ONE_HOT, PROBABILITIES)
    expected = _categorical_focal(ONE_HOT, PROBABILITIES.astype("float64"), alpha=np.array(alpha)).mean()
    assert_close(ours, expected, rtol=1e-5)
    assert_close(ours, np.asarray(theirs), rtol=1e-6)


CONFIG_CASES = [
    ("BinaryFocalCrossentropy", {}),
    ("BinaryFocalCrossentropy", {"apply_class_balancing": True, "alpha": 0.4, "gamma": 1.0, "axis": 1}),
    ("CategoricalFocalCrossentropy", {}),
    ("CategoricalFocalCrossentropy", {"alpha": 0.5, "from_logits": True, "label_smoothing": 0.1}),
    ("Huber", {}),
    ("Huber", {"delta": 2.0, "reduction": "sum"}),
    ("LogCosh", {}),
    ("KLDivergence", {"name": "kl"}),
    ("Poisson", {}),
    ("CosineSimilarity", {}),
    ("CosineSimilarity", {"axis": 0}),
    ("Hinge", {}),
    ("SquaredHinge", {"reduction": "none"}),
    ("CategoricalHinge", {}),
    ("Dice", {}),
    ("Dice", {"axis": (1, 2)}),
    ("Tversky", {}),
    ("Tversky", {"alpha": 0.2, "beta": 0.8}),
    ("CTC", {}),
]


@pytest.mark.parametrize("class_name, kwargs", CONFIG_CASES)
def test_config_and_serialization_match_keras(keras, class_name, kwargs):
    ours = getattr(losses, class_name)(**kwargs)
    theirs = getattr(keras.losses, class_name)(**kwargs)
    assert ours.name == theirs.name
    assert ours.get_config() == theirs.get_config()
    serialized = lamina.saving.serialize_keras_object(ours)
    # Compared as the JSON written to `.keras` files: lamina's serializer turns tuples
    # (Dice's `axis=(1, 2)`) into lists already, Keras's only when writing JSON.
    assert json.dumps(serialized) == json.dumps(keras.saving.serialize_keras_object(theirs))
    rebuilt = lamina.saving.deserialize_keras_object(keras.saving.serialize_keras_object(theirs))
    assert type(rebuilt) is type(ours)
    assert rebuilt.get_config() == ours.get_config()
    assert type(losses.deserialize(losses.serialize(ours))) is type(ours)


FUNCTION_NAMES = [
    "binary_focal_crossentropy", "categorical_focal_crossentropy", "huber", "log_cosh", "kl_divergence",
    "poisson", "cosine_similarity", "hinge", "squared_hinge", "categorical_hinge", "dice", "tversky", "ctc",
]  # fmt: skip


@pytest.mark.parametrize("function_name", FUNCTION_NAMES + ["kld", "KLD"])
def test_string_identifiers_match_keras(keras, function_name):
    ours = losses.get(function_name)
    theirs = keras.losses.get(function_name)
    assert ours.__name__ == theirs.__name__
    serialized = lamina.saving.serialize_keras_object(ours)
    assert serialized == keras.saving.serialize_keras_object(theirs)
    assert lamina.saving.deserialize_keras_object(serialized) is ours


@pytest.mark.parametrize("class_name", sorted({name for name, _ in CONFIG_CASES}))
def test_class_names_resolve_to_instances(class_name):
    loss = losses.get(class_name)
    assert isinstance(loss, getattr(losses, class_name))


SEGMENT_PROBABILITIES = _softmax(RNG.normal(size=(4, 3, 5))).astype("float32")
SEGMENT_LABELS = RNG.integers(0, 5, size=(4, 3))
SEGMENT_LABELS[0, 1] = -1
SEGMENT_LABELS[2, :] = -1


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weight_shape", [None, (4, 3), (4, 1)])
@pytest.mark.parametrize("from_logits", [False, True])
def test_sparse_categorical_ignore_class_matches_keras(keras, reduction, weight_shape, from_logits):
    sample_weight = None
    if weight_shape is not None:
        sample_weight = np.random.default_rng(7).uniform(0.0, 2.0, size=weight_shape).astype("float32")
    kwargs = {"ignore_class": -1, "reduction": reduction, "from_logits": from_logits}
    ours = losses.SparseCategoricalCrossentropy(**kwargs)
    theirs = keras.losses.SparseCategoricalCrossentropy(**kwargs)
    result = ours(SEGMENT_LABELS, SEGMENT_PROBABILITIES, sample_weight=sample_weight)
    expected = theirs(SEGMENT_LABELS, SEGMENT_PROBABILITIES, sample_weight=sample_weight)
    assert_close(result, np.asarray(expected), rtol=1e-6, atol=1e-6)
    assert ours.get_config() == theirs.get_config()
