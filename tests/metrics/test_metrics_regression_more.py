"""Hinge, KL divergence, Poisson, log-cosh, cosine, correlation and R2 metrics against NumPy and Keras 3."""

import warnings

import numpy as np
import pytest
from testing_utils import assert_close

import lamina
from lamina import metrics

RNG = np.random.default_rng(11)
BATCH = 5


def _regression():
    return RNG.normal(size=(BATCH, 3)).astype("float32"), RNG.normal(size=(BATCH, 3)).astype("float32")


def _distributions():
    return (
        RNG.dirichlet([1.0] * 3, size=BATCH).astype("float32"),
        RNG.dirichlet([1.0] * 3, size=BATCH).astype("float32"),
    )


def _binary_labels():
    labels = RNG.integers(0, 2, size=(BATCH, 3)).astype("float32")
    return labels, RNG.normal(size=(BATCH, 3)).astype("float32")


def _one_hot():
    return np.eye(3, dtype="float32")[RNG.integers(0, 3, size=BATCH)], RNG.normal(size=(BATCH, 3)).astype(
        "float32"
    )


def _signed(t):
    return np.where(t == 0, -1.0, t)


def _unit(v):
    return v / np.maximum(np.sqrt((v**2).sum(-1, keepdims=True)), 1e-12)


def _pearson(t, p):
    tc, pc = t - t.mean(-1, keepdims=True), p - p.mean(-1, keepdims=True)
    return (tc / tc.std(-1, keepdims=True) * pc / pc.std(-1, keepdims=True)).mean(-1)


def _concordance(t, p):
    # Keras centres y_true on mean(y_pred) in the covariance; the reference follows it.
    tm, pm = t.mean(-1, keepdims=True), p.mean(-1, keepdims=True)
    norm = t.var(-1, keepdims=True) + p.var(-1, keepdims=True) + (tm - pm) ** 2
    return (2 * (t - pm) * (p - pm) / (norm + 1e-7)).mean(-1)


CASES = {
    "Hinge": (_binary_labels, lambda t, p: np.maximum(1 - _signed(t) * p, 0).mean(-1)),
    "SquaredHinge": (_binary_labels, lambda t, p: (np.maximum(1 - _signed(t) * p, 0) ** 2).mean(-1)),
    "CategoricalHinge": (
        _one_hot,
        lambda t, p: np.maximum(((1 - t) * p).max(-1) - (t * p).sum(-1) + 1, 0),
    ),
    "KLDivergence": (
        _distributions,
        lambda t, p: (np.clip(t, 1e-7, 1) * np.log(np.clip(t, 1e-7, 1) / np.clip(p, 1e-7, 1))).sum(-1),
    ),
    "Poisson": (_distributions, lambda t, p: (p - t * np.log(p + 1e-7)).mean(-1)),
    "LogCoshError": (_regression, lambda t, p: np.log(np.cosh(p - t)).mean(-1)),
    "CosineSimilarity": (_regression, lambda t, p: (_unit(t) * _unit(p)).sum(-1)),
    "PearsonCorrelation": (_regression, _pearson),
    "ConcordanceCorrelation": (_regression, _concordance),
}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("weighted", [False, True])
def test_mean_metric_matches_numpy_and_keras(keras, name, weighted):
    make_batch, reference = CASES[name]
    ours = getattr(metrics, name)()
    theirs = getattr(keras.metrics, name)()
    numerator = denominator = 0.0
    for step in range(3):
        y_true, y_pred = make_batch()
        weights = RNG.uniform(size=(BATCH,)).astype("float32") if weighted and step != 1 else None
        ours.update_state(y_true, y_pred, sample_weight=weights)
        theirs.update_state(y_true, y_pred, sample_weight=weights)
        values = reference(y_true.astype("float64"), y_pred.astype("float64"))
        numerator += (values * (1.0 if weights is None else weights)).sum()
        denominator += len(values) if weights is None else weights.sum()
    assert_close(ours.result(), numerator / denominator, rtol=1e-4, atol=1e-5)
    assert_close(ours.result(), np.asarray(theirs.result()), rtol=1e-6, atol=1e-6)
    assert ours.name == theirs.name
    assert ours.get_config() == theirs.get_config()
    ours.reset_state()
    assert float(ours.result()) == 0.0


@pytest.mark.parametrize("axis", [0, -1])
def test_correlation_functions_axis_match_keras(keras, axis):
    y_true, y_pred = _regression()
    for name in ("pearson_correlation", "concordance_correlation"):
        ours = getattr(metrics, name)(y_true, y_pred, axis=axis)
        assert_close(ours, np.asarray(getattr(keras.metrics, name)(y_true, y_pred, axis=axis)), atol=1e-6)
    ours = metrics.PearsonCorrelation(axis=0)
    theirs = keras.metrics.PearsonCorrelation(axis=0)
    ours.update_state(y_true, y_pred)
    theirs.update_state(y_true, y_pred)
    assert_close(ours.result(), np.asarray(theirs.result()), atol=1e-6)
    assert ours.get_config() == theirs.get_config()


