"""Probabilistic metrics: the mean crossentropy, KL divergence or Poisson loss over all batches seen."""

from lamina.losses.probabilistic import binary_crossentropy
from lamina.losses.probabilistic import categorical_crossentropy
from lamina.losses.probabilistic import sparse_categorical_crossentropy
from lamina.losses.similarity import kl_divergence
from lamina.losses.similarity import poisson
from lamina.metrics.reduction_metrics import MeanMetricWrapper


class BinaryCrossentropy(MeanMetricWrapper):
    """Computes the mean binary crossentropy between labels and predictions.

    Args:
        name: Optional name (default `"binary_crossentropy"`).
        dtype: The dtype of the result (default `floatx()`).
        from_logits: Whether `y_pred` holds logits rather than probabilities.
        label_smoothing: Float in `[0, 1]`: labels are squeezed towards 0.5.

    Example:

    >>> metric = BinaryCrossentropy()
    >>> metric.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
    >>> round(float(metric.result()), 3)
    0.815
    """

    def __init__(self, name="binary_crossentropy", dtype=None, from_logits=False, label_smoothing=0):
        super().__init__(
            binary_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing

    def get_config(self):
        return {
            "name": self.name,
            "dtype": self.dtype,
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
        }


class CategoricalCrossentropy(MeanMetricWrapper):
    """Computes the mean crossentropy between one-hot labels and predictions.

    Args:
        name: Optional name (default `"categorical_crossentropy"`).
        dtype: The dtype of the result (default `floatx()`).
        from_logits: Whether `y_pred` holds logits rather than probabilities.
        label_smoothing: Float in `[0, 1]` (see `lamina.losses.CategoricalCrossentropy`).
        axis: The class axis (default `-1`).

    Example:

    >>> metric = CategoricalCrossentropy()
    >>> metric.update_state([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
    >>> round(float(metric.result()), 4)
    1.1769
    """

    def __init__(
        self, name="categorical_crossentropy", dtype=None, from_logits=False, label_smoothing=0, axis=-1
    ):
        super().__init__(
            categorical_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis

    def get_config(self):
        return {
            "name": self.name,
            "dtype": self.dtype,
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
            "axis": self.axis,
        }


class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """Computes the mean crossentropy between integer labels and predictions.

    Args:
        name: Optional name (default `"sparse_categorical_crossentropy"`).
        dtype: The dtype of the result (default `floatx()`).
        from_logits: Whether `y_pred` holds logits rather than probabilities.
        ignore_class: Optional label whose positions are skipped.
        axis: The class axis (default `-1`).

    Example:

    >>> metric = SparseCategoricalCrossentropy()
    >>> metric.update_state([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
    >>> round(float(metric.result()), 4)
    1.1769
    """

    def __init__(
        self,
        name="sparse_categorical_crossentropy",
        dtype=None,
        from_logits=False,
        ignore_class=None,
        axis=-1,
    ):
        super().__init__(
            sparse_categorical_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            ignore_class=ignore_class,
            axis=axis,
        )
        self.from_logits = from_logits
        self.ignore_class = ignore_class
        self.axis = axis

    def get_config(self):
        return {
            "name": self.name,
            "dtype": self.dtype,
            "from_logits": self.from_logits,
            "ignore_class": self.ignore_class,
            "axis": self.axis,
        }


class KLDivergence(MeanMetricWrapper):
    """Computes the mean Kullback-Leibler divergence `sum(y_true * log(y_true / y_pred), axis=-1)`.

    Args:
        name: Optional name (default `"kl_divergence"`).
        dtype: The dtype of the result (default `floatx()`).

    Example:

    >>> metric = KLDivergence()
    >>> metric.update_state([[0.5, 0.5]], [[0.25, 0.75]])
    >>> round(float(metric.result()), 4)
    0.1438
    """

    def __init__(self, name="kl_divergence", dtype=None):
        super().__init__(fn=kl_divergence, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class Poisson(MeanMetricWrapper):
    """Computes the mean Poisson loss `mean(y_pred - y_true * log(y_pred + epsilon()), axis=-1)`.

    Args:
        name: Optional name (default `"poisson"`).
        dtype: The dtype of the result (default `floatx()`).

    Example:

    >>> metric = Poisson()
    >>> metric.update_state([[1.0, 0.0]], [[1.0, 2.0]])
    >>> round(float(metric.result()), 4)
    1.5
    """

    def __init__(self, name="poisson", dtype=None):
        super().__init__(fn=poisson, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}
