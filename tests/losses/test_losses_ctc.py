"""The CTC loss against a brute-force sum over all alignments and against Keras 3."""

import itertools

import numpy as np
import pytest
from testing_utils import assert_close
from testing_utils import gradient
from testing_utils import numerical_gradient

import lamina
from lamina import losses
from lamina import ops
from lamina.backend import backend

RNG = np.random.default_rng(3)
LOGITS = RNG.normal(size=(5, 4, 3)).astype("float32")
# Padded with the blank 0; includes a repeated label, an empty label and a full-length one.
LABELS = np.array([[1, 2, 0], [2, 2, 0], [0, 0, 0], [1, 0, 0], [1, 2, 1]], dtype="int32")
WEIGHTS = np.array([0.5, 1.0, 2.0, 0.0, 1.5], dtype="float32")


def _collapse(path):
    """The label sequence an alignment spells: merge repeats, then drop blanks."""
    merged = [label for index, label in enumerate(path) if index == 0 or label != path[index - 1]]
    return tuple(label for label in merged if label != 0)


def _brute_force_ctc(labels, logits):
    logits = np.asarray(logits, dtype=np.float64)
    log_probs = logits - np.log(np.exp(logits).sum(axis=-1, keepdims=True))
    losses_per_sample = []
    for sample_labels, sample_log_probs in zip(labels, log_probs):
        target = tuple(int(label) for label in sample_labels if label != 0)
        steps, classes = sample_log_probs.shape
        total = 0.0
        for path in itertools.product(range(classes), repeat=steps):
            if _collapse(path) == target:
                total += np.exp(sum(sample_log_probs[t, k] for t, k in enumerate(path)))
        losses_per_sample.append(-np.log(total) if total > 0 else np.inf)
    return np.array(losses_per_sample)


def test_ctc_matches_brute_force_and_keras(keras):
    ours = losses.ctc(LABELS, LOGITS)
    assert_close(ours, _brute_force_ctc(LABELS, LOGITS), rtol=1e-5)
    assert_close(ours, np.asarray(keras.losses.ctc(LABELS, LOGITS)), rtol=1e-6)


@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", "mean_with_sample_weight", "none"])
@pytest.mark.parametrize("weighted", [False, True])
def test_ctc_class_reductions_match_keras(keras, reduction, weighted):
    sample_weight = WEIGHTS if weighted else None
    ours = losses.CTC(reduction=reduction)(LABELS, LOGITS, sample_weight=sample_weight)
    theirs = keras.losses.CTC(reduction=reduction)(LABELS, LOGITS, sample_weight=sample_weight)
    assert_close(ours, np.asarray(theirs), rtol=1e-6)


def test_ctc_longer_random_sequences_match_keras(keras):
    logits = RNG.normal(size=(3, 12, 6)).astype("float32")
    labels = np.array([[1, 5, 5, 2, 3, 0], [4, 4, 4, 4, 0, 0], [1, 2, 3, 4, 5, 1]], dtype="int32")
    assert_close(losses.ctc(labels, logits), np.asarray(keras.losses.ctc(labels, logits)), rtol=1e-6)


@pytest.mark.parametrize(
    "labels_shape, logits_shape, message",
    [((5,), (5, 4, 3), "y_true.shape"), ((5, 3), (5, 4), "y_pred.shape")],
)
def test_ctc_rejects_bad_shapes(labels_shape, logits_shape, message):
    with pytest.raises(ValueError, match=message):
        losses.ctc(np.ones(labels_shape, "int32"), np.zeros(logits_shape, "float32"))


@pytest.mark.requires_trainable_backend
def test_ctc_gradient_matches_finite_differences():
    labels = LABELS[:2]
    (ours,) = gradient(lambda logits: losses.ctc(labels, logits), LOGITS[:2])
    (expected,) = numerical_gradient(lambda logits: _brute_force_ctc(labels, logits), LOGITS[:2])
    assert_close(ours, expected, rtol=1e-3, atol=1e-3)


@pytest.mark.jax_only
def test_ctc_compiles_under_jit():
    import jax

    compiled = jax.jit(lambda labels, logits: losses.CTC()(labels, logits))
    assert_close(compiled(LABELS, LOGITS), ops.mean(losses.ctc(LABELS, LOGITS)), rtol=1e-6)


@pytest.mark.requires_trainable_backend
def test_ctc_trains_a_tiny_model():
    inputs = lamina.Input(shape=(4, 2))
    outputs = lamina.layers.Dense(3)(inputs)
    model = lamina.Model(inputs, outputs)
    model.compile(optimizer=lamina.optimizers.Adam(0.05), loss="ctc")
    features = RNG.normal(size=(8, 4, 2)).astype("float32")
    labels = np.tile(np.array([[1, 2, 0]], dtype="int32"), (8, 1))
    history = model.fit(features, labels, batch_size=4, epochs=5, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert backend() in ("jax", "torch")
