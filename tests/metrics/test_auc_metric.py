"""AUC (ROC, PR, PRGAIN; every summation method; multi-label) against Keras 3 and scikit-learn."""

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


def _batches(shape=(6, 4), count=2, seed=0, logits=False):
    rng = np.random.default_rng(seed)
    batches = []
    for _ in range(count):
        y_true = rng.integers(0, 2, size=shape).astype("float32")
        y_pred = (rng.normal(size=shape) * 2 if logits else rng.uniform(size=shape)).astype("float32")
        if not logits:
            # The curve's ends and a threshold value, where the buckets' edges matter.
            y_pred.flat[:3] = [0.0, 1.0, 0.5]
        weights = rng.uniform(size=shape[:1]).astype("float32")
        batches.append((y_true, y_pred, weights))
    return batches


def _run(ours, theirs, batches):
    # The first batch goes in unweighted, the others weighted: both paths in one run.
    for index, (y_true, y_pred, weights) in enumerate(batches):
        sample_weight = weights if index else None
        ours.update_state(y_true, y_pred, sample_weight=sample_weight)
        theirs.update_state(y_true, y_pred, sample_weight=sample_weight)
    return ops.convert_to_numpy(ours.result()), np.asarray(theirs.result())


AUC_CASES = [
    {},
    {"curve": "PR"},
    {"curve": "ROC", "summation_method": "majoring", "num_thresholds": 7},
    {"curve": "PRGAIN", "num_thresholds": 11},
    {"thresholds": [0.1, 0.35, 0.5, 0.8]},
    {"thresholds": [0.25, 0.5, 0.75], "curve": "PR", "summation_method": "minoring"},
    {"multi_label": True},
    {"multi_label": True, "num_labels": 4, "curve": "PR"},
    {"multi_label": True, "label_weights": [0.5, 1.0, 0.0, 2.0]},
    {"label_weights": [0.5, 1.0, 0.0, 2.0], "curve": "PR", "summation_method": "majoring"},
    {"multi_label": True, "thresholds": [0.3, 0.6], "curve": "pr"},
]


@pytest.mark.parametrize("kwargs", AUC_CASES, ids=str)
def test_auc_matches_keras(keras, kwargs):
    ours = metrics.AUC(**kwargs)
    theirs = keras.metrics.AUC(**kwargs)
    result, expected = _run(ours, theirs, _batches())
    assert_close(result, expected, rtol=1e-6, atol=1e-7)
    assert [v.name for v in ours.variables] == [v.name for v in theirs.variables]
    assert [tuple(v.shape) for v in ours.variables] == [tuple(v.shape) for v in theirs.variables]
    ours_config, theirs_config = ours.get_config(), theirs.get_config()
    ours_weights, theirs_weights = ours_config.pop("label_weights"), theirs_config.pop("label_weights")
    assert (ours_weights is None) == (theirs_weights is None)
    if ours_weights is not None:
        assert_close(ours_weights, np.asarray(theirs_weights))
    assert ours_config == theirs_config
    ours.reset_state()
    assert float(ops.convert_to_numpy(ours.result())) == 0.0


def test_auc_from_logits_matches_keras(keras):
    ours, theirs = metrics.AUC(from_logits=True), keras.metrics.AUC(from_logits=True)
    result, expected = _run(ours, theirs, _batches(logits=True))
    assert_close(result, expected, rtol=1e-6)


def test_roc_auc_matches_sklearn():
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(4)
    y_true = rng.integers(0, 2, size=(300,))
    y_pred = np.clip(rng.normal(0.4 + 0.2 * y_true, 0.2), 0, 1).astype("float32")
    weights = rng.uniform(size=(300,)).astype("float32")
    metric = metrics.AUC(num_thresholds=1000)
    metric.update_state(y_true[:150], y_pred[:150], sample_weight=weights[:150])
    metric.update_state(y_true[150:], y_pred[150:], sample_weight=weights[150:])
    assert_close(metric.result(), roc_auc_score(y_true, y_pred, sample_weight=weights), rtol=2e-3)


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"curve": "PR", "summation_method": "minoring", "num_thresholds": 50}, {"thresholds": [0.2, 0.6]}],
    ids=str,
)
def test_auc_serialization_matches_keras(keras, kwargs):
    ours, theirs = metrics.AUC(**kwargs), keras.metrics.AUC(**kwargs)
    config = keras.saving.serialize_keras_object(theirs)
    assert saving.serialize_keras_object(ours) == config
    rebuilt = saving.deserialize_keras_object(config)
    assert type(rebuilt) is metrics.AUC
    assert rebuilt.get_config() == ours.get_config()


def test_auc_string_identifier(keras):
    assert metrics.get("auc").name == keras.metrics.get("auc").name == "auc"
    assert type(metrics.get("auc")) is metrics.AUC
    assert type(metrics.get("AUC")) is metrics.AUC


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"curve": "area"}, "invalid `curve`"),
        ({"summation_method": "midpoint"}, "invalid `summation_method`"),
        ({"num_thresholds": 1}, "`num_thresholds` must be an integer > 1"),
        ({"num_labels": 3}, "`num_labels` is needed only when `multi_label=True`"),
        ({"thresholds": [0.5, 2.0]}, r"must be in \[0, 1\]"),
    ],
)
def test_auc_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        metrics.AUC(**kwargs)


def test_multi_label_auc_needs_rank_two_predictions():
    with pytest.raises(ValueError, match="must have rank 2 when `multi_label=True`"):
        metrics.AUC(multi_label=True).update_state([1.0, 0.0], [0.3, 0.6])
