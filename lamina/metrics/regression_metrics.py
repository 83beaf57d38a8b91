"""Regression metrics: mean squared / absolute error and their relatives."""

from lamina import ops
from lamina.losses.loss import squeeze_or_expand_to_same_rank
from lamina.losses.regression import mean_absolute_error
from lamina.losses.regression import mean_absolute_percentage_error
from lamina.losses.regression import mean_squared_error
from lamina.losses.regression import mean_squared_logarithmic_error
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
