"""Crossentropy losses: categorical, sparse categorical and binary.

Target and prediction shapes are checked statically (from `.shape`), so a
mismatch raises a clear `ValueError` eagerly, symbolically and under `jit`.
"""

import warnings

from lamina import ops
from lamina.backend.common import masking
from lamina.losses.loss import Loss
from lamina.losses.loss import LossFunctionWrapper
from lamina.losses.loss import squeeze_or_expand_to_same_rank
from lamina.ops import plan_cache

# Training calls a loss with the same shapes every step: each shape check runs once
# per signature (a failing one raises every time, as it is not cached).
_CHECKED_SHAPES = plan_cache.PlanCache()


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Computes the categorical crossentropy between one-hot targets and predictions.

    Args:
        y_true: One-hot (or soft) targets, same shape as `y_pred`.
        y_pred: Predicted probabilities (or logits with `from_logits=True`).
        from_logits: Whether `y_pred` holds logits rather than probabilities.
        label_smoothing: Float in `[0, 1]`: targets become
            `y_true * (1 - label_smoothing) + label_smoothing / num_classes`.
        axis: The class axis.

    Returns:
        The per-sample crossentropy (the class axis reduced).

    Example:

    >>> import lamina
    >>> loss = categorical_crossentropy([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
    >>> [round(value, 4) for value in lamina.ops.convert_to_numpy(loss).tolist()]
    [0.0513, 2.3026]
    """
    _check_axis(axis, "categorical_crossentropy")
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    if y_true.dtype != y_pred.dtype:
        y_true = ops.cast(y_true, y_pred.dtype)
    true_shape, pred_shape = tuple(y_true.shape), tuple(y_pred.shape)
    _CHECKED_SHAPES.get(
        (_check_one_hot_shapes, true_shape, pred_shape, axis),
        lambda: _check_one_hot_shapes(true_shape, pred_shape, axis, "categorical_crossentropy") or True,
    )
    if y_pred.shape[-1] == 1:
        warnings.warn(
            "In loss categorical_crossentropy, expected y_pred.shape to be "
            f"(batch_size, num_classes) with num_classes > 1. Received: y_pred.shape="
            f"{tuple(y_pred.shape)}. Consider using 'binary_crossentropy' if you only "
            "have 2 classes.",
            SyntaxWarning,
            stacklevel=2,
        )
    if label_smoothing:
        # The class count is static; it is only unknown while tracing shapes symbolically.
        num_classes = y_true.shape[-1] or y_pred.shape[-1] or 1
        y_true = y_true * (1.0 - label_smoothing) + (label_smoothing / float(num_classes))
    # Positional arguments keep the op's dispatch on its fast path.
    return ops.categorical_crossentropy(y_true, y_pred, from_logits, axis)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None, axis=-1):
    """Computes the crossentropy between integer class labels and predictions.

    Args:
        y_true: Integer class labels, shape `y_pred.shape` without the class
            axis (a trailing axis of size 1 is accepted).
        y_pred: Predicted probabilities (or logits with `from_logits=True`).
        from_logits: Whether `y_pred` holds logits rather than probabilities.
        ignore_class: Optional label whose positions get no loss (and a mask
            so that averages skip them), e.g. a "void" class in segmentation.
        axis: The class axis of `y_pred`.

    Returns:
        The per-sample crossentropy.

    Example:

    >>> import lamina
    >>> loss = sparse_categorical_crossentropy([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
    >>> [round(value, 4) for value in lamina.ops.convert_to_numpy(loss).tolist()]
    [0.0513, 2.3026]
    """
    _check_axis(axis, "sparse_categorical_crossentropy")
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    if len(y_true.shape) == len(y_pred.shape) and y_true.shape[axis] == 1:
        y_true = ops.squeeze(y_true, axis=axis)
    true_shape, pred_shape = tuple(y_true.shape), tuple(y_pred.shape)
    _CHECKED_SHAPES.get(
        (_check_sparse_shapes, true_shape, pred_shape, axis),
        lambda: _check_sparse_shapes(true_shape, pred_shape, axis) or True,
    )
    valid_mask = None
    if ignore_class is not None:
        valid_mask = ops.not_equal(y_true, ops.cast(ignore_class, y_true.dtype))
        y_true = ops.where(valid_mask, y_true, ops.zeros_like(y_true))
        # Ignored positions get uniform scores (not zeros, which give 0/0 when normalized
        # and NaN gradients through `where`); their loss is zeroed below.
        y_pred = ops.where(ops.expand_dims(valid_mask, axis), y_pred, ops.ones_like(y_pred))
    values = ops.sparse_categorical_crossentropy(y_true, y_pred, from_logits, axis)
    if valid_mask is not None:
        values = ops.where(valid_mask, values, ops.zeros_like(values))
        masking.set_keras_mask(values, valid_mask)
    return values


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Computes the binary crossentropy, averaged over `axis`.

    Args:
        y_true: Targets in `[0, 1]`, same shape as `y_pred` (a trailing axis of
            size 1 on one side is squeezed or added).
        y_pred: Predicted probabilities (or logits with `from_logits=True`).
        from_logits: Whether `y_pred` holds logits rather than probabilities.
        label_smoothing: Float in `[0, 1]`: targets are squeezed towards 0.5,
            `y_true * (1 - label_smoothing) + 0.5 * label_smoothing`.
        axis: The axis the elementwise crossentropies are averaged over.

    Returns:
        The per-sample binary crossentropy.

    Example:

    >>> import lamina
    >>> loss = binary_crossentropy([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
    >>> [round(value, 4) for value in lamina.ops.convert_to_numpy(loss).tolist()]
    [0.9163, 0.7136]
    """
    _check_axis(axis, "binary_crossentropy")
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    if y_true.dtype != y_pred.dtype:
        y_true = ops.cast(y_true, y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    if not _same_shape(tuple(y_true.shape), tuple(y_pred.shape)):
        raise ValueError(
            "binary_crossentropy expects targets of the same shape as the predictions, "
            f"{tuple(y_pred.shape)}; received targets of shape {tuple(y_true.shape)}."
        )
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    return ops.mean(ops.binary_crossentropy(y_true, y_pred, from_logits), axis)


class CategoricalCrossentropy(LossFunctionWrapper):
    """Computes the crossentropy between one-hot labels and predictions.

    Use it for two or more classes given as one-hot vectors; for integer
    labels use `SparseCategoricalCrossentropy`.

    Args:
        from_logits: Whether `y_pred` holds logits rather than probabilities.
        label_smoothing: Float in `[0, 1]`; e.g. `0.1` uses `0.1 / num_classes`
            for non-target labels and `0.9 + 0.1 / num_classes` for targets.
        axis: The class axis (default `-1`).
        reduction: See `lamina.losses.Loss` (default `"sum_over_batch_size"`).
        name: Optional name (default `"categorical_crossentropy"`).
        dtype: The dtype of the computations (default `floatx()`).

    Example:

    >>> loss = CategoricalCrossentropy()
    >>> round(float(loss([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])), 4)
    1.1769
    """

    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="categorical_crossentropy",
        dtype=None,
    ):
        super().__init__(
            categorical_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Computes the crossentropy between integer labels and predictions.

    Use it for two or more classes given as integer labels; for one-hot
    labels use `CategoricalCrossentropy`.

    Args:
        from_logits: Whether `y_pred` holds logits rather than probabilities.
        ignore_class: Optional label whose positions are skipped (e.g. `-1`
            or `255` for a "void" class in segmentation).
        reduction: See `lamina.losses.Loss` (default `"sum_over_batch_size"`).
        axis: The class axis of `y_pred` (default `-1`).
        name: Optional name (default `"sparse_categorical_crossentropy"`).
        dtype: The dtype of the computations (default `floatx()`).

    Example:

    >>> loss = SparseCategoricalCrossentropy()
    >>> round(float(loss([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])), 4)
    1.1769
    """

    def __init__(
        self,
        from_logits=False,
        ignore_class=None,
        reduction="sum_over_batch_size",
        axis=-1,
        name="sparse_categorical_crossentropy",
        dtype=None,
    ):
        super().__init__(
            sparse_categorical_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            from_logits=from_logits,
            ignore_class=ignore_class,
            axis=axis,
        )
        self.from_logits = from_logits
        self.ignore_class = ignore_class
        self.axis = axis

    def get_config(self):
        config = Loss.get_config(self)
        config.update({"from_logits": self.from_logits, "ignore_class": self.ignore_class})
        # Keras 3 leaves `axis` out of this config; keep it only when it carries information.
        if self.axis != -1:
            config["axis"] = self.axis
        return config


class BinaryCrossentropy(LossFunctionWrapper):
    """Computes the crossentropy between binary labels and predictions.

    Use it for binary (0 or 1) classification and for multi-label problems.

    Args:
        from_logits: Whether `y_pred` holds logits rather than probabilities.
        label_smoothing: Float in `[0, 1]`: labels are squeezed towards 0.5.
        axis: The axis the elementwise crossentropies are averaged over.
        reduction: See `lamina.losses.Loss` (default `"sum_over_batch_size"`).
        name: Optional name (default `"binary_crossentropy"`).
        dtype: The dtype of the computations (default `floatx()`).

    Example:

    >>> loss = BinaryCrossentropy()
    >>> round(float(loss([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])), 3)
    0.815
    """

    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="binary_crossentropy",
        dtype=None,
    ):
        super().__init__(
            binary_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


# -- static shape checks -------------------------------------------------------------


def _check_axis(axis, function_name):
    if isinstance(axis, bool) or not isinstance(axis, int):
        raise ValueError(f"{function_name}: `axis` must be an int. Received: axis={axis!r}")


def _same_shape(shape1, shape2):
    if len(shape1) != len(shape2):
        return False
    return all(a is None or b is None or a == b for a, b in zip(shape1, shape2))


def _class_axis(shape, axis, function_name):
    if not shape:
        raise ValueError(
            f"{function_name} expects predictions with a class axis; received predictions of shape ()."
        )
    if not -len(shape) <= axis < len(shape):
        raise ValueError(f"{function_name}: axis={axis} is out of range for predictions of shape {shape}.")
    return axis % len(shape)


def _check_one_hot_shapes(true_shape, pred_shape, axis, function_name):
    class_axis = _class_axis(pred_shape, axis, function_name)
    if _same_shape(true_shape, pred_shape):
        return
    num_classes = pred_shape[class_axis]
    if class_axis == len(pred_shape) - 1:
        expected = f"(..., {num_classes})"
    else:
        expected = str(pred_shape)
    message = (
        f"{function_name} expects one-hot targets of shape {expected}; received targets of shape {true_shape}"
    )
    labels_like = len(true_shape) == len(pred_shape) - 1 or (
        len(true_shape) == len(pred_shape) and true_shape[class_axis] == 1
    )
    if labels_like:
        message += ". For integer class labels use sparse_categorical_crossentropy."
    else:
        message += f", which does not match the predictions' shape {pred_shape}."
    raise ValueError(message)


def _check_sparse_shapes(true_shape, pred_shape, axis):
    class_axis = _class_axis(pred_shape, axis, "sparse_categorical_crossentropy")
    expected = pred_shape[:class_axis] + pred_shape[class_axis + 1 :]
    if _same_shape(true_shape, expected):
        return
    message = (
        f"sparse_categorical_crossentropy expects integer class labels of shape {expected} "
        f"for predictions of shape {pred_shape}; received targets of shape {true_shape}"
    )
    if _same_shape(true_shape, pred_shape):
        message += ". For one-hot targets use categorical_crossentropy."
    else:
        message += "."
    raise ValueError(message)
