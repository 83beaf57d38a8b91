"""F-beta and F1 scores: the weighted harmonic mean of precision and recall."""

from lamina import ops
from lamina.config import epsilon
from lamina.metrics.metric import Metric


class FBetaScore(Metric):
    """Computes the F-beta score: `(1 + beta^2) * precision * recall / (beta^2 * precision + recall)`.

    Targets and predictions have shape `(batch_size, num_classes)`; counts are
    kept per class (or pooled with `average="micro"`).

    Args:
        average: How per-class scores are combined: None (one score per
            class), `"micro"` (pooled counts), `"macro"` (plain mean) or
            `"weighted"` (mean weighted by each class's true count).
        beta: Python float > 0: the weight of recall relative to precision.
        threshold: Optional Python float in `(0, 1]`: predictions above it are
            positive. When None, the highest prediction of each row is positive.
        name: Optional name of the metric instance.
        dtype: Optional dtype of the metric result.

    Example:

    >>> metric = FBetaScore(beta=2.0, threshold=0.5, average="micro")
    >>> metric.update_state([[1, 1, 0], [0, 0, 1]], [[0.9, 0.2, 0.1], [0.3, 0.4, 0.6]])
    >>> round(float(metric.result()), 4)
    0.7143
    """

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        owner = self.__class__.__name__
        if average not in (None, "micro", "macro", "weighted"):
            raise ValueError(
                f"{owner}: invalid `average` value. Expected one of None, 'micro', 'macro', "
                f"'weighted'. Received: average={average!r}"
            )
        if not isinstance(beta, float):
            raise ValueError(f"{owner}: `beta` must be a Python float. Received: beta={beta!r}")
        if beta <= 0.0:
            raise ValueError(f"{owner}: `beta` must be > 0. Received: beta={beta}")
        if threshold is not None:
            if not isinstance(threshold, float):
                raise ValueError(
                    f"{owner}: `threshold` must be a Python float. Received: threshold={threshold!r}"
                )
            if threshold > 1.0 or threshold <= 0.0:
                raise ValueError(
                    f"{owner}: `threshold` must satisfy 0 < threshold <= 1. Received: {threshold}"
                )
        self.average = average
        self.beta = beta
        self.threshold = threshold
        self.axis = None if average == "micro" else 0
        self._built = False

    def build(self, y_true_shape, y_pred_shape):
        """Creates the per-class counters for inputs of shape `(batch_size, num_classes)`."""
        if self._built:
            return
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError(
                f"{self.__class__.__name__} expects 2D inputs of shape (batch_size, num_classes). "
                f"Received: y_pred.shape={tuple(y_pred_shape)} and y_true.shape={tuple(y_true_shape)}."
            )
        if y_pred_shape[-1] is None or y_true_shape[-1] is None:
            raise ValueError(
                f"{self.__class__.__name__} needs a known number of classes. Received: "
                f"y_pred.shape={tuple(y_pred_shape)} and y_true.shape={tuple(y_true_shape)}."
            )
        shape = () if self.average == "micro" else (y_pred_shape[-1],)
        for name in ("true_positives", "false_positives", "false_negatives", "intermediate_weights"):
            setattr(
                self, name, self.add_variable(shape=shape, initializer="zeros", dtype=self.dtype, name=name)
            )
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds the batch's (weighted) per-class counts.

        Args:
            y_true: One-hot or multi-hot targets, shape `(batch_size, num_classes)`.
            y_pred: Predictions of the same shape.
            sample_weight: Optional per-sample weights, shape `(batch_size,)`.
        """
        y_true = ops.convert_to_tensor(y_true, dtype=self.dtype)
        y_pred = ops.convert_to_tensor(y_pred, dtype=self.dtype)
        self.build(tuple(y_true.shape), tuple(y_pred.shape))
        if self.threshold is None:
            row_max = ops.max(y_pred, axis=-1, keepdims=True)
            positive = ops.logical_and(y_pred >= row_max, ops.abs(y_pred) > 1e-9)
        else:
            positive = y_pred > self.threshold
        y_pred = ops.cast(positive, self.dtype)
        if sample_weight is not None:
            sample_weight = ops.expand_dims(ops.convert_to_tensor(sample_weight, dtype=self.dtype), 1)

        def weighted_sum(values):
            if sample_weight is not None:
                values = values * sample_weight
            return ops.sum(values, axis=self.axis)

        self.true_positives.assign(self.true_positives + weighted_sum(y_pred * y_true))
        self.false_positives.assign(self.false_positives + weighted_sum(y_pred * (1 - y_true)))
        self.false_negatives.assign(self.false_negatives + weighted_sum((1 - y_pred) * y_true))
        self.intermediate_weights.assign(self.intermediate_weights + weighted_sum(y_true))

    def result(self):
        """Returns the score: per class, or a scalar when `average` is set."""
        tp = self.true_positives.value
        precision = tp / (tp + self.false_positives.value + epsilon())
        recall = tp / (tp + self.false_negatives.value + epsilon())
        beta_squared = self.beta**2
        score = (precision * recall) / (beta_squared * precision + recall + epsilon()) * (1 + beta_squared)
        if self.average == "weighted":
            weights = self.intermediate_weights.value
            return ops.sum(score * (weights / (ops.sum(weights) + epsilon())))
        if self.average is not None:
            return ops.mean(score)
        return score

    def reset_state(self):
        """Sets the counters back to zero (nothing to do before the first batch)."""
        if self._built:
            super().reset_state()

    def get_config(self):
        config = {"average": self.average, "beta": self.beta, "threshold": self.threshold}
        return {**super().get_config(), **config}


class F1Score(FBetaScore):
    """Computes the F1 score: `2 * precision * recall / (precision + recall)`.

    Args:
        average: None (one score per class), `"micro"`, `"macro"` or `"weighted"`.
        threshold: Optional Python float in `(0, 1]`: predictions above it are
            positive. When None, the highest prediction of each row is positive.
        name: Optional name of the metric instance.
        dtype: Optional dtype of the metric result.

    Example:

    >>> metric = F1Score(threshold=0.5)
    >>> metric.update_state([[1, 1, 0], [0, 0, 1]], [[0.9, 0.2, 0.1], [0.3, 0.4, 0.6]])
    >>> [round(value, 4) for value in metric.result().tolist()]
    [1.0, 0.0, 1.0]
    """

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self):
        config = super().get_config()
        del config["beta"]
        return config
