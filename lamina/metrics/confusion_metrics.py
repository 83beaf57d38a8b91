"""Thresholded confusion counts (TruePositives, ...) and Precision / Recall."""

from lamina import ops
from lamina.metrics import confusion_matrix_utils as utils
from lamina.metrics.metric import Metric


class _ConfusionCount(Metric):
    """Accumulates one confusion-matrix cell (`"tp"`, `"fp"`, `"tn"` or `"fn"`) per threshold."""

    _cell = None

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.thresholds = utils.parse_thresholds(thresholds, 0.5, self.__class__.__name__)
        self._thresholds_distributed_evenly = utils.is_evenly_distributed(self.thresholds)
        self.accumulator = self.add_variable(
            shape=(len(self.thresholds),), initializer="zeros", name="accumulator"
        )

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds the batch's weighted count at every threshold.

        Args:
            y_true: Labels (non-zero is positive).
            y_pred: Predictions; `y_pred > threshold` is a predicted positive.
            sample_weight: Optional weights broadcastable to `y_true`.
        """
        utils.update_confusion_matrix_variables(
            {self._cell: self.accumulator},
            y_true,
            y_pred,
            thresholds=self.thresholds,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            sample_weight=sample_weight,
        )

    def result(self):
        """Returns the count (a scalar for one threshold, else one count per threshold)."""
        value = self.accumulator.value
        return value[0] if len(self.thresholds) == 1 else value

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds}


class TruePositives(_ConfusionCount):
    """Counts the (weighted) true positives: positive labels predicted above the threshold.

    Args:
        thresholds: Optional float or list of floats in `[0, 1]`; a prediction
            above a threshold counts as positive (default 0.5). With a list,
            `result()` has one count per threshold.
        name: Optional name of the metric instance.
        dtype: Optional dtype of the metric result.

    Example:

    >>> metric = TruePositives()
    >>> metric.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> float(metric.result())
    2.0
    """

    _cell = "tp"


class FalsePositives(_ConfusionCount):
    """Counts the (weighted) false positives: negative labels predicted above the threshold.

    Args:
        thresholds: Optional float or list of floats in `[0, 1]` (default 0.5).
        name: Optional name of the metric instance.
        dtype: Optional dtype of the metric result.

    Example:

    >>> metric = FalsePositives()
    >>> metric.update_state([0, 1, 0, 0], [0, 0, 1, 1])
    >>> float(metric.result())
    2.0
    """

    _cell = "fp"


class TrueNegatives(_ConfusionCount):
    """Counts the (weighted) true negatives: negative labels predicted at or below the threshold.

    Args:
        thresholds: Optional float or list of floats in `[0, 1]` (default 0.5).
        name: Optional name of the metric instance.
        dtype: Optional dtype of the metric result.

    Example:

    >>> metric = TrueNegatives()
    >>> metric.update_state([0, 1, 0, 0], [1, 1, 0, 0])
    >>> float(metric.result())
    2.0
    """

    _cell = "tn"


class FalseNegatives(_ConfusionCount):
    """Counts the (weighted) false negatives: positive labels predicted at or below the threshold.

    Args:
        thresholds: Optional float or list of floats in `[0, 1]` (default 0.5).
        name: Optional name of the metric instance.
        dtype: Optional dtype of the metric result.

    Example:

    >>> metric = FalseNegatives()
    >>> metric.update_state([0, 1, 1, 1], [0, 1, 0, 0])
    >>> float(metric.result())
    2.0
    """

    _cell = "fn"


class _PrecisionOrRecall(Metric):
    """Shared state of Precision and Recall: true positives and one error cell per threshold."""

    _error_cell = None
    _error_name = None

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        # With top_k, every kept prediction counts as positive.
        default_threshold = 0.5 if top_k is None else utils.NEG_INF
        self.thresholds = utils.parse_thresholds(thresholds, default_threshold, self.__class__.__name__)
        self._thresholds_distributed_evenly = utils.is_evenly_distributed(self.thresholds)
        self.true_positives = self.add_variable(
            shape=(len(self.thresholds),), initializer="zeros", name="true_positives"
        )
        error = self.add_variable(shape=(len(self.thresholds),), initializer="zeros", name=self._error_name)
        setattr(self, self._error_name, error)

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds the batch's weighted counts at every threshold.

        Args:
            y_true: Labels (non-zero is positive).
            y_pred: Predictions; `y_pred > threshold` is a predicted positive.
            sample_weight: Optional weights broadcastable to `y_true`.
        """
        utils.update_confusion_matrix_variables(
            {"tp": self.true_positives, self._error_cell: getattr(self, self._error_name)},
            y_true,
            y_pred,
            thresholds=self.thresholds,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            top_k=self.top_k,
            class_id=self.class_id,
            sample_weight=sample_weight,
        )

    def result(self):
        """Returns `tp / (tp + errors)` (0 where undefined), per threshold or as a scalar."""
        true_positives = self.true_positives.value
        errors = getattr(self, self._error_name).value
        value = ops.divide_no_nan(true_positives, true_positives + errors)
        return value[0] if len(self.thresholds) == 1 else value

    def get_config(self):
        config = {"thresholds": self.init_thresholds, "top_k": self.top_k, "class_id": self.class_id}
        return {**super().get_config(), **config}


class Precision(_PrecisionOrRecall):
    """Computes the precision of the predictions: `tp / (tp + fp)`.

    Args:
        thresholds: Optional float or list of floats in `[0, 1]`; a prediction
            above a threshold counts as positive (default 0.5, or every top-k
            prediction when `top_k` is set). With a list, `result()` has one
            precision per threshold.
        top_k: Optional int: only the `top_k` largest predictions of the last
            axis count as positive.
        class_id: Optional int: the class (last-axis index) to compute it for.
        name: Optional name of the metric instance.
        dtype: Optional dtype of the metric result.

    Example:

    >>> metric = Precision()
    >>> metric.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> round(float(metric.result()), 4)
    0.6667
    """

    _error_cell = "fp"
    _error_name = "false_positives"


class Recall(_PrecisionOrRecall):
    """Computes the recall of the predictions: `tp / (tp + fn)`.

    Args:
        thresholds: Optional float or list of floats in `[0, 1]`; a prediction
            above a threshold counts as positive (default 0.5, or every top-k
            prediction when `top_k` is set). With a list, `result()` has one
            recall per threshold.
        top_k: Optional int: only the `top_k` largest predictions of the last
            axis count as positive.
        class_id: Optional int: the class (last-axis index) to compute it for.
        name: Optional name of the metric instance.
        dtype: Optional dtype of the metric result.

    Example:

    >>> metric = Recall()
    >>> metric.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> round(float(metric.result()), 4)
    0.6667
    """

    _error_cell = "fn"
    _error_name = "false_negatives"
