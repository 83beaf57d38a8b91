"""The stateless metric API (also under jax.jit), `metrics.get`, and accuracy resolution."""

import os

import numpy as np
import pytest
from testing_utils import assert_close

from lamina import losses
from lamina import metrics
from lamina import ops

RNG = np.random.default_rng(5)


@pytest.fixture(scope="module")
def keras():
    os.environ["KERAS_BACKEND"] = "jax"
    return pytest.importorskip("keras")


def _batch():
    labels = RNG.integers(0, 3, size=(6, 1))
    scores = RNG.normal(size=(6, 3)).astype("float32")
    weights = RNG.uniform(size=(6,)).astype("float32")
    return labels, scores, weights


def test_stateless_api_matches_the_stateful_one():
    stateful = metrics.SparseCategoricalAccuracy()
    stateless = metrics.SparseCategoricalAccuracy()
    state = stateless.stateless_reset_state()
    assert len(state) == len(stateless.variables) == 2
    for _ in range(3):
        labels, scores, weights = _batch()
        stateful.update_state(labels, scores, sample_weight=weights)
        state = stateless.stateless_update_state(state, labels, scores, sample_weight=weights)
    assert_close(stateless.stateless_result(state), ops.convert_to_numpy(stateful.result()))
    # The stateless calls leave the metric's own variables untouched.
    assert float(ops.convert_to_numpy(stateless.result())) == 0.0
    assert [float(ops.convert_to_numpy(v)) for v in stateless.stateless_reset_state()] == [0.0, 0.0]


def test_stateless_calls_check_the_number_of_values():
    metric = metrics.Mean()
    with pytest.raises(ValueError, match="must match Mean\\(\\).variables one to one"):
        metric.stateless_update_state([ops.zeros(())], [1.0])
    with pytest.raises(ValueError, match="Received 3 values for 2 variables"):
        metric.stateless_result([ops.zeros(())] * 3)


@pytest.mark.jax_only
def test_stateless_update_runs_under_jit():
    import jax

    metric = metrics.CategoricalCrossentropy(from_logits=True)
    stateful = metrics.CategoricalCrossentropy(from_logits=True)

    @jax.jit
    def step(state, y_true, y_pred, weights):
        state = metric.stateless_update_state(state, y_true, y_pred, sample_weight=weights)
        return state, metric.stateless_result(state)

    state = metric.stateless_reset_state()
    for _ in range(3):
        labels, scores, weights = _batch()
        one_hot = np.eye(3, dtype="float32")[labels[:, 0]]
        state, result = step(state, one_hot, scores, weights)
        stateful.update_state(one_hot, scores, sample_weight=weights)
    assert_close(result, ops.convert_to_numpy(stateful.result()))
    assert step._cache_size() == 1


@pytest.mark.jax_only
def test_metrics_with_masks_run_under_jit():
    import jax

    metric = metrics.SparseCategoricalCrossentropy(ignore_class=0)
    labels, scores, weights = _batch()
    probabilities = np.exp(scores) / np.exp(scores).sum(-1, keepdims=True)

    @jax.jit
    def update(state, y_true, y_pred):
        return metric.stateless_update_state(state, y_true, y_pred)

    state = update(metric.stateless_reset_state(), labels, probabilities)
    metric.update_state(labels, probabilities)
    assert_close(metric.stateless_result(state), ops.convert_to_numpy(metric.result()))


@pytest.mark.parametrize(
    "identifier, class_name, name",
    [
        ("accuracy", "Accuracy", "accuracy"),
        ("mse", "MeanSquaredError", "mean_squared_error"),
        ("MAE", "MeanAbsoluteError", "mean_absolute_error"),
        ("mean_squared_error", "MeanSquaredError", "mean_squared_error"),
        ("sparse_categorical_accuracy", "SparseCategoricalAccuracy", "sparse_categorical_accuracy"),
        ("binary_crossentropy", "BinaryCrossentropy", "binary_crossentropy"),
        ("bce", "BinaryCrossentropy", "binary_crossentropy"),
        ("RootMeanSquaredError", "RootMeanSquaredError", "root_mean_squared_error"),
        ("top_k_categorical_accuracy", "TopKCategoricalAccuracy", "top_k_categorical_accuracy"),
    ],
)
def test_get_gives_what_keras_gives(keras, identifier, class_name, name):
    ours = metrics.get(identifier)
    theirs = keras.metrics.get(identifier)
    assert type(ours).__name__ == type(theirs).__name__ == class_name
    assert ours.name == theirs.name == name


