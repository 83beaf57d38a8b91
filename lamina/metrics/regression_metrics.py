"""Regression metrics: mean squared / absolute error and their relatives, log-cosh, cosine similarity, R2."""

import warnings

from lamina import ops
from lamina.losses.loss import squeeze_or_expand_to_same_rank
from lamina.losses.regression import mean_absolute_error
from lamina.losses.regression import mean_absolute_percentage_error
from lamina.losses.regression import mean_squared_error
from lamina.losses.regression import mean_squared_logarithmic_error
from lamina.losses.similarity import cosine_similarity as negative_cosine_similarity
from lamina.losses.similarity import log_cosh
from lamina.metrics.metric import Metric
from lamina.metrics.reduction_metrics import Mean
from lamina.metrics.reduction_metrics import MeanMetricWrapper


class MeanSquaredError(MeanMetricWrapper):
    """Computes the mean squared error between labels and predictions.

    Args:
        name: Optional name (default `"mean_squared_error"`).
        dtype: The dtype of the result (default `floatx()`).

    Example:

    >>> metric = MeanSquaredError()
    >>> metric.update_state([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]])
    >>> float(metric.result())
    0.25
    """

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(fn=mean_squared_error, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class MeanAbsoluteError(MeanMetricWrapper):
    """Computes the mean absolute error between labels and predictions.

    Args:
        name: Optional name (default `"mean_absolute_error"`).
        dtype: The dtype of the result (default `floatx()`).

    Example:

    >>> metric = MeanAbsoluteError()
    >>> metric.update_state([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]])
    >>> float(metric.result())
    0.25
    """

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(fn=mean_absolute_error, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class MeanAbsolutePercentageError(MeanMetricWrapper):
    """Computes the mean absolute percentage error between labels and predictions.

    Args:
        name: Optional name (default `"mean_absolute_percentage_error"`).
        dtype: The dtype of the result (default `floatx()`).

    Example:

    >>> metric = MeanAbsolutePercentageError()
    >>> metric.update_state([[2.0, 4.0]], [[1.0, 4.0]])
    >>> float(metric.result())
    25.0
    """

    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(fn=mean_absolute_percentage_error, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class MeanSquaredLogarithmicError(MeanMetricWrapper):
    """Computes the mean squared logarithmic error between labels and predictions.

    Args:
        name: Optional name (default `"mean_squared_logarithmic_error"`).
        dtype: The dtype of the result (default `floatx()`).

    Example:

    >>> metric = MeanSquaredLogarithmicError()
    >>> metric.update_state([[0.0]], [[1.718281828]])
    >>> round(float(metric.result()), 4)
    1.0
    """

    def __init__(self, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(fn=mean_squared_logarithmic_error, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class RootMeanSquaredError(Mean):
    """Computes the root of the mean squared error between labels and predictions.

    Args:
        name: Optional name (default `"root_mean_squared_error"`).
        dtype: The dtype of the result (default `floatx()`).

    Example:

    >>> metric = RootMeanSquaredError()
    >>> metric.update_state([[0.0, 2.0], [0.0, 0.0]], [[2.0, 2.0], [0.0, 0.0]])
    >>> float(metric.result())
    1.0
    """

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Folds the squared errors of one batch into the running mean."""
        y_true = ops.convert_to_tensor(y_true, dtype=self.dtype)
        y_pred = ops.convert_to_tensor(y_pred, dtype=self.dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return super().update_state(ops.square(y_pred - y_true), sample_weight=sample_weight)

    def result(self):
        return ops.sqrt(super().result())


def cosine_similarity(y_true, y_pred, axis=-1):
    """Computes the cosine similarity `sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)`.

    Unlike the loss `lamina.losses.cosine_similarity`, this is not negated: 1
    means the vectors point the same way.

    Args:
        y_true: Target vectors.
        y_pred: Predicted vectors, same shape.
        axis: The axis along which the similarity is computed (default -1).

    Returns:
        Per-sample similarities (the `axis` reduced).

    Example:

    >>> import lamina
    >>> values = cosine_similarity([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [2.0, 2.0]])
    >>> [round(v, 4) for v in lamina.ops.convert_to_numpy(values).tolist()]
    [0.0, 1.0]
    """
    return ops.negative(negative_cosine_similarity(y_true, y_pred, axis=axis))


class CosineSimilarity(MeanMetricWrapper):
    """Computes the mean cosine similarity between labels and predictions.

    Args:
        name: Optional name (default `"cosine_similarity"`).
        dtype: The dtype of the result (default `floatx()`).
        axis: The axis along which the similarity is computed (default -1).

    Example:

    >>> metric = CosineSimilarity()
    >>> metric.update_state([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [2.0, 2.0]])
    >>> round(float(metric.result()), 4)
    0.5
    """

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(cosine_similarity, name=name, dtype=dtype, axis=axis)

    def get_config(self):
        # As in Keras, `axis` is not part of the config.
        return {"name": self.name, "dtype": self.dtype}


class LogCoshError(MeanMetricWrapper):
    """Computes the mean logarithm of the hyperbolic cosine of the prediction error.

    Args:
        name: Optional name (default `"logcosh"`).
        dtype: The dtype of the result (default `floatx()`).

    Example:

    >>> metric = LogCoshError()
    >>> metric.update_state([[0.0, 0.0]], [[1.0, 0.0]])
    >>> round(float(metric.result()), 4)
    0.2169
    """

    def __init__(self, name="logcosh", dtype=None):
        super().__init__(log_cosh, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


_CLASS_AGGREGATIONS = (None, "uniform_average", "variance_weighted_average")


class R2Score(Metric):
    """Computes the R2 score (coefficient of determination) of 2D regression outputs.

    Per output column, `R2 = 1 - sum((y_true - y_pred) ** 2) / sum((y_true - mean(y_true)) ** 2)`,
    accumulated (optionally weighted) over all batches. With `num_regressors = p`
    the adjusted score `1 - (1 - R2) * (n - 1) / (n - p - 1)` is returned, where
    `n` counts the elements seen (Keras's convention).

    Args:
        class_aggregation: How the per-column scores combine: `"uniform_average"`
            (default, their mean), `"variance_weighted_average"` (weighted by each
            column's variance) or None (one score per column).
        num_regressors: The number of independent regressors for the adjusted
            R2 score (default 0: plain R2).
        name: Optional name (default `"r2_score"`).
        dtype: The dtype of the result (default `floatx()`).

    Example:

    >>> metric = R2Score()
    >>> metric.update_state([[1.0], [4.0], [3.0]], [[2.0], [4.0], [4.0]])
    >>> round(float(metric.result()), 4)
    0.5714
    """

    def __init__(self, class_aggregation="uniform_average", num_regressors=0, name="r2_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        if class_aggregation not in _CLASS_AGGREGATIONS:
            raise ValueError(
                f"R2Score: invalid value for argument `class_aggregation`. Expected one of "
                f"{_CLASS_AGGREGATIONS}. Received: class_aggregation={class_aggregation!r}"
            )
        if num_regressors < 0:
            raise ValueError(
                "R2Score: invalid value for argument `num_regressors`. Expected a value >= 0. "
                f"Received: num_regressors={num_regressors}"
            )
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_variable(shape=(), initializer="zeros", name="num_samples")
        self._built = False

    def build(self, y_true_shape, y_pred_shape):
        """Creates the per-column state for inputs of shape `(batch_size, output_dim)`.

        The first `update_state` calls it; a compiled model calls it before training.
        """
        if self._built:
            return
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2 or y_pred_shape[-1] is None:
            raise ValueError(
                "R2Score expects 2D inputs with shape (batch_size, output_dim), with output_dim "
                f"known. Received: y_true.shape={tuple(y_true_shape)}, y_pred.shape={tuple(y_pred_shape)}"
            )
        columns = (y_pred_shape[-1],)
        self.squared_sum = self.add_variable(shape=columns, initializer="zeros", name="squared_sum")
        self.sum = self.add_variable(shape=columns, initializer="zeros", name="sum")
        self.total_mse = self.add_variable(shape=columns, initializer="zeros", name="residual")
        self.count = self.add_variable(shape=columns, initializer="zeros", name="count")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Folds one batch of targets and predictions (optionally weighted) into the sums."""
        y_true = ops.convert_to_tensor(y_true, dtype=self.dtype)
        y_pred = ops.convert_to_tensor(y_pred, dtype=self.dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        self.build(tuple(y_true.shape), tuple(y_pred.shape))
        sample_weight = ops.convert_to_tensor(1 if sample_weight is None else sample_weight, dtype=self.dtype)
        if len(sample_weight.shape) == 1:
            sample_weight = ops.expand_dims(sample_weight, axis=1)
        sample_weight = ops.broadcast_to(sample_weight, tuple(y_true.shape))
        weighted_y_true = y_true * sample_weight
        self.sum.assign(self.sum.value + ops.sum(weighted_y_true, axis=0))
        self.squared_sum.assign(self.squared_sum.value + ops.sum(y_true * weighted_y_true, axis=0))
        self.total_mse.assign(
            self.total_mse.value + ops.sum(ops.square(y_true - y_pred) * sample_weight, axis=0)
        )
        self.count.assign(self.count.value + ops.sum(sample_weight, axis=0))
        self.num_samples.assign(self.num_samples.value + ops.cast(ops.size(y_true), self.dtype))

    def result(self):
        if not self._built:
            return ops.convert_to_tensor(0.0, dtype=self.dtype)
        count, residual = self.count.value, self.total_mse.value
        nan = ops.full_like(count, float("nan"))
        # Divisions by zero are written out (no backend warnings): 0/0 is NaN, x/0 gives score 0.
        mean = ops.where(count == 0, nan, self.sum.value / ops.where(count == 0, 1.0, count))
        total = self.squared_sum.value - self.sum.value * mean
        raw_scores = 1.0 - residual / ops.where(total == 0, 1.0, total)
        zero_total = ops.where(residual == 0, nan, ops.zeros_like(residual))
        raw_scores = ops.where(total == 0, zero_total, raw_scores)
        raw_scores = ops.where(ops.isinf(raw_scores), ops.zeros_like(raw_scores), raw_scores)
        if self.class_aggregation == "uniform_average":
            score = ops.mean(raw_scores)
        elif self.class_aggregation == "variance_weighted_average":
            score = ops.sum(total * raw_scores) / ops.sum(total)
        else:
            score = raw_scores
        if self.num_regressors == 0:
            return score
        samples = self.num_samples.value
        regressors = float(self.num_regressors)
        _warn_if_too_few_samples(samples, regressors)
        denominator = samples - regressors - 1.0
        adjusted = 1.0 - (1.0 - score) * (samples - 1.0) / ops.where(denominator == 0, 1.0, denominator)
        # Too few samples for the adjustment: fall back to the plain score, as Keras does.
        return ops.where(regressors < samples - 1.0, adjusted, score)

    def reset_state(self):
        for variable in self.variables:
            variable.assign(ops.zeros(variable.shape, dtype=variable.dtype))

    def get_config(self):
        return {
            "name": self.name,
            "dtype": self.dtype,
            "class_aggregation": self.class_aggregation,
            "num_regressors": self.num_regressors,
        }


def _warn_if_too_few_samples(samples, regressors):
    try:
        samples = float(ops.convert_to_numpy(samples))
    except Exception:
        return  # Traced inside a compiled step: no concrete count to check.
    if regressors > samples - 1:
        warnings.warn(
            "R2Score: more independent predictors than datapoints in adjusted R2 score. "
            "Falling back to standard R2 score.",
            stacklevel=3,
        )
    elif regressors == samples - 1:
        warnings.warn(
            "R2Score: division by zero in adjusted R2 score. Falling back to standard R2 score.",
            stacklevel=3,
        )
