"""TruePositives/.../FalseNegatives, Precision and Recall against NumPy and Keras 3."""

import numpy as np
import pytest
from testing_utils import assert_close

from lamina import metrics
from lamina import ops
from lamina import saving

RNG = np.random.default_rng(11)


@pytest.fixture(autouse=True)
def fresh_keras_names(keras):
    """Keras numbers its automatic names per session, as lamina does per test."""
    keras.utils.clear_session(free_memory=False)


def _batches(shape=(6, 4), count=3, seed=0):
    rng = np.random.default_rng(seed)
    batches = []
    for _ in range(count):
        y_true = rng.integers(0, 2, size=shape).astype("float32")
        y_pred = rng.uniform(size=shape).astype("float32")
        # Exact threshold values and the interval ends, where `>` versus `>=` matters.
        y_pred.flat[:4] = [0.0, 0.5, 1.0, 0.25]
        weights = rng.uniform(size=shape[:1]).astype("float32")
        batches.append((y_true, y_pred, weights))
    return batches


def _numpy_counts(batches, thresholds, weighted):
    counts = {key: np.zeros(len(thresholds)) for key in ("tp", "fp", "tn", "fn")}
    for y_true, y_pred, weights in batches:
        w = np.broadcast_to(weights[:, None] if weighted else 1.0, y_true.shape)
        for index, threshold in enumerate(thresholds):
            positive = y_pred > threshold
            label = y_true > 0
            counts["tp"][index] += (w * (label & positive)).sum()
            counts["fp"][index] += (w * (~label & positive)).sum()
            counts["tn"][index] += (w * (~label & ~positive)).sum()
            counts["fn"][index] += (w * (label & ~positive)).sum()
    return counts


def _run(ours, theirs, batches, weighted):
    for y_true, y_pred, weights in batches:
        sample_weight = weights if weighted else None
        ours.update_state(y_true, y_pred, sample_weight=sample_weight)
        theirs.update_state(y_true, y_pred, sample_weight=sample_weight)
    return ops.convert_to_numpy(ours.result()), np.asarray(theirs.result())


COUNT_CELLS = {"TruePositives": "tp", "FalsePositives": "fp", "TrueNegatives": "tn", "FalseNegatives": "fn"}


@pytest.mark.parametrize("thresholds", [None, 0.3, [0.1, 0.5, 0.85], [0.0, 0.5, 1.0]])
@pytest.mark.parametrize("weighted", [False, True])
def test_counts_match_numpy_and_keras(keras, thresholds, weighted):
    batches = _batches(count=2)
    listed = [0.5] if thresholds is None else thresholds if isinstance(thresholds, list) else [thresholds]
    references = _numpy_counts(batches, listed, weighted)
    for name, cell in COUNT_CELLS.items():
        ours = getattr(metrics, name)(thresholds=thresholds)
        theirs = getattr(keras.metrics, name)(thresholds=thresholds)
        result, expected = _run(ours, theirs, batches, weighted)
        reference = references[cell] if isinstance(thresholds, list) else references[cell][0]
        assert result.shape == expected.shape
        assert_close(result, reference, rtol=1e-5, atol=1e-5)
        assert_close(result, expected, rtol=1e-6, atol=1e-5)
        assert ours.name == theirs.name
        assert [v.name for v in ours.variables] == [v.name for v in theirs.variables]
        assert ours.get_config() == theirs.get_config()
        ours.reset_state()
        assert float(np.sum(ops.convert_to_numpy(ours.result()))) == 0.0


PRECISION_RECALL_CASES = [
    {},
    {"thresholds": 0.7},
    {"thresholds": [0.2, 0.5, 0.8]},
    {"thresholds": [0.0, 0.25, 0.5, 0.75, 1.0]},
    {"top_k": 2},
    {"class_id": 1},
    {"top_k": 2, "class_id": 3},
    {"thresholds": [0.3, 0.6], "class_id": 0},
]


