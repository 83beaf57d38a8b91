"""Intersection-over-union metrics, computed from an accumulated confusion matrix.

`IoU` averages the per-class IoU over chosen classes; `MeanIoU` over all
classes; `BinaryIoU` thresholds predictions first; the `OneHot` variants take
one-hot labels (and, by default, dense predictions) and use their argmax.
"""

import warnings

from lamina import ops
from lamina.config import epsilon
from lamina.metrics.metric import Metric


def confusion_matrix(labels, predictions, num_classes, weights=None, dtype="int32"):
    """Returns the `(num_classes, num_classes)` confusion matrix: rows are labels, columns predictions.

    Args:
        labels: 1-D integer tensor of true classes in `[0, num_classes)`.
        predictions: 1-D integer tensor of predicted classes, same length.
        num_classes: The number of classes.
        weights: Optional 1-D weights, one per entry (default 1 each).
        dtype: The dtype of the result (default `"int32"`).

    Returns:
        The confusion matrix, where cell `(i, j)` sums the weights of entries
        with label `i` and prediction `j`.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(confusion_matrix([0, 1, 1], [0, 1, 0], 2)).tolist()
    [[1, 0], [1, 1]]
    """
    labels = ops.cast(ops.convert_to_tensor(labels), "int32")
    predictions = ops.cast(ops.convert_to_tensor(predictions), "int32")
    label_one_hot = ops.one_hot(labels, num_classes, dtype="float32")
    prediction_one_hot = ops.one_hot(predictions, num_classes, dtype="float32")
    if weights is not None:
        weights = ops.cast(ops.convert_to_tensor(weights), "float32")
        prediction_one_hot = prediction_one_hot * ops.expand_dims(weights, axis=-1)
    return ops.cast(ops.matmul(ops.transpose(label_one_hot), prediction_one_hot), dtype)


