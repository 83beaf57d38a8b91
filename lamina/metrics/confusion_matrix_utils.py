"""Shared thresholded confusion-matrix counting for Precision, Recall, AUC and friends.

Every confusion metric accumulates, per threshold `t`, the (weighted) counts
of `y_pred > t` against the boolean `y_true`:

- true positives:  `y_true` and `y_pred > t`
- false positives: not `y_true` and `y_pred > t`
- true negatives:  not `y_true` and `y_pred <= t`
- false negatives: `y_true` and `y_pred <= t`

Evenly spaced thresholds use a bucket count plus a reverse cumulative sum
(memory O(thresholds + predictions)), other thresholds a direct comparison.
"""

import numpy as np

from lamina import ops
from lamina.config import epsilon
from lamina.losses.loss import squeeze_or_expand_to_same_rank

NEG_INF = -1e10
KEYS = ("tp", "fp", "tn", "fn")


def parse_thresholds(thresholds, default_threshold, owner):
    """Returns the thresholds as a list, checking that each lies in `[0, 1]`.

    Args:
        thresholds: None, a float, or a list/tuple of floats.
        default_threshold: The threshold used when `thresholds` is None.
        owner: Name of the calling metric, for error messages.

    Returns:
        A list of floats.

    Example:

    >>> parse_thresholds(None, 0.5, "Precision")
    [0.5]
    >>> parse_thresholds((0.2, 0.7), 0.5, "Precision")
    [0.2, 0.7]
    """
    if thresholds is None:
        return [default_threshold]
    values = list(thresholds) if isinstance(thresholds, (list, tuple, np.ndarray)) else [thresholds]
    invalid = [value for value in values if value is None or value < 0 or value > 1]
    if invalid:
        raise ValueError(f"{owner}: threshold values must be in [0, 1]. Received: {invalid}")
    return values


def is_evenly_distributed(thresholds):
    """Returns whether the thresholds are `i / (n - 1)` for `i` in `0..n-1` (with `n >= 3`).

    Example:

    >>> is_evenly_distributed([0.0, 0.5, 1.0]), is_evenly_distributed([0.1, 0.5, 0.9])
    (True, False)
    """
    count = len(thresholds)
    if count < 3:
        return False
    even = np.arange(count, dtype="float32") / (count - 1)
    return bool(np.allclose(np.asarray(thresholds, dtype="float64"), even, atol=epsilon()))


def filter_top_k(x, k):
    """Keeps the `k` largest values of the last axis and sets the others to `NEG_INF`.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(filter_top_k([[0.1, 0.7, 0.3]], 1)).tolist()
    [[-10000000000.0, 0.699999988079071, -10000000000.0]]
    """
    x = ops.convert_to_tensor(x)
    _, indices = ops.top_k(x, k)
    mask = ops.sum(ops.one_hot(indices, x.shape[-1], dtype=x.dtype), axis=-2)
    return x * mask + NEG_INF * (1 - mask)


