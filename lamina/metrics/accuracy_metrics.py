"""Accuracy metrics: exact, binary, categorical, sparse categorical and top-k."""

from lamina import ops
from lamina.config import floatx
from lamina.losses.loss import squeeze_or_expand_to_same_rank
from lamina.metrics.reduction_metrics import MeanMetricWrapper


def accuracy(y_true, y_pred):
    """Returns 1.0 where `y_pred` equals `y_true` exactly, else 0.0.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(accuracy([1.0, 2.0], [1.0, 3.0])).tolist()
    [1.0, 0.0]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return ops.cast(ops.equal(y_true, y_pred), floatx())


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """Returns 1.0 where `y_pred > threshold` matches the binary `y_true`, else 0.0.

    Args:
        y_true: Binary labels.
        y_pred: Predicted probabilities (or scores).
        threshold: Predictions above it count as 1.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(binary_accuracy([[1], [0]], [[0.7], [0.6]])).tolist()
    [[1.0], [0.0]]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    threshold = ops.cast(threshold, y_pred.dtype)
    y_pred = ops.cast(ops.greater(y_pred, threshold), y_true.dtype)
    return ops.cast(ops.equal(y_true, y_pred), floatx())


def categorical_accuracy(y_true, y_pred):
    """Returns 1.0 where the arg-max of `y_pred` is the arg-max of the one-hot `y_true`.

    Example:

    >>> import lamina
    >>> scores = [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]
    >>> lamina.ops.convert_to_numpy(categorical_accuracy([[0, 0, 1], [0, 1, 0]], scores)).tolist()
    [0.0, 1.0]
    """
    y_true = ops.argmax(y_true, axis=-1)
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, y_pred.dtype)
    original_shape = tuple(y_true.shape)
    reshape_matches = False
    if len(y_true.shape) == len(y_pred.shape):
        y_true = ops.squeeze(y_true, axis=-1)
        reshape_matches = True
    y_pred = ops.cast(ops.argmax(y_pred, axis=-1), y_true.dtype)
    matches = ops.cast(ops.equal(y_true, y_pred), floatx())
    if reshape_matches:
        matches = ops.reshape(matches, original_shape)
    return matches


