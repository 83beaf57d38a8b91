"""F1Score / FBetaScore and the *At* family (SensitivityAtSpecificity, ...) against Keras 3 and sklearn."""

import numpy as np
import pytest
from testing_utils import assert_close

from lamina import metrics
from lamina import ops
from lamina import saving


@pytest.fixture(autouse=True)
def fresh_keras_names(keras):
    """Keras numbers its automatic names per session, as lamina does per test."""
    keras.utils.clear_session(free_memory=False)


def _batches(shape=(6, 4), count=2, seed=0):
    rng = np.random.default_rng(seed)
    batches = []
    for _ in range(count):
        y_true = rng.integers(0, 2, size=shape).astype("float32")
        y_pred = rng.uniform(size=shape).astype("float32")
        y_pred.flat[:3] = [0.0, 1.0, 0.5]
        batches.append((y_true, y_pred, rng.uniform(size=shape[:1]).astype("float32")))
    return batches


def _run(ours, theirs, batches):
    # The first batch goes in unweighted, the others weighted: both paths in one run.
    for index, (y_true, y_pred, weights) in enumerate(batches):
        sample_weight = weights if index else None
        ours.update_state(y_true, y_pred, sample_weight=sample_weight)
        theirs.update_state(y_true, y_pred, sample_weight=sample_weight)
    return ops.convert_to_numpy(ours.result()), np.asarray(theirs.result())


@pytest.mark.parametrize("average", [None, "micro", "macro", "weighted"])
@pytest.mark.parametrize("threshold", [None, 0.4])
def test_f_scores_match_keras(keras, average, threshold):
    for name, kwargs in (("F1Score", {}), ("FBetaScore", {"beta": 0.5})):
        ours = getattr(metrics, name)(average=average, threshold=threshold, **kwargs)
        theirs = getattr(keras.metrics, name)(average=average, threshold=threshold, **kwargs)
        result, expected = _run(ours, theirs, _batches(seed=2))
        assert result.shape == expected.shape
        assert_close(result, expected, rtol=1e-6, atol=1e-7)
        assert ours.name == theirs.name
        assert ours.get_config() == theirs.get_config()
        assert [v.name for v in ours.variables] == [v.name for v in theirs.variables]
        ours.reset_state()
        assert float(np.sum(ops.convert_to_numpy(ours.result()))) == 0.0


@pytest.mark.parametrize("average", [None, "micro", "macro", "weighted"])
def test_f1_matches_sklearn(average):
    from sklearn.metrics import f1_score

    rng = np.random.default_rng(7)
    y_true = rng.integers(0, 2, size=(6, 4))
    y_pred = rng.uniform(size=(6, 4)).astype("float32")
    metric = metrics.F1Score(average=average, threshold=0.5)
    metric.update_state(y_true.astype("float32"), y_pred)
    expected = f1_score(y_true, (y_pred > 0.5).astype(int), average=average, zero_division=0)
    assert_close(metric.result(), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"average": "sum"}, "invalid `average` value"),
        ({"beta": 2}, "`beta` must be a Python float"),
        ({"beta": -1.0}, "`beta` must be > 0"),
        ({"threshold": 1}, "`threshold` must be a Python float"),
        ({"threshold": 1.5}, "0 < threshold <= 1"),
    ],
)
def test_f_beta_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        metrics.FBetaScore(**kwargs)


def test_f_beta_needs_two_dimensional_inputs():
    with pytest.raises(ValueError, match="expects 2D inputs"):
        metrics.F1Score().update_state([1.0, 0.0], [0.3, 0.6])


RATE_CASES = [
    ("SensitivityAtSpecificity", {"specificity": 0.6}),
    ("SensitivityAtSpecificity", {"specificity": 0.3, "num_thresholds": 1}),
    ("SpecificityAtSensitivity", {"sensitivity": 0.7, "num_thresholds": 20}),
    ("SpecificityAtSensitivity", {"sensitivity": 0.4, "class_id": 2}),
    ("PrecisionAtRecall", {"recall": 0.5}),
    ("PrecisionAtRecall", {"recall": 0.8, "num_thresholds": 3, "class_id": 1}),
    ("RecallAtPrecision", {"precision": 0.5}),
    ("RecallAtPrecision", {"precision": 0.9, "num_thresholds": 50}),
]


@pytest.mark.parametrize("name, kwargs", RATE_CASES, ids=str)
def test_rate_at_constraint_metrics_match_keras(keras, name, kwargs):
    ours = getattr(metrics, name)(**kwargs)
    theirs = getattr(keras.metrics, name)(**kwargs)
    result, expected = _run(ours, theirs, _batches(seed=5))
    assert_close(result, expected, rtol=1e-6, atol=1e-7)
    assert ours.name == theirs.name
    assert ours.get_config() == theirs.get_config()
    assert [v.name for v in ours.variables] == [v.name for v in theirs.variables]


def test_sensitivity_at_specificity_matches_a_numpy_sweep():
    rng = np.random.default_rng(9)
    y_true = rng.integers(0, 2, size=(50,))
    y_pred = rng.uniform(size=(50,)).astype("float32")
    metric = metrics.SensitivityAtSpecificity(0.5, num_thresholds=11)
    metric.update_state(y_true, y_pred)
    best = 0.0
    for threshold in np.linspace(0.0, 1.0, 11):
        positive = y_pred > threshold
        sensitivity = (positive & (y_true == 1)).sum() / max((y_true == 1).sum(), 1)
        specificity = (~positive & (y_true == 0)).sum() / max((y_true == 0).sum(), 1)
        if specificity >= 0.5:
            best = max(best, sensitivity)
    assert_close(metric.result(), best, rtol=1e-6)


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("F1Score", {"average": "macro", "threshold": 0.3}),
        ("FBetaScore", {"beta": 2.0}),
        ("PrecisionAtRecall", {"recall": 0.4, "num_thresholds": 20, "class_id": 1}),
        ("SpecificityAtSensitivity", {"sensitivity": 0.5}),
        ("RecallAtPrecision", {"precision": 0.7}),
        ("SensitivityAtSpecificity", {"specificity": 0.2}),
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


@pytest.mark.parametrize("name", ["SensitivityAtSpecificity", "RecallAtPrecision"])
def test_rate_metrics_reject_bad_arguments(name):
    with pytest.raises(ValueError, match="must be in \\[0, 1\\]"):
        getattr(metrics, name)(1.5)
    with pytest.raises(ValueError, match="`num_thresholds` must be an integer > 0"):
        getattr(metrics, name)(0.5, num_thresholds=0)