def update_confusion_matrix_variables(
    variables,
    y_true,
    y_pred,
    thresholds,
    top_k=None,
    class_id=None,
    sample_weight=None,
    multi_label=False,
    label_weights=None,
    thresholds_distributed_evenly=False,
):
    """Adds one batch's thresholded confusion counts to the given variables.

    Args:
        variables: Dict whose keys are among `"tp"`, `"fp"`, `"tn"`, `"fn"` and
            whose values are Variables of shape `(num_thresholds,)` (or
            `(num_thresholds, num_labels)` with `multi_label`).
        y_true: Labels (any non-zero value counts as positive).
        y_pred: Predictions, compared with each threshold (`y_pred > t`).
        thresholds: List of float thresholds (sorted when evenly distributed).
        top_k: Optional int: only the `k` largest predictions of the last axis
            can be positive.
        class_id: Optional int: only this class (last axis index) is counted.
        sample_weight: Optional weights, broadcastable to `y_true`.
        multi_label: Whether the last axis holds separate labels, each with its
            own counts; otherwise all values are flattened into one count.
        label_weights: Optional per-label weights (only without `multi_label`).
        thresholds_distributed_evenly: Whether `thresholds` are evenly spaced
            over `[0, 1]` (optionally with the end points moved out by epsilon),
            which allows the bucketed O(n) update.

    Example:

    >>> import lamina
    >>> tp = lamina.Variable([0.0, 0.0])
    >>> update_confusion_matrix_variables({"tp": tp}, [1, 1, 0], [0.3, 0.8, 0.9], [0.2, 0.5])
    >>> lamina.ops.convert_to_numpy(tp.value).tolist()
    [2.0, 1.0]
    """
    if multi_label and label_weights is not None:
        raise ValueError(
            "update_confusion_matrix_variables: `label_weights` must be applied by the caller when "
            "`multi_label=True`. Received label_weights together with multi_label=True."
        )
    invalid = [key for key in variables if key not in KEYS]
    if invalid or not variables:
        raise ValueError(
            f"update_confusion_matrix_variables: expected variable keys among {KEYS}. "
            f"Received: {list(variables)}"
        )
    dtype = next(iter(variables.values())).dtype
    y_true = ops.cast(ops.convert_to_tensor(y_true), dtype)
    y_pred = ops.cast(ops.convert_to_tensor(y_pred), dtype)
    with_epsilon = thresholds_distributed_evenly and (thresholds[0] < 0.0 or thresholds[-1] > 1.0)
    num_thresholds = len(thresholds)
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if sample_weight is not None:
        sample_weight = ops.expand_dims(ops.cast(ops.convert_to_tensor(sample_weight), dtype), axis=-1)
        _, sample_weight = squeeze_or_expand_to_same_rank(y_true, sample_weight, expand_rank_1=False)
    if top_k is not None:
        y_pred = filter_top_k(y_pred, top_k)
    if class_id is not None:
        if len(y_pred.shape) == 1:
            raise ValueError(
                "update_confusion_matrix_variables: with `class_id`, y_pred must have shape "
                f"(num_samples, num_classes). Received shape: {tuple(y_pred.shape)}"
            )
        y_true = y_true[..., class_id : class_id + 1]
        y_pred = y_pred[..., class_id : class_id + 1]
    weights = _combined_weights(sample_weight, label_weights, y_pred, dtype)
    if not multi_label:
        y_true = ops.reshape(y_true, (-1,))
        y_pred = ops.reshape(y_pred, (-1,))
        if weights is not None:
            weights = ops.reshape(weights, (-1,))
    is_true = ops.cast(ops.not_equal(y_true, 0), dtype)
    true_labels = is_true if weights is None else is_true * weights
    false_labels = (1.0 - is_true) if weights is None else (1.0 - is_true) * weights
    if thresholds_distributed_evenly:
        counts = _bucketed_positive_counts(
            y_pred, true_labels, false_labels, num_thresholds, multi_label, with_epsilon, dtype
        )
    else:
        counts = _compared_positive_counts(y_pred, true_labels, false_labels, thresholds, multi_label, dtype)
    true_positives, false_positives = counts
    if "tp" in variables:
        variables["tp"].assign(variables["tp"] + true_positives)
    if "fp" in variables:
        variables["fp"].assign(variables["fp"] + false_positives)
    if "tn" in variables:
        variables["tn"].assign(variables["tn"] + (ops.sum(false_labels, axis=0) - false_positives))
    if "fn" in variables:
        variables["fn"].assign(variables["fn"] + (ops.sum(true_labels, axis=0) - true_positives))


def _combined_weights(sample_weight, label_weights, y_pred, dtype):
    weights = None
    if sample_weight is not None:
        weights = ops.broadcast_to(sample_weight, ops.shape(y_pred))
    if label_weights is not None:
        label_weights = ops.broadcast_to(
            ops.expand_dims(ops.cast(ops.convert_to_tensor(label_weights), dtype), 0), ops.shape(y_pred)
        )
        weights = label_weights if weights is None else weights * label_weights
    return weights


