"""The AUC metric: area under the ROC or precision-recall curve, from thresholded counts."""

import numpy as np

from lamina import ops
from lamina.config import epsilon
from lamina.metrics import confusion_matrix_utils as utils
from lamina.metrics.metric import Metric

_CURVES = {"roc": "ROC", "pr": "PR", "prgain": "PRGAIN"}
_SUMMATION_METHODS = ("interpolation", "majoring", "minoring")


def _parse_curve(curve):
    value = getattr(curve, "value", curve)
    if (
        not isinstance(value, str)
        or value.lower() not in _CURVES
        or value not in (value.lower(), value.upper())
    ):
        raise ValueError(f'AUC: invalid `curve` value "{curve}". Expected one of: ["PR", "ROC", "PRGAIN"]')
    return _CURVES[value.lower()]


def _parse_summation_method(method):
    value = getattr(method, "value", method)
    if (
        not isinstance(value, str)
        or value.lower() not in _SUMMATION_METHODS
        or value[1:] != value.lower()[1:]
    ):
        raise ValueError(
            f'AUC: invalid `summation_method` value "{method}". '
            'Expected one of: ["interpolation", "majoring", "minoring"]'
        )
    return value.lower()


class AUC(Metric):
    """Approximates the area under the ROC or precision-recall curve (AUC).

    True/false positives and negatives are counted at `num_thresholds`
    thresholds; the curve through the resulting (x, y) points is summed with
    a Riemann sum (`summation_method`). Predictions should be probabilities
    (or logits with `from_logits=True`).

    Args:
        num_thresholds: Number of thresholds (> 1) used to discretize the curve
            (default 200); they are evenly spaced over `[0, 1]`, the end points
            moved out by epsilon.
        curve: `"ROC"` (default) or `"PR"` (precision-recall), or `"PRGAIN"`.
        summation_method: `"interpolation"` (default; trapezoids for ROC, the
            Davis & Goadrich interpolation for PR), `"minoring"` (lower
            rectangles) or `"majoring"` (upper rectangles).
        name: Optional name of the metric instance.
        dtype: Optional dtype of the metric result.
        thresholds: Optional list of thresholds in `[0, 1]` to use instead of
            `num_thresholds` evenly spaced ones (epsilon-shifted 0 and 1 are
            added at the ends).
        multi_label: Whether the last axis holds independent labels: an AUC is
            computed per label and averaged (weighted by `label_weights`).
            Otherwise all values are flattened into one curve.
        num_labels: Number of labels with `multi_label` (else inferred from the
            first batch).
        label_weights: Optional per-label weights: for the average with
            `multi_label`, or for the counts otherwise.
        from_logits: Whether predictions are logits (a sigmoid is applied).

    Example:

    >>> metric = AUC(num_thresholds=3)
    >>> metric.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    >>> round(float(metric.result()), 4)
    0.75
    """

    def __init__(
        self,
        num_thresholds=200,
        curve="ROC",
        summation_method="interpolation",
        name=None,
        dtype=None,
        thresholds=None,
        multi_label=False,
        num_labels=None,
        label_weights=None,
        from_logits=False,
    ):
        self._direction = "up"
        self.curve = _parse_curve(curve)
        self.summation_method = _parse_summation_method(summation_method)
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            thresholds = sorted(utils.parse_thresholds(thresholds, 0.5, "AUC"))
            self.num_thresholds = len(thresholds) + 2
            self._thresholds_distributed_evenly = utils.is_evenly_distributed([0.0] + thresholds + [1.0])
        else:
            if num_thresholds <= 1:
                raise ValueError(
                    f"AUC: argument `num_thresholds` must be an integer > 1. Received: {num_thresholds}"
                )
            self.num_thresholds = num_thresholds
            thresholds = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self._thresholds_distributed_evenly = True
        self._thresholds = np.array([0.0 - epsilon()] + thresholds + [1.0 + epsilon()])
        super().__init__(name=name, dtype=dtype)
        self.multi_label = multi_label
        self.num_labels = num_labels
        self.label_weights = (
            None if label_weights is None else ops.convert_to_tensor(label_weights, self.dtype)
        )
        self._from_logits = from_logits
        self._built = False
        if multi_label:
            if num_labels:
                self._build((None, num_labels))
        elif num_labels:
            raise ValueError("AUC: `num_labels` is needed only when `multi_label=True`.")
        else:
            self._build(None)

    @property
    def thresholds(self):
        """The thresholds, including the epsilon-shifted end points."""
        return list(self._thresholds)

    def _build(self, shape):
        if self.multi_label:
            if len(shape) != 2:
                raise ValueError(
                    f"AUC: `y_pred` must have rank 2 when `multi_label=True`. Received shape: {shape}"
                )
            self._num_labels = shape[1]
            variable_shape = (self.num_thresholds, self._num_labels)
        else:
            variable_shape = (self.num_thresholds,)
        self._build_input_shape = shape
        for name in ("true_positives", "false_positives", "true_negatives", "false_negatives"):
            setattr(self, name, self.add_variable(shape=variable_shape, initializer="zeros", name=name))
        self._built = True

    def build(self, y_true_shape, y_pred_shape):
        """Creates the state variables for predictions of this shape (the first batch does it otherwise)."""
        if not self._built:
            self._build(tuple(y_pred_shape))

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds the batch's confusion counts at every threshold.

        Args:
            y_true: Labels (non-zero is positive).
            y_pred: Predicted probabilities (or logits with `from_logits`).
            sample_weight: Optional weights broadcastable to `y_true`.
        """
        y_pred = ops.convert_to_tensor(y_pred)
        if not self._built:
            self._build(tuple(y_pred.shape))
        if self._from_logits:
            y_pred = ops.sigmoid(y_pred)
        utils.update_confusion_matrix_variables(
            utils.confusion_cells(self),
            y_true,
            y_pred,
            self._thresholds,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            sample_weight=sample_weight,
            multi_label=self.multi_label,
            label_weights=None if self.multi_label else self.label_weights,
        )

    def _average_over_labels(self, per_threshold_terms):
        if not self.multi_label:
            return ops.sum(per_threshold_terms)
        by_label = ops.sum(per_threshold_terms, axis=0)
        if self.label_weights is None:
            return ops.mean(by_label)
        return ops.divide_no_nan(ops.sum(by_label * self.label_weights), ops.sum(self.label_weights))

    def _interpolated_pr_auc(self, tp, fp, fn):
        """Davis & Goadrich PR interpolation: TP and P = TP + FP vary linearly between thresholds.

        Within an interval, precision is `(TP_A + slope * (P - P_A)) / P`; its
        integral over P has the closed form `slope * (dTP + intercept * log(P_A / P_B))`.
        """
        count = self.num_thresholds
        delta_tp = tp[: count - 1] - tp[1:]
        predicted = tp + fp
        delta_predicted = predicted[: count - 1] - predicted[1:]
        slope = ops.divide_no_nan(delta_tp, ops.maximum(delta_predicted, 0))
        intercept = tp[1:] - slope * predicted[1:]
        both_positive = ops.logical_and(predicted[: count - 1] > 0, predicted[1:] > 0)
        ratio = ops.where(
            both_positive,
            ops.divide_no_nan(predicted[: count - 1], ops.maximum(predicted[1:], 0)),
            ops.ones_like(predicted[1:]),
        )
        increments = ops.divide_no_nan(
            slope * (delta_tp + intercept * ops.log(ratio)), ops.maximum(tp[1:] + fn[1:], 0)
        )
        return self._average_over_labels(increments)

    def result(self):
        """Returns the area under the curve (averaged over labels with `multi_label`)."""
        tp = self.true_positives.value
        fp = self.false_positives.value
        tn = self.true_negatives.value
        fn = self.false_negatives.value
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self._interpolated_pr_auc(tp, fp, fn)
        recall = ops.divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = ops.divide_no_nan(fp, fp + tn), recall
        elif self.curve == "PR":
            x, y = recall, ops.divide_no_nan(tp, tp + fp)
        else:
            scale = ops.divide_no_nan(tp + fn, tn + fp)
            recall_gain = ops.where(ops.equal(tp, 0.0), 0.0, 1.0 - scale * ops.divide_no_nan(fn, tp))
            precision_gain = ops.where(ops.equal(tp, 0.0), 1.0, 1.0 - scale * ops.divide_no_nan(fp, tp))
            x, y = ops.maximum(recall_gain, 0.0), precision_gain
        count = self.num_thresholds
        if self.summation_method == "interpolation":
            heights = (y[: count - 1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = ops.minimum(y[: count - 1], y[1:])
        else:
            heights = ops.maximum(y[: count - 1], y[1:])
        return self._average_over_labels((x[: count - 1] - x[1:]) * heights)

    def reset_state(self):
        """Sets the counts back to zero."""
        if self._built:
            super().reset_state()

    def get_config(self):
        config = {
            "num_thresholds": self.num_thresholds,
            "curve": self.curve,
            "summation_method": self.summation_method,
            "multi_label": self.multi_label,
            "num_labels": self.num_labels,
            "label_weights": self.label_weights,
            "from_logits": self._from_logits,
        }
        if self._init_from_thresholds:
            config["thresholds"] = self.thresholds[1:-1]
        return {**super().get_config(), **config}
