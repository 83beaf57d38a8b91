"""Confusion metrics inside `compile(metrics=[...])`: fit on jax/torch, evaluate on every backend."""

import numpy as np
import pytest
from testing_utils import assert_close

import lamina
from lamina import metrics
from lamina import ops


def _data(labels=1):
    rng = np.random.default_rng(21)
    features = rng.normal(size=(48, 5)).astype("float32")
    targets = (features[:, :labels] + 0.5 * rng.normal(size=(48, labels)) > 0).astype("float32")
    weights = rng.uniform(0.2, 1.0, size=(48,)).astype("float32")
    return features, targets, weights


def _model(units):
    return lamina.Sequential([lamina.Input(shape=(5,)), lamina.layers.Dense(units, activation="sigmoid")])


def _standalone(metric, y_true, y_pred, weights=None):
    metric.update_state(y_true, y_pred, sample_weight=weights)
    return float(ops.convert_to_numpy(metric.result()))


STRING_METRICS = ["auc", "precision", "recall", "true_positives"]


def test_evaluate_reports_the_standalone_values():
    features, targets, weights = _data()
    model = _model(1)
    model.compile(
        loss="binary_crossentropy",
        metrics=STRING_METRICS + [metrics.AUC(curve="PR", name="pr_auc"), metrics.PrecisionAtRecall(0.5)],
        weighted_metrics=[metrics.Recall(thresholds=0.3, name="weighted_recall")],
    )
    logs = model.evaluate(
        features, targets, sample_weight=weights, batch_size=16, verbose=0, return_dict=True
    )
    predictions = ops.convert_to_numpy(model.predict(features, batch_size=16, verbose=0))
    expected = {name: _standalone(metrics.get(name), targets, predictions) for name in STRING_METRICS}
    expected["pr_auc"] = _standalone(metrics.AUC(curve="PR"), targets, predictions)
    expected["precision_at_recall"] = _standalone(metrics.PrecisionAtRecall(0.5), targets, predictions)
    expected["weighted_recall"] = _standalone(metrics.Recall(thresholds=0.3), targets, predictions, weights)
    for name, value in expected.items():
        assert_close(logs[name], value, rtol=1e-5, atol=1e-6)


@pytest.mark.requires_trainable_backend
def test_fit_tracks_lazily_built_metrics():
    features, targets, _ = _data(labels=3)
    model = _model(3)
    f1 = metrics.F1Score(average="macro", threshold=0.5)
    multi_label_auc = metrics.AUC(multi_label=True, name="multi_auc")
    model.compile(
        optimizer=lamina.optimizers.Adam(0.01),
        loss="binary_crossentropy",
        metrics=[f1, multi_label_auc],
    )
    history = model.fit(features, targets, batch_size=16, epochs=2, verbose=0)
    assert set(history.history) >= {"loss", "f1_score", "multi_auc"}
    logs = model.evaluate(features, targets, batch_size=48, verbose=0, return_dict=True)
    predictions = ops.convert_to_numpy(model.predict(features, batch_size=48, verbose=0))
    expected = {
        "f1_score": _standalone(metrics.F1Score(average="macro", threshold=0.5), targets, predictions),
        "multi_auc": _standalone(metrics.AUC(multi_label=True), targets, predictions),
    }
    for name, value in expected.items():
        assert_close(logs[name], value, rtol=1e-5, atol=1e-6)
