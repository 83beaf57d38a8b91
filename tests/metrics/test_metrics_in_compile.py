"""Regression, IoU and correlation metrics in `compile()`: names, sample weights, fit, evaluate vs Keras."""

import warnings

import numpy as np
import pytest

import lamina

RNG = np.random.default_rng(2)
X = RNG.normal(size=(16, 4)).astype("float32")
Y = RNG.uniform(size=(16, 3)).astype("float32")
WEIGHTS = RNG.uniform(size=(16,)).astype("float32")
METRICS = [
    "hinge",
    "kl_divergence",
    "poisson",
    "log_cosh_error",
    "cosine_similarity",
    "r2_score",
    "mae",
    "concordance_correlation",
]


def _metric_objects(library):
    return [library.metrics.MeanIoU(2, sparse_y_true=False, sparse_y_pred=False, name="iou")]


def _weighted(library):
    return ["mae", library.metrics.R2Score(), "pearson_correlation", "squared_hinge"]


def _models(keras):
    ours = lamina.Sequential([lamina.Input((4,)), lamina.layers.Dense(3, activation="sigmoid")])
    theirs = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="sigmoid")])
    theirs.set_weights(ours.get_weights())
    for model, library in ((ours, lamina), (theirs, keras)):
        model.compile(
            optimizer="sgd",
            loss="mse",
            metrics=METRICS + _metric_objects(library),
            weighted_metrics=_weighted(library),
        )
    return ours, theirs


def _keras_run(function, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return function(*args, **kwargs)


def _assert_logs_match(ours, theirs):
    assert set(ours) == set(theirs)
    for name in theirs:
        np.testing.assert_allclose(np.asarray(ours[name]), np.asarray(theirs[name]), rtol=2e-5, atol=1e-6)


def test_evaluate_with_weighted_metrics_matches_keras(keras):
    ours, theirs = _models(keras)
    kwargs = {"sample_weight": WEIGHTS, "batch_size": 8, "return_dict": True, "verbose": 0}
    our_logs = ours.evaluate(X, Y, **kwargs)
    their_logs = _keras_run(theirs.evaluate, X, Y, **kwargs)
    # Keras renames a weighted metric whose name is taken: "weighted_mae", "weighted_r2_score".
    assert {"mae", "weighted_mae", "r2_score", "weighted_r2_score", "iou"} <= set(our_logs)
    _assert_logs_match(our_logs, their_logs)
    assert our_logs["mae"] != our_logs["weighted_mae"]


@pytest.mark.requires_trainable_backend
def test_fit_with_metrics_matches_keras(keras):
    ours, theirs = _models(keras)
    kwargs = {"sample_weight": WEIGHTS, "batch_size": 8, "epochs": 2, "verbose": 0, "shuffle": False}
    our_history = ours.fit(X, Y, **kwargs).history
    their_history = _keras_run(theirs.fit, X, Y, **kwargs).history
    assert set(our_history) == set(their_history)
    for name in their_history:
        np.testing.assert_allclose(our_history[name], their_history[name], rtol=1e-4, atol=1e-5)


def test_repeated_metric_names_are_numbered_as_in_keras(keras):
    ours = lamina.Sequential([lamina.Input((4,)), lamina.layers.Dense(3)])
    theirs = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
    theirs.set_weights(ours.get_weights())
    ours.compile(loss="mse", metrics=["mae", "mae"], weighted_metrics=["mae", "mae"])
    theirs.compile(loss="mse", metrics=["mae", "mae"], weighted_metrics=["mae", "mae"])
    kwargs = {"sample_weight": WEIGHTS, "return_dict": True, "verbose": 0}
    _assert_logs_match(ours.evaluate(X, Y, **kwargs), _keras_run(theirs.evaluate, X, Y, **kwargs))
