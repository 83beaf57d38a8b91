"""Mean, Sum, MeanMetricWrapper and the Metric base (state, reset, configs)."""

import os

import numpy as np
import pytest
from testing_utils import assert_close

from lamina import metrics
from lamina import ops

RNG = np.random.default_rng(2)


@pytest.fixture(scope="module")
def keras():
    os.environ["KERAS_BACKEND"] = "jax"
    return pytest.importorskip("keras")


def test_mean_accumulates_over_batches_and_resets():
    metric = metrics.Mean()
    batches = [RNG.normal(size=(4,)).astype("float32") for _ in range(3)]
    for batch in batches:
        metric.update_state(batch)
    assert_close(metric.result(), np.concatenate(batches).mean())
    metric.reset_state()
    assert float(ops.convert_to_numpy(metric.result())) == 0.0
    metric.update_state(batches[0])
    assert_close(metric.result(), batches[0].mean())


def test_weighted_mean_and_sum_match_numpy_and_keras(keras):
    values = RNG.normal(size=(3, 5)).astype("float32")
    weights = RNG.uniform(size=(3, 5)).astype("float32")
    row_weights = RNG.uniform(size=(3,)).astype("float32")
    for metric_name in ["Mean", "Sum"]:
        for sample_weight in [None, weights, row_weights]:
            ours = getattr(metrics, metric_name)()
            theirs = getattr(keras.metrics, metric_name)()
            for _ in range(2):
                ours.update_state(values, sample_weight=sample_weight)
                theirs.update_state(values, sample_weight=sample_weight)
            assert_close(ours.result(), np.asarray(theirs.result()))
    weighted_mean = metrics.Mean()
    weighted_mean.update_state(values, sample_weight=weights)
    assert_close(weighted_mean.result(), (values * weights).sum() / weights.sum())
    total = metrics.Sum()
    total.update_state(values, sample_weight=row_weights)
    assert_close(total.result(), (values * row_weights[:, None]).sum())


def test_mean_metric_wrapper_tracks_a_function():
    def absolute_error(y_true, y_pred):
        return ops.abs(ops.subtract(y_true, y_pred))

    metric = metrics.MeanMetricWrapper(absolute_error, name="absolute_error")
    y_true = RNG.normal(size=(4, 2)).astype("float32")
    y_pred = RNG.normal(size=(4, 2)).astype("float32")
    metric.update_state(y_true, y_pred)
    metric.update_state(y_pred, y_true, sample_weight=np.array([1.0, 0.0, 0.0, 1.0], "float32"))
    errors = np.abs(y_true - y_pred)
    per_sample = errors.mean(axis=-1)
    expected = (per_sample.sum() + per_sample[0] + per_sample[3]) / (4 + 2)
    assert_close(metric.result(), expected)
    assert metric.name == "absolute_error"


def test_variables_have_keras_paths_and_order(keras):
    ours = metrics.Mean(name="loss")
    theirs = keras.metrics.Mean(name="loss")
    assert (
        [v.path for v in ours.variables] == [v.path for v in theirs.variables] == ["loss/total", "loss/count"]
    )
    assert all(not v.trainable for v in ours.variables)
    assert [v.path for v in metrics.Sum().variables] == ["sum/total"]


def test_sub_metrics_and_variables_assigned_as_attributes_are_tracked():
    class Pair(metrics.Metric):
        def __init__(self):
            super().__init__(name="pair")
            self.first = metrics.Mean(name="first")
            self.second = metrics.Sum(name="second")
            self.extra = self.add_variable((), "zeros", name="extra")

        def update_state(self, values):
            self.first.update_state(values)
            self.second.update_state(values)

        def result(self):
            return self.first.result() + self.second.result()

    pair = Pair()
    assert [v.path for v in pair.variables] == ["pair/extra", "first/total", "first/count", "second/total"]
    pair.update_state(np.array([1.0, 3.0], "float32"))
    assert float(ops.convert_to_numpy(pair.result())) == 6.0
    pair.reset_state()
    assert float(ops.convert_to_numpy(pair.result())) == 0.0


def test_metric_call_updates_and_returns_the_result():
    metric = metrics.Mean()
    assert_close(metric([1.0, 2.0]), 1.5)
    assert_close(metric([6.0]), 3.0)


def test_forgetting_super_init_is_a_clear_error():
    class Broken(metrics.Metric):
        def __init__(self):
            self.total = self.add_variable((), "zeros", name="total")

    with pytest.raises(RuntimeError, match="super"):
        Broken()


def test_configs_round_trip():
    mean = metrics.Mean(name="average", dtype="float32")
    assert mean.get_config() == {"name": "average", "dtype": "float32"}
    assert metrics.deserialize(metrics.serialize(mean)).name == "average"
    wrapper = metrics.MeanMetricWrapper(metrics.binary_accuracy, name="bin", threshold=0.3)
    restored = metrics.deserialize(metrics.serialize(wrapper))
    assert restored._fn is metrics.binary_accuracy
    assert restored._fn_kwargs == {"threshold": 0.3}
    restored.update_state([[1.0], [0.0]], [[0.4], [0.2]])
    assert_close(restored.result(), 1.0)
