"""One rate at a constraint on another: SensitivityAtSpecificity, PrecisionAtRecall, ...

Each metric counts TP/FP/TN/FN at `num_thresholds` evenly spaced thresholds
and returns the best value of one rate over the thresholds where the other
rate reaches the requested value.
"""

from lamina import ops
from lamina.metrics import confusion_matrix_utils as utils
from lamina.metrics.metric import Metric


def _rates(metric):
    tp = metric.true_positives.value
    fp = metric.false_positives.value
    tn = metric.true_negatives.value
    fn = metric.false_negatives.value
    return {
        "sensitivity": ops.divide_no_nan(tp, tp + fn),
        "specificity": ops.divide_no_nan(tn, tn + fp),
        "precision": ops.divide_no_nan(tp, tp + fp),
    }


class _RateAtConstraint(Metric):
    """Shared state: TP/FP/TN/FN at evenly spaced thresholds over `[0, 1]`."""

    # (the argument name of the constraint, the constrained rate, the maximized rate)
    _constraint = None

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        argument, _, _ = self._constraint
        owner = self.__class__.__name__
        if value < 0 or value > 1:
            raise ValueError(
                f"{owner}: argument `{argument}` must be in [0, 1]. Received: {argument}={value}"
            )
        if num_thresholds <= 0:
            raise ValueError(
                f"{owner}: argument `num_thresholds` must be an integer > 0. "
                f"Received: num_thresholds={num_thresholds}"
            )
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        setattr(self, argument, value)
        self.value = value
        self.num_thresholds = num_thresholds
        self.class_id = class_id
        if num_thresholds == 1:
            self.thresholds = [0.5]
            self._thresholds_distributed_evenly = False
        else:
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self.thresholds = [0.0] + inner + [1.0]
            self._thresholds_distributed_evenly = True
        for variable_name in ("true_positives", "false_positives", "true_negatives", "false_negatives"):
            variable = self.add_variable(
                shape=(len(self.thresholds),), initializer="zeros", name=variable_name
            )
            setattr(self, variable_name, variable)

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds the batch's confusion counts at every threshold.

        Args:
            y_true: Labels (non-zero is positive).
            y_pred: Predicted probabilities in `[0, 1]`.
            sample_weight: Optional weights broadcastable to `y_true`.
        """
        utils.update_confusion_matrix_variables(
            utils.confusion_cells(self),
            y_true,
            y_pred,
            thresholds=self.thresholds,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            class_id=self.class_id,
            sample_weight=sample_weight,
        )

    def result(self):
        """Returns the largest maximized rate over thresholds meeting the constraint (0 if none)."""
        _, constrained, maximized = self._constraint
        rates = _rates(self)
        feasible = ops.greater_equal(rates[constrained], self.value)
        # Rates are >= 0, so 0 for infeasible thresholds never wins over a feasible one.
        return ops.max(ops.where(feasible, rates[maximized], 0.0))

    def get_config(self):
        argument, _, _ = self._constraint
        config = {"class_id": self.class_id, "num_thresholds": self.num_thresholds, argument: self.value}
        return {**super().get_config(), **config}


class SensitivityAtSpecificity(_RateAtConstraint):
    """Computes the best sensitivity (recall) where the specificity is at least `specificity`.

    Sensitivity is `tp / (tp + fn)`, specificity `tn / (tn + fp)`, both taken
    at `num_thresholds` evenly spaced thresholds.

    Args:
        specificity: Float in `[0, 1]`: the required specificity.
        num_thresholds: Number of thresholds (default 200).
        class_id: Optional int: the class (last-axis index) to compute it for.
        name: Optional name of the metric instance.
        dtype: Optional dtype of the metric result.

    Example:

    >>> metric = SensitivityAtSpecificity(0.5)
    >>> metric.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    >>> float(metric.result())
    0.5
    """

    _constraint = ("specificity", "specificity", "sensitivity")

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(
            specificity, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype
        )


class SpecificityAtSensitivity(_RateAtConstraint):
    """Computes the best specificity where the sensitivity (recall) is at least `sensitivity`.

    Args:
        sensitivity: Float in `[0, 1]`: the required sensitivity.
        num_thresholds: Number of thresholds (default 200).
        class_id: Optional int: the class (last-axis index) to compute it for.
        name: Optional name of the metric instance.
        dtype: Optional dtype of the metric result.

    Example:

    >>> metric = SpecificityAtSensitivity(0.5)
    >>> metric.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    >>> round(float(metric.result()), 4)
    0.6667
    """

    _constraint = ("sensitivity", "sensitivity", "specificity")

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(
            sensitivity, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype
        )


class PrecisionAtRecall(_RateAtConstraint):
    """Computes the best precision where the recall is at least `recall`.

    Args:
        recall: Float in `[0, 1]`: the required recall.
        num_thresholds: Number of thresholds (default 200).
        class_id: Optional int: the class (last-axis index) to compute it for.
        name: Optional name of the metric instance.
        dtype: Optional dtype of the metric result.

    Example:

    >>> metric = PrecisionAtRecall(0.5)
    >>> metric.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    >>> float(metric.result())
    0.5
    """

    _constraint = ("recall", "sensitivity", "precision")

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(recall, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)


class RecallAtPrecision(_RateAtConstraint):
    """Computes the best recall where the precision is at least `precision`.

    Args:
        precision: Float in `[0, 1]`: the required precision.
        num_thresholds: Number of thresholds (default 200).
        class_id: Optional int: the class (last-axis index) to compute it for.
        name: Optional name of the metric instance.
        dtype: Optional dtype of the metric result.

    Example:

    >>> metric = RecallAtPrecision(0.8)
    >>> metric.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    >>> float(metric.result())
    0.5
    """

    _constraint = ("precision", "precision", "sensitivity")

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(precision, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)
