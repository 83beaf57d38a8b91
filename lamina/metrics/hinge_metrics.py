"""Hinge metrics: the mean hinge, squared hinge and categorical hinge losses over all batches seen."""

from lamina.losses.hinge import categorical_hinge
from lamina.losses.hinge import hinge
from lamina.losses.hinge import squared_hinge
from lamina.metrics.reduction_metrics import MeanMetricWrapper


class Hinge(MeanMetricWrapper):
    """Computes the mean hinge loss `mean(maximum(1 - y_true * y_pred, 0))`.

    Binary labels in `{0, 1}` are mapped to `{-1, 1}` first.

    Args:
        name: Optional name (default `"hinge"`).
        dtype: The dtype of the result (default `floatx()`).

    Example:

    >>> metric = Hinge()
    >>> metric.update_state([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])
    >>> round(float(metric.result()), 4)
    1.3
    """

    def __init__(self, name="hinge", dtype=None):
        super().__init__(fn=hinge, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class SquaredHinge(MeanMetricWrapper):
    """Computes the mean squared hinge loss `mean(square(maximum(1 - y_true * y_pred, 0)))`.

    Binary labels in `{0, 1}` are mapped to `{-1, 1}` first.

    Args:
        name: Optional name (default `"squared_hinge"`).
        dtype: The dtype of the result (default `floatx()`).

    Example:

    >>> metric = SquaredHinge()
    >>> metric.update_state([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])
    >>> round(float(metric.result()), 4)
    1.86
    """

    def __init__(self, name="squared_hinge", dtype=None):
        super().__init__(fn=squared_hinge, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class CategoricalHinge(MeanMetricWrapper):
    """Computes the mean categorical hinge `max(0, max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1)`.

    Args:
        name: Optional name (default `"categorical_hinge"`).
        dtype: The dtype of the result (default `floatx()`).

    Example:

    >>> metric = CategoricalHinge()
    >>> metric.update_state([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])
    >>> round(float(metric.result()), 4)
    1.4
    """

    def __init__(self, name="categorical_hinge", dtype=None):
        super().__init__(fn=categorical_hinge, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}