def test_get_other_identifiers():
    instance = metrics.Mean()
    assert metrics.get(instance) is instance
    assert metrics.get(metrics.binary_accuracy) is metrics.binary_accuracy
    assert metrics.get(None) is None
    assert isinstance(
        metrics.get({"class_name": "BinaryAccuracy", "config": {"threshold": 0.2}}), metrics.BinaryAccuracy
    )
    with pytest.raises(ValueError, match="Could not interpret metric identifier"):
        metrics.get("not_a_metric")


def test_serialization_matches_keras(keras):
    for name in [
        "Mean",
        "Sum",
        "Accuracy",
        "BinaryAccuracy",
        "SparseTopKCategoricalAccuracy",
        "RootMeanSquaredError",
        "SparseCategoricalCrossentropy",
    ]:
        assert metrics.serialize(getattr(metrics, name)()) == keras.metrics.serialize(
            getattr(keras.metrics, name)()
        )
    function_config = metrics.serialize(metrics.sparse_categorical_accuracy)
    assert function_config == keras.metrics.serialize(keras.metrics.sparse_categorical_accuracy)
    assert metrics.deserialize(function_config) is metrics.sparse_categorical_accuracy


@pytest.mark.parametrize(
    "y_true_shape, y_pred_shape, loss, expected",
    [
        ((32,), (32, 10), None, "SparseCategoricalAccuracy"),
        ((32, 1), (32, 10), None, "SparseCategoricalAccuracy"),
        ((None, 1), (None, 10), "sparse_categorical_crossentropy", "SparseCategoricalAccuracy"),
        ((32, 10), (32, 10), None, "CategoricalAccuracy"),
        ((32, 10), (32, 10), "categorical_crossentropy", "CategoricalAccuracy"),
        ((32, 1), (32, 1), None, "BinaryAccuracy"),
        ((32,), (32, 1), None, "BinaryAccuracy"),
        ((32, 5), (32, 5), "binary_crossentropy", "BinaryAccuracy"),
        ((32, 5), (32, 5), losses.BinaryCrossentropy(), "BinaryAccuracy"),
        ((32, 5), (32, 5), losses.binary_crossentropy, "BinaryAccuracy"),
        ((32, 7, 1), (32, 7, 4), None, "SparseCategoricalAccuracy"),
    ],
)
def test_resolve_accuracy(y_true_shape, y_pred_shape, loss, expected):
    assert metrics.resolve_accuracy(y_true_shape, y_pred_shape, loss).__name__ == expected
    crossentropy = metrics.resolve_crossentropy(y_true_shape, y_pred_shape, loss)
    assert crossentropy.__name__ == expected.replace("Accuracy", "Crossentropy")
    assert issubclass(crossentropy, metrics.Metric)


@pytest.mark.parametrize(
    "y_true_shape, y_pred_shape",
    [
        ((32,), (32, 10)),
        ((32, 1), (32, 10)),
        ((32, 10), (32, 10)),
        ((32, 1), (32, 1)),
        ((32, 4, 1), (32, 4, 3)),
    ],
)
def test_resolution_follows_keras_without_a_loss(keras, y_true_shape, y_pred_shape):
    from keras.src.trainers import compile_utils

    y_true = keras.KerasTensor(y_true_shape)
    y_pred = keras.KerasTensor(y_pred_shape)
    theirs = compile_utils.get_metric("accuracy", y_true, y_pred)
    assert metrics.resolve_accuracy(y_true_shape, y_pred_shape).__name__ == type(theirs).__name__
    their_loss = compile_utils.get_loss("crossentropy", y_true, y_pred)
    assert metrics.resolve_crossentropy_loss(y_true_shape, y_pred_shape).__name__ == their_loss.fn.__name__
    crossentropy_metric = metrics.resolve_crossentropy(y_true_shape, y_pred_shape).__name__
    assert crossentropy_metric == their_loss.fn.__name__.title().replace("_", "")


def test_every_keras_metric_function_exists_and_matches_keras(keras):
    their_functions = {
        name
        for name in dir(keras.metrics)
        if name[0].islower()
        and callable(getattr(keras.metrics, name))
        and name not in ("get", "serialize", "deserialize")
    }
    assert their_functions <= set(dir(metrics))
    rng = np.random.default_rng(3)
    y_true = np.eye(4, dtype="float32")[rng.integers(0, 4, 6)]
    y_pred = rng.uniform(0.05, 0.95, (6, 4)).astype("float32")
    for name in ("binary_focal_crossentropy", "categorical_focal_crossentropy", "huber"):
        ours = ops.convert_to_numpy(getattr(metrics, name)(y_true, y_pred))
        theirs = np.asarray(getattr(keras.metrics, name)(y_true, y_pred))
        assert_close(ours, theirs, rtol=1e-6, atol=1e-7)