@pytest.mark.parametrize("kwargs", PRECISION_RECALL_CASES, ids=str)
def test_precision_recall_match_keras(keras, kwargs):
    for name in ("Precision", "Recall"):
        for weighted in (False, True):
            ours = getattr(metrics, name)(**kwargs)
            theirs = getattr(keras.metrics, name)(**kwargs)
            result, expected = _run(ours, theirs, _batches(count=2, seed=3), weighted)
            assert result.shape == expected.shape
            assert_close(result, expected, rtol=1e-6, atol=1e-7)
            assert ours.get_config() == theirs.get_config()
            assert [v.name for v in ours.variables] == [v.name for v in theirs.variables]


def test_precision_recall_match_sklearn():
    from sklearn.metrics import precision_score
    from sklearn.metrics import recall_score

    y_true = RNG.integers(0, 2, size=(40,))
    y_pred = RNG.uniform(size=(40,)).astype("float32")
    weights = RNG.uniform(size=(40,)).astype("float32")
    precision, recall = metrics.Precision(thresholds=0.4), metrics.Recall(thresholds=0.4)
    precision.update_state(y_true, y_pred, sample_weight=weights)
    recall.update_state(y_true, y_pred, sample_weight=weights)
    assert_close(precision.result(), precision_score(y_true, y_pred > 0.4, sample_weight=weights), rtol=1e-5)
    assert_close(recall.result(), recall_score(y_true, y_pred > 0.4, sample_weight=weights), rtol=1e-5)


@pytest.mark.parametrize("name", ["Precision", "Recall"])
def test_rank_one_inputs_and_column_weights(keras, name):
    ours, theirs = getattr(metrics, name)(), getattr(keras.metrics, name)()
    y_true = np.array([[1.0], [0.0], [1.0], [1.0]], dtype="float32")
    y_pred = np.array([0.9, 0.8, 0.2, 0.6], dtype="float32")
    weights = np.array([[0.5], [1.0], [2.0], [0.25]], dtype="float32")
    ours.update_state(y_true, y_pred, sample_weight=weights)
    theirs.update_state(y_true, y_pred, sample_weight=weights)
    assert_close(ours.result(), np.asarray(theirs.result()))


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("TruePositives", {"thresholds": [0.2, 0.7]}),
        ("FalseNegatives", {}),
        ("TrueNegatives", {"thresholds": 0.25}),
        ("FalsePositives", {"thresholds": [0.0, 0.5, 1.0]}),
        ("Precision", {"top_k": 3, "class_id": 1}),
        ("Recall", {"thresholds": 0.4}),
    ],
)
def test_serialization_matches_keras(keras, name, kwargs):
    ours = getattr(metrics, name)(**kwargs)
    theirs = getattr(keras.metrics, name)(**kwargs)
    config = keras.saving.serialize_keras_object(theirs)
    assert saving.serialize_keras_object(ours) == config
    rebuilt = saving.deserialize_keras_object(config)
    assert type(rebuilt) is type(ours)
    assert rebuilt.get_config() == ours.get_config()


@pytest.mark.parametrize("name", ["Precision", "TruePositives"])
def test_thresholds_outside_the_unit_interval_are_rejected(name):
    with pytest.raises(ValueError, match=r"threshold values must be in \[0, 1\]"):
        getattr(metrics, name)(thresholds=[0.5, 1.5])


@pytest.mark.parametrize(
    "identifier, class_name",
    [("precision", "Precision"), ("recall", "Recall"), ("true_positives", "TruePositives")],
)
def test_string_identifiers_resolve_like_keras(keras, identifier, class_name):
    assert type(metrics.get(identifier)).__name__ == class_name
    assert type(keras.metrics.get(identifier)).__name__ == class_name


def test_class_id_needs_a_class_axis():
    with pytest.raises(ValueError, match="with `class_id`, y_pred must have shape"):
        metrics.Precision(class_id=1).update_state([1, 0], [0.3, 0.6])