def sparse_categorical_accuracy(y_true, y_pred):
    """Returns 1.0 where the arg-max of `y_pred` equals the integer label `y_true`.

    Example:

    >>> import lamina
    >>> scores = [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]
    >>> lamina.ops.convert_to_numpy(sparse_categorical_accuracy([[2], [1]], scores)).tolist()
    [0.0, 1.0]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    original_shape = tuple(y_true.shape)
    reshape_matches = False
    if len(y_true.shape) == len(y_pred.shape) and y_true.shape[-1] == 1:
        y_true = ops.squeeze(y_true, axis=-1)
        reshape_matches = True
    y_pred = ops.cast(ops.argmax(y_pred, axis=-1), y_true.dtype)
    matches = ops.cast(ops.equal(y_true, y_pred), floatx())
    if reshape_matches:
        matches = ops.reshape(matches, original_shape)
    if len(matches.shape) > 1 and matches.shape[-1] == 1:
        matches = ops.squeeze(matches, axis=-1)
    return matches


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """Returns 1.0 where the one-hot target is among the `k` highest predictions.

    Args:
        y_true: One-hot targets.
        y_pred: Predicted scores.
        k: How many top predictions count.

    Example:

    >>> import lamina
    >>> scores = [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]
    >>> lamina.ops.convert_to_numpy(top_k_categorical_accuracy([[0, 0, 1], [0, 1, 0]], scores, k=1)).tolist()
    [0.0, 1.0]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.argmax(ops.convert_to_tensor(y_true, dtype=y_pred.dtype), axis=-1)
    return _in_top_k_matches(y_true, y_pred, k)


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5, from_sorted_ids=False):
    """Returns 1.0 where the integer label is among the `k` highest predictions.

    Args:
        y_true: Integer labels.
        y_pred: Predicted scores, or (with `from_sorted_ids=True`) class ids
            sorted by decreasing score.
        k: How many top predictions count.
        from_sorted_ids: Whether `y_pred` holds sorted class ids.

    Example:

    >>> import lamina
    >>> scores = [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]
    >>> lamina.ops.convert_to_numpy(sparse_top_k_categorical_accuracy([2, 1], scores, k=1)).tolist()
    [0.0, 1.0]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype if from_sorted_ids else "int32")
    if not from_sorted_ids:
        return _in_top_k_matches(y_true, y_pred, k)
    original_shape = tuple(y_true.shape)
    if len(y_pred.shape) > 2:
        y_pred = ops.reshape(y_pred, (-1, y_pred.shape[-1]))
    if len(y_true.shape) > 1:
        y_true = ops.reshape(y_true, (-1,))
    matches = ops.any(ops.equal(ops.expand_dims(y_true, axis=1), y_pred[:, :k]), axis=1)
    matches = ops.cast(matches, floatx())
    if len(original_shape) > 1:
        matches = ops.reshape(matches, original_shape)
    return matches


def _in_top_k_matches(labels, y_pred, k):
    original_shape = tuple(labels.shape)
    if len(y_pred.shape) > 2:
        y_pred = ops.reshape(y_pred, (-1, y_pred.shape[-1]))
    if len(labels.shape) > 1:
        labels = ops.reshape(labels, (-1,))
    matches = ops.cast(ops.in_top_k(ops.cast(labels, "int32"), y_pred, k=k), floatx())
    if len(original_shape) > 1:
        matches = ops.reshape(matches, original_shape)
    return matches


class Accuracy(MeanMetricWrapper):
    """Computes how often predictions equal labels exactly.

    Args:
        name: Optional name (default `"accuracy"`).
        dtype: The dtype of the result (default `floatx()`).

    Example:

    >>> metric = Accuracy()
    >>> metric.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
    >>> float(metric.result())
    0.75
    """

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(fn=accuracy, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class BinaryAccuracy(MeanMetricWrapper):
    """Computes how often thresholded predictions match binary labels.

    Args:
        name: Optional name (default `"binary_accuracy"`).
        dtype: The dtype of the result (default `floatx()`).
        threshold: Predictions above it count as 1 (default 0.5).

    Example:

    >>> metric = BinaryAccuracy()
    >>> metric.update_state([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]])
    >>> float(metric.result())
    0.75
    """

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(fn=binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self.threshold = threshold

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "threshold": self.threshold}


class CategoricalAccuracy(MeanMetricWrapper):
    """Computes how often the arg-max prediction matches the one-hot label.

    Args:
        name: Optional name (default `"categorical_accuracy"`).
        dtype: The dtype of the result (default `floatx()`).

    Example:

    >>> metric = CategoricalAccuracy()
    >>> metric.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
    >>> float(metric.result())
    0.5
    """

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(fn=categorical_accuracy, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """Computes how often the arg-max prediction matches the integer label.

    Args:
        name: Optional name (default `"sparse_categorical_accuracy"`).
        dtype: The dtype of the result (default `floatx()`).

    Example:

    >>> metric = SparseCategoricalAccuracy()
    >>> metric.update_state([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]])
    >>> float(metric.result())
    0.5
    """

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(fn=sparse_categorical_accuracy, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """Computes how often the one-hot label is among the top `k` predictions.

    Args:
        k: How many top predictions count (default 5).
        name: Optional name (default `"top_k_categorical_accuracy"`).
        dtype: The dtype of the result (default `floatx()`).

    Example:

    >>> metric = TopKCategoricalAccuracy(k=1)
    >>> metric.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
    >>> float(metric.result())
    0.5
    """

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(fn=top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "k": self.k}


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """Computes how often the integer label is among the top `k` predictions.

    Args:
        k: How many top predictions count (default 5).
        name: Optional name (default `"sparse_top_k_categorical_accuracy"`).
        dtype: The dtype of the result (default `floatx()`).
        from_sorted_ids: Whether `y_pred` holds class ids sorted by score.

    Example:

    >>> metric = SparseTopKCategoricalAccuracy(k=1)
    >>> metric.update_state([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
    >>> float(metric.result())
    0.5
    """

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None, from_sorted_ids=False):
        super().__init__(
            fn=sparse_top_k_categorical_accuracy,
            name=name,
            dtype=dtype,
            k=k,
            from_sorted_ids=from_sorted_ids,
        )
        self.k = k
        self.from_sorted_ids = from_sorted_ids

    def get_config(self):
        config = {"name": self.name, "dtype": self.dtype, "k": self.k}
        if self.from_sorted_ids:
            config["from_sorted_ids"] = True
        return config