def _compared_positive_counts(y_pred, true_labels, false_labels, thresholds, multi_label, dtype):
    """Counts `y_pred > t` for each threshold by direct comparison: O(thresholds * predictions)."""
    thresholds = ops.convert_to_tensor(np.asarray(thresholds, dtype="float64"), dtype=dtype)
    if multi_label:
        thresholds = ops.reshape(thresholds, (-1, 1, 1))
    else:
        thresholds = ops.reshape(thresholds, (-1, 1))
    predicted_positive = ops.cast(ops.greater(ops.expand_dims(y_pred, 0), thresholds), dtype)
    true_positives = ops.sum(predicted_positive * ops.expand_dims(true_labels, 0), axis=1)
    false_positives = ops.sum(predicted_positive * ops.expand_dims(false_labels, 0), axis=1)
    return true_positives, false_positives


def _bucketed_positive_counts(
    y_pred, true_labels, false_labels, num_thresholds, multi_label, with_epsilon, dtype
):
    """Counts `y_pred > t` for evenly spaced thresholds with one bucket pass and a reverse cumsum.

    The prediction `p` falls in bucket `ceil(p * (n - 1)) - 1`, so bucket `i`
    holds the predictions in `(t_i, t_{i+1}]`; the number above threshold `i`
    is the sum of buckets `>= i`.
    """
    y_pred = ops.clip(y_pred, 0.0, 1.0)
    buckets = ops.ceil(y_pred * float(num_thresholds - 1)) - 1.0
    if with_epsilon:
        # The first threshold is just below 0, so a prediction of exactly 0 is above it.
        buckets = ops.relu(buckets)
    buckets = ops.cast(buckets, "int32")
    if multi_label:
        num_labels = y_pred.shape[-1]
        # One segment per (label, bucket): label l's buckets are l * n .. l * n + n - 1.
        offsets = ops.arange(num_labels, dtype="int32") * num_thresholds
        # Predictions of exactly 0 without epsilon (bucket -1) go to a discarded extra segment.
        buckets = ops.where(buckets < 0, num_labels * num_thresholds, buckets + offsets)
        segments = ops.reshape(buckets, (-1,))
        total = num_labels * num_thresholds + 1

        def bucket_sums(labels):
            sums = ops.segment_sum(ops.reshape(labels, (-1,)), segments, num_segments=total)
            return ops.transpose(ops.reshape(sums[:-1], (num_labels, num_thresholds)))

        tp_buckets = bucket_sums(true_labels)
        fp_buckets = bucket_sums(false_labels)
    else:
        buckets = ops.where(buckets < 0, num_thresholds, buckets)
        tp_buckets = ops.segment_sum(true_labels, buckets, num_segments=num_thresholds + 1)[:-1]
        fp_buckets = ops.segment_sum(false_labels, buckets, num_segments=num_thresholds + 1)[:-1]
    true_positives = ops.flip(ops.cumsum(ops.flip(tp_buckets, axis=0), axis=0), axis=0)
    false_positives = ops.flip(ops.cumsum(ops.flip(fp_buckets, axis=0), axis=0), axis=0)
    return ops.cast(true_positives, dtype), ops.cast(false_positives, dtype)


def confusion_cells(metric):
    """The `{"tp", "tn", "fp", "fn"}` mapping of a metric holding all four count Variables.

    Args:
        metric: A metric with `true_positives`, `true_negatives`,
            `false_positives` and `false_negatives` Variables.

    Returns:
        The dict `update_confusion_matrix_variables` takes.
    """
    return {
        "tp": metric.true_positives,
        "tn": metric.true_negatives,
        "fp": metric.false_positives,
        "fn": metric.false_negatives,
    }
