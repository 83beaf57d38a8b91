"""Correlation metrics: Pearson's and Lin's concordance correlation coefficients, averaged over samples."""

from lamina import ops
from lamina.config import epsilon
from lamina.losses.loss import squeeze_or_expand_to_same_rank
from lamina.metrics.reduction_metrics import MeanMetricWrapper


def _prepare(y_true, y_pred):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


def pearson_correlation(y_true, y_pred, axis=-1):
    """Computes the Pearson correlation coefficient of labels and predictions along `axis`.

    Both inputs are centred and divided by their standard deviation along
    `axis`; the result is the mean of their product.

    Args:
        y_true: Target values.
        y_pred: Predicted values, same shape.
        axis: The axis along which the correlation is computed (default -1).

    Returns:
        Per-sample coefficients (the `axis` reduced).

    Example:

    >>> import lamina
    >>> values = pearson_correlation([[1.0, 2.0, 3.0]], [[2.0, 4.0, 7.0]])
    >>> [round(v, 4) for v in lamina.ops.convert_to_numpy(values).tolist()]
    [0.9934]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    true_centred = y_true - ops.mean(y_true, axis=axis, keepdims=True)
    pred_centred = y_pred - ops.mean(y_pred, axis=axis, keepdims=True)
    true_centred = true_centred / ops.std(true_centred, axis=axis, keepdims=True)
    pred_centred = pred_centred / ops.std(pred_centred, axis=axis, keepdims=True)
    return ops.mean(true_centred * pred_centred, axis=axis)


def concordance_correlation(y_true, y_pred, axis=-1):
    """Computes the concordance correlation coefficient of labels and predictions along `axis`.

    The value is `mean(2 * (y_true - mean(y_pred)) * (y_pred - mean(y_pred)) / (var(y_true) +
    var(y_pred) + (mean(y_true) - mean(y_pred)) ** 2 + epsilon()))`; the first
    factor is centred on the predictions' mean, exactly as Keras computes it.

    Args:
        y_true: Target values.
        y_pred: Predicted values, same shape.
        axis: The axis along which the coefficient is computed (default -1).

    Returns:
        Per-sample coefficients (the `axis` reduced).

    Example:

    >>> import lamina
    >>> values = concordance_correlation([[1.0, 2.0, 3.0]], [[1.0, 2.0, 3.0]])
    >>> [round(v, 4) for v in lamina.ops.convert_to_numpy(values).tolist()]
    [1.0]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    true_mean = ops.mean(y_true, axis=axis, keepdims=True)
    pred_mean = ops.mean(y_pred, axis=axis, keepdims=True)
    true_variance = ops.var(y_true - true_mean, axis=axis, keepdims=True)
    pred_variance = ops.var(y_pred - pred_mean, axis=axis, keepdims=True)
    covariance = (y_true - pred_mean) * (y_pred - pred_mean)
    norm = true_variance + pred_variance + ops.square(true_mean - pred_mean)
    return ops.mean(2.0 * covariance / (norm + epsilon()), axis=axis)


class PearsonCorrelation(MeanMetricWrapper):
    """Computes the mean Pearson correlation coefficient between labels and predictions.

    Each sample's coefficient is computed along `axis`; the metric averages
    them over all samples seen.

    Args:
        name: Optional name (default `"pearson_correlation"`).
        dtype: The dtype of the result (default `floatx()`).
        axis: The axis along which the coefficient is computed (default -1).

    Example:

    >>> metric = PearsonCorrelation()
    >>> metric.update_state([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]], [[2.0, 4.0, 6.0], [3.0, 2.0, 1.0]])
    >>> round(float(metric.result()), 4)
    0.0
    """

    def __init__(self, name="pearson_correlation", dtype=None, axis=-1):
        super().__init__(fn=pearson_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}


class ConcordanceCorrelation(MeanMetricWrapper):
    """Computes the mean concordance correlation coefficient between labels and predictions.

    Each sample's coefficient is computed along `axis` (see
    `concordance_correlation`); the metric averages them over all samples seen.

    Args:
        name: Optional name (default `"concordance_correlation"`).
        dtype: The dtype of the result (default `floatx()`).
        axis: The axis along which the coefficient is computed (default -1).

    Example:

    >>> metric = ConcordanceCorrelation()
    >>> metric.update_state([[1.0, 2.0, 3.0]], [[1.0, 2.0, 3.0]])
    >>> round(float(metric.result()), 4)
    1.0
    """

    def __init__(self, name="concordance_correlation", dtype=None, axis=-1):
        super().__init__(fn=concordance_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}