class _IoUBase(Metric):
    """Accumulates the confusion matrix that the IoU metrics read (see `IoU` for the arguments)."""

    def __init__(
        self,
        num_classes,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true=True,
        sparse_y_pred=True,
        axis=-1,
    ):
        super().__init__(name=name, dtype=dtype or "int")
        self.num_classes = num_classes
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_variable(
            shape=(num_classes, num_classes),
            initializer="zeros",
            dtype=self.dtype,
            name="total_confusion_matrix",
        )

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds one batch of labels and predictions (optionally weighted) to the confusion matrix.

        Args:
            y_true: Class ids (or one-hot / dense vectors when `sparse_y_true=False`).
            y_pred: Class ids (or scores when `sparse_y_pred=False`).
            sample_weight: Optional weights broadcastable to the flattened labels.
                With the default integer dtype they are truncated to integers.
        """
        if not self.sparse_y_true:
            y_true = ops.argmax(y_true, axis=self.axis)
        if not self.sparse_y_pred:
            y_pred = ops.argmax(y_pred, axis=self.axis)
        y_true = ops.reshape(ops.convert_to_tensor(y_true, dtype=self.dtype), (-1,))
        y_pred = ops.reshape(ops.convert_to_tensor(y_pred, dtype=self.dtype), (-1,))
        if sample_weight is None:
            sample_weight = 1
        elif "float" in str(getattr(sample_weight, "dtype", "")) and "int" in self.dtype:
            warnings.warn(
                f"{self.__class__.__name__}: sample_weight is float but the metric dtype is "
                f"{self.dtype}; the weights are truncated to integers. Consider integer weights.",
                stacklevel=2,
            )
        sample_weight = ops.convert_to_tensor(sample_weight, dtype=self.dtype)
        if len(sample_weight.shape) > 1:
            sample_weight = ops.reshape(sample_weight, (-1,))
        sample_weight = ops.broadcast_to(sample_weight, tuple(y_true.shape))
        in_bounds = ops.logical_and(
            ops.logical_and(y_true >= 0, y_true < self.num_classes),
            ops.logical_and(y_pred >= 0, y_pred < self.num_classes),
        )
        if self.ignore_class is not None:
            in_bounds = ops.logical_and(in_bounds, ops.not_equal(y_true, self.ignore_class))
        # Out-of-range and ignored entries count with weight 0 (at class 0, so one_hot stays valid).
        y_true = ops.where(in_bounds, y_true, ops.zeros_like(y_true))
        y_pred = ops.where(in_bounds, y_pred, ops.zeros_like(y_pred))
        sample_weight = ops.where(in_bounds, sample_weight, ops.zeros_like(sample_weight))
        batch_matrix = confusion_matrix(
            y_true, y_pred, self.num_classes, weights=sample_weight, dtype=self.dtype
        )
        self.total_cm.assign(self.total_cm.value + batch_matrix)

    def reset_state(self):
        self.total_cm.assign(ops.zeros(self.total_cm.shape, dtype=self.total_cm.dtype))


class IoU(_IoUBase):
    """Computes the intersection-over-union, averaged over the target classes.

    Per class, `iou = true_positives / (true_positives + false_positives +
    false_negatives)`, from a confusion matrix accumulated over all batches
    (weighted by `sample_weight`; a weight of 0 masks an entry). The result is
    the mean IoU of the `target_class_ids` classes that occurred at all.

    Args:
        num_classes: The number of possible classes.
        target_class_ids: List or tuple of the class ids to average over.
        name: Optional name.
        dtype: The dtype of the confusion matrix (default `"int32"`).
        ignore_class: Optional class id whose entries are skipped (e.g. a "void" class).
        sparse_y_true: Whether labels are class ids (True) or vectors to argmax (False).
        sparse_y_pred: Whether predictions are class ids (True) or scores to argmax (False).
        axis: The class axis for the argmax (default -1).

    Example:

    >>> metric = IoU(num_classes=2, target_class_ids=[0])
    >>> metric.update_state([0, 0, 1, 1], [0, 1, 0, 1])
    >>> round(float(metric.result()), 4)
    0.3333
    """

    def __init__(
        self,
        num_classes,
        target_class_ids,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true=True,
        sparse_y_pred=True,
        axis=-1,
    ):
        super().__init__(
            num_classes=num_classes,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=sparse_y_true,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )
        if max(target_class_ids) >= num_classes:
            raise ValueError(
                f"{self.__class__.__name__}: target class id {max(target_class_ids)} is out of "
                f"range, which is [0, {num_classes}). Received: target_class_ids={target_class_ids}"
            )
        self.target_class_ids = list(target_class_ids)

    def result(self):
        matrix = ops.cast(self.total_cm.value, "float32")
        true_positives = ops.diagonal(matrix)
        denominator = ops.sum(matrix, axis=0) + ops.sum(matrix, axis=1) - true_positives
        targets = ops.convert_to_tensor(self.target_class_ids, dtype="int32")
        true_positives = ops.take(true_positives, targets, axis=-1)
        denominator = ops.take(denominator, targets, axis=-1)
        valid = denominator > 1e-9
        iou = ops.where(valid, true_positives / (denominator + epsilon()), ops.zeros_like(denominator))
        return ops.sum(iou, axis=self.axis) / (ops.sum(ops.cast(valid, "float32")) + epsilon())

    def get_config(self):
        return {
            "name": self.name,
            "dtype": self.dtype,
            "num_classes": self.num_classes,
            "target_class_ids": self.target_class_ids,
            "ignore_class": self.ignore_class,
            "sparse_y_true": self.sparse_y_true,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


class BinaryIoU(IoU):
    """Computes the intersection-over-union of binary predictions, thresholded first.

    Predictions `>= threshold` count as class 1, the others as class 0; the
    result is the mean IoU of the `target_class_ids` classes (see `IoU`).

    Args:
        target_class_ids: Which classes to average: `[0]`, `[1]` or `[0, 1]` (default `(0, 1)`).
        threshold: The decision threshold on the predictions (default 0.5).
        name: Optional name.
        dtype: The dtype of the confusion matrix (default `"int32"`).

    Example:

    >>> metric = BinaryIoU(target_class_ids=[0, 1], threshold=0.3)
    >>> metric.update_state([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7])
    >>> round(float(metric.result()), 4)
    0.3333
    """

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Thresholds `y_pred` to classes 0/1 and adds the batch to the confusion matrix."""
        y_true = ops.convert_to_tensor(y_true, dtype=self.dtype)
        y_pred = ops.convert_to_tensor(y_pred, dtype="float32")
        y_pred = ops.cast(y_pred >= self.threshold, self.dtype)
        return super().update_state(y_true, y_pred, sample_weight)

    def get_config(self):
        return {
            "target_class_ids": self.target_class_ids,
            "threshold": self.threshold,
            "name": self.name,
            "dtype": self.dtype,
        }