def _r2_reference(batches, class_aggregation, num_regressors):
    y_true = np.concatenate([b[0] for b in batches]).astype("float64")
    y_pred = np.concatenate([b[1] for b in batches]).astype("float64")
    weights = np.concatenate([b[2] for b in batches]).astype("float64")[:, None]
    mean = (weights * y_true).sum(0) / (weights.sum(0) * np.ones(y_true.shape[1]))
    total = (weights * (y_true - mean) ** 2).sum(0)
    scores = 1 - (weights * (y_true - y_pred) ** 2).sum(0) / total
    if class_aggregation == "uniform_average":
        scores = scores.mean()
    elif class_aggregation == "variance_weighted_average":
        scores = (total * scores).sum() / total.sum()
    if num_regressors:
        n = y_true.size  # Keras counts elements, not rows.
        scores = 1 - (1 - scores) * (n - 1) / (n - num_regressors - 1)
    return scores


@pytest.mark.parametrize(
    "class_aggregation, num_regressors",
    [("uniform_average", 0), ("variance_weighted_average", 0), (None, 0), ("uniform_average", 3)],
)
@pytest.mark.parametrize("weighted", [False, True])
def test_r2_score_matches_numpy_and_keras(keras, class_aggregation, num_regressors, weighted):
    kwargs = {"class_aggregation": class_aggregation, "num_regressors": num_regressors}
    ours, theirs = metrics.R2Score(**kwargs), keras.metrics.R2Score(**kwargs)
    batches = []
    for _ in range(3):
        y_true, y_pred = _regression()
        weights = RNG.uniform(0.1, 1.0, size=(BATCH,)).astype("float32") if weighted else None
        ours.update_state(y_true, y_pred, sample_weight=weights)
        theirs.update_state(y_true, y_pred, sample_weight=weights)
        batches.append((y_true, y_pred, np.ones(BATCH) if weights is None else weights))
    assert_close(ours.result(), _r2_reference(batches, class_aggregation, num_regressors), rtol=1e-4)
    assert_close(ours.result(), np.asarray(theirs.result()), rtol=1e-6, atol=1e-6)
    assert ours.get_config() == theirs.get_config()
    assert [v.name for v in ours.variables] == [v.name for v in theirs.variables]


def test_r2_score_edge_cases_and_errors(keras):
    # Constant targets in one column: Keras maps the infinite score to 0.
    y_true = np.array([[1.0, 1.0], [1.0, 2.0], [1.0, 4.0]], "float32")
    y_pred = np.array([[1.5, 1.0], [0.5, 2.5], [1.0, 3.0]], "float32")
    ours, theirs = metrics.R2Score(), keras.metrics.R2Score()
    ours.update_state(y_true, y_pred)
    theirs.update_state(y_true, y_pred)
    assert_close(ours.result(), np.asarray(theirs.result()))
    # Too few samples for the adjustment: a warning and the plain score.
    ours = metrics.R2Score(num_regressors=10)
    ours.update_state(y_true, y_pred)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        adjusted = ours.result()
    assert any("R2Score" in str(w.message) for w in caught)
    plain = metrics.R2Score()
    plain.update_state(y_true, y_pred)
    assert_close(adjusted, plain.result())
    with pytest.raises(ValueError, match="class_aggregation"):
        metrics.R2Score(class_aggregation="median")
    with pytest.raises(ValueError, match="num_regressors"):
        metrics.R2Score(num_regressors=-1)
    with pytest.raises(ValueError, match="2D"):
        metrics.R2Score().update_state(np.zeros((2, 2, 2)), np.zeros((2, 2, 2)))


ALL_NAMES = sorted(CASES) + ["R2Score"]


@pytest.mark.parametrize("name", ALL_NAMES)
def test_serialization_matches_keras(keras, name):
    ours, theirs = getattr(metrics, name)(), getattr(keras.metrics, name)()
    serialized = lamina.saving.serialize_keras_object(ours)
    assert serialized == keras.saving.serialize_keras_object(theirs)
    rebuilt = lamina.saving.deserialize_keras_object(keras.saving.serialize_keras_object(theirs))
    assert type(rebuilt) is type(ours)
    assert rebuilt.get_config() == ours.get_config()


@pytest.mark.parametrize(
    "identifier",
    [
        "hinge",
        "squared_hinge",
        "categorical_hinge",
        "kl_divergence",
        "poisson",
        "log_cosh_error",
        "cosine_similarity",
        "pearson_correlation",
        "concordance_correlation",
        "r2_score",
        "R2Score",
        "LogCoshError",
        "KLDivergence",
    ],
)
def test_string_identifiers_resolve_as_in_keras(keras, identifier):
    ours, theirs = metrics.get(identifier), keras.metrics.get(identifier)
    assert type(ours).__name__ == type(theirs).__name__
    assert ours.name == theirs.name


@pytest.mark.parametrize("identifier", ["logcosh", "log_cosh", "kld"])
def test_unknown_identifiers_fail_as_in_keras(keras, identifier):
    with pytest.raises(ValueError):
        keras.metrics.get(identifier)
    with pytest.raises(ValueError):
        metrics.get(identifier)


def test_metric_functions_deserialize():
    for name in ("hinge", "kl_divergence", "log_cosh", "pearson_correlation", "cosine_similarity"):
        function = metrics.deserialize({"class_name": "function", "config": name})
        assert function.__name__ == name
    # The metric's cosine similarity is the loss's negated.
    value = metrics.cosine_similarity([[1.0, 0.0]], [[1.0, 0.0]])
    assert_close(value, -lamina.losses.cosine_similarity([[1.0, 0.0]], [[1.0, 0.0]]))