class MeanIoU(IoU):
    """Computes the intersection-over-union averaged over all classes that occurred.

    Args:
        num_classes: The number of possible classes.
        name: Optional name.
        dtype: The dtype of the confusion matrix (default `"int32"`).
        ignore_class: Optional class id whose entries are skipped.
        sparse_y_true: Whether labels are class ids (True) or vectors to argmax (False).
        sparse_y_pred: Whether predictions are class ids (True) or scores to argmax (False).
        axis: The class axis for the argmax (default -1).

    Example:

    >>> metric = MeanIoU(num_classes=2)
    >>> metric.update_state([0, 0, 1, 1], [0, 1, 0, 1])
    >>> round(float(metric.result()), 4)
    0.3333
    """

    def __init__(
        self,
        num_classes,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true=True,
        sparse_y_pred=True,
        axis=-1,
    ):
        super().__init__(
            num_classes=num_classes,
            target_class_ids=list(range(num_classes)),
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=sparse_y_true,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self):
        return {
            "num_classes": self.num_classes,
            "name": self.name,
            "dtype": self.dtype,
            "ignore_class": self.ignore_class,
            "sparse_y_true": self.sparse_y_true,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


class OneHotIoU(IoU):
    """Computes the intersection-over-union for one-hot labels, averaged over the target classes.

    Labels (and predictions, unless `sparse_y_pred=True`) are turned into
    class ids with an argmax over `axis`; then as `IoU`.

    Args:
        num_classes: The number of possible classes.
        target_class_ids: List or tuple of the class ids to average over.
        name: Optional name.
        dtype: The dtype of the confusion matrix (default `"int32"`).
        ignore_class: Optional class id whose entries are skipped.
        sparse_y_pred: Whether predictions are class ids (default False: scores).
        axis: The class axis (default -1).

    Example:

    >>> metric = OneHotIoU(num_classes=2, target_class_ids=[1])
    >>> metric.update_state([[1, 0], [0, 1], [0, 1]], [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    >>> round(float(metric.result()), 4)
    0.5
    """

    def __init__(
        self,
        num_classes,
        target_class_ids,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_pred=False,
        axis=-1,
    ):
        super().__init__(
            num_classes=num_classes,
            target_class_ids=target_class_ids,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self):
        return {
            "num_classes": self.num_classes,
            "target_class_ids": self.target_class_ids,
            "name": self.name,
            "dtype": self.dtype,
            "ignore_class": self.ignore_class,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


class OneHotMeanIoU(MeanIoU):
    """Computes the mean intersection-over-union over all classes for one-hot labels.

    Args:
        num_classes: The number of possible classes.
        name: Optional name.
        dtype: The dtype of the confusion matrix (default `"int32"`).
        ignore_class: Optional class id whose entries are skipped.
        sparse_y_pred: Whether predictions are class ids (default False: scores).
        axis: The class axis (default -1).

    Example:

    >>> metric = OneHotMeanIoU(num_classes=2)
    >>> metric.update_state([[1, 0], [0, 1], [0, 1]], [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    >>> round(float(metric.result()), 4)
    0.5
    """

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_pred=False, axis=-1):
        super().__init__(
            num_classes=num_classes,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self):
        return {
            "num_classes": self.num_classes,
            "name": self.name,
            "dtype": self.dtype,
            "ignore_class": self.ignore_class,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }
