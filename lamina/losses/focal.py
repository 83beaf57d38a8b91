"""Focal crossentropies: crossentropies that down-weight well-classified examples.

The focal factor `(1 - p_t) ** gamma` (Lin et al., 2017, https://arxiv.org/abs/1708.02002)
makes training concentrate on hard examples; `gamma = 0` gives back the crossentropy.
"""

import warnings

from lamina import ops
from lamina.config import epsilon as _epsilon
from lamina.losses.loss import Loss
from lamina.losses.loss import LossFunctionWrapper


def _check_axis(axis, function_name):
    if isinstance(axis, bool) or not isinstance(axis, int):
        raise ValueError(f"{function_name}: `axis` must be an int. Received: axis={axis!r}")


def binary_focal_crossentropy(
    y_true,
    y_pred,
    apply_class_balancing=False,
    alpha=0.25,
    gamma=2.0,
    from_logits=False,
    label_smoothing=0.0,
    axis=-1,
):
    """Computes the binary focal crossentropy, averaged over `axis`.

    `loss = (1 - p_t) ** gamma * binary_crossentropy(y_true, y_pred)` with
    `p_t = y_true * y_pred + (1 - y_true) * (1 - y_pred)`; with class balancing
    it is further weighted by `alpha` (positives) or `1 - alpha` (negatives).

    Args:
        y_true: Targets in `[0, 1]`, same shape as `y_pred`.
        y_pred: Predicted probabilities (or logits with `from_logits=True`).
        apply_class_balancing: Whether to weight by `alpha` / `1 - alpha`.
        alpha: The weight of the positive class (default 0.25).
        gamma: The focusing parameter (default 2.0).
        from_logits: Whether `y_pred` holds logits rather than probabilities.
        label_smoothing: Float in `[0, 1]`: targets are squeezed towards 0.5.
        axis: The axis the elementwise losses are averaged over.

    Returns:
        The per-sample binary focal crossentropy.

    Example:

    >>> import lamina
    >>> loss = binary_focal_crossentropy([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]], gamma=2)
    >>> [round(value, 3) for value in lamina.ops.convert_to_numpy(loss).tolist()]
    [0.33, 0.206]
    """
    _check_axis(axis, "binary_focal_crossentropy")
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(ops.convert_to_tensor(y_true), y_pred.dtype)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        y_pred = ops.sigmoid(y_pred)
    crossentropy = ops.binary_crossentropy(y_true, y_pred, from_logits=False)
    p_t = y_true * y_pred + (1.0 - y_true) * (1.0 - y_pred)
    focal = ops.power(1.0 - p_t, gamma) * crossentropy
    if apply_class_balancing:
        focal = (y_true * alpha + (1.0 - y_true) * (1.0 - alpha)) * focal
    return ops.mean(focal, axis=axis)


def categorical_focal_crossentropy(
    y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1
):
    """Computes the categorical focal crossentropy, summed over `axis`.

    `loss = -alpha * (1 - p) ** gamma * y_true * log(p)` summed over classes,
    where `p` are the predictions normalized to sum to 1 and clipped to
    `[epsilon(), 1 - epsilon()]`.

    Args:
        y_true: One-hot (or soft) targets, same shape as `y_pred`.
        y_pred: Predicted probabilities (or logits with `from_logits=True`).
        alpha: Weighting factor, a float or a per-class list (default 0.25).
        gamma: The focusing parameter (default 2.0).
        from_logits: Whether `y_pred` holds logits rather than probabilities.
        label_smoothing: Float in `[0, 1]`: targets become
            `y_true * (1 - label_smoothing) + label_smoothing / num_classes`.
        axis: The class axis.

    Returns:
        The per-sample categorical focal crossentropy.

    Example:

    >>> import lamina
    >>> loss = categorical_focal_crossentropy([[0, 1, 0], [0, 0, 1]], [[0.05, 0.9, 0.05], [0.1, 0.85, 0.05]])
    >>> [round(value, 4) for value in lamina.ops.convert_to_numpy(loss).tolist()]
    [0.0003, 0.6759]
    """
    _check_axis(axis, "categorical_focal_crossentropy")
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(ops.convert_to_tensor(y_true), y_pred.dtype)
    if y_pred.shape[-1] == 1:
        warnings.warn(
            "In loss categorical_focal_crossentropy, expected y_pred.shape to be "
            f"(batch_size, num_classes) with num_classes > 1. Received: y_pred.shape="
            f"{tuple(y_pred.shape)}. Consider using 'binary_crossentropy' if you only "
            "have 2 classes.",
            SyntaxWarning,
            stacklevel=2,
        )
    if label_smoothing:
        num_classes = y_true.shape[-1] or y_pred.shape[-1] or 1
        y_true = y_true * (1.0 - label_smoothing) + (label_smoothing / float(num_classes))
    if from_logits:
        y_pred = ops.softmax(y_pred, axis=axis)
    # Predictions that do not sum to one would distort the crossentropy.
    output = y_pred / ops.sum(y_pred, axis=axis, keepdims=True)
    output = ops.clip(output, _epsilon(), 1.0 - _epsilon())
    crossentropy = -y_true * ops.log(output)
    alpha = ops.convert_to_tensor(alpha, dtype=y_pred.dtype)
    focal = ops.power(1.0 - output, gamma) * alpha * crossentropy
    return ops.sum(focal, axis=axis)


class BinaryFocalCrossentropy(LossFunctionWrapper):
    """Computes the focal crossentropy between binary labels and predictions.

    Args:
        apply_class_balancing: Whether to weight positives by `alpha` and
            negatives by `1 - alpha`.
        alpha: The weight of the positive class (default 0.25).
        gamma: The focusing parameter (default 2.0); 0 gives the binary crossentropy.
        from_logits: Whether `y_pred` holds logits rather than probabilities.
        label_smoothing: Float in `[0, 1]`: labels are squeezed towards 0.5.
        axis: The axis the elementwise losses are averaged over (default -1).
        reduction: See `lamina.losses.Loss` (default `"sum_over_batch_size"`).
        name: Optional name (default `"binary_focal_crossentropy"`).
        dtype: The dtype of the computations (default `floatx()`).

    Example:

    >>> loss = BinaryFocalCrossentropy(gamma=2.0)
    >>> round(float(loss([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])), 3)
    0.268
    """

    def __init__(
        self,
        apply_class_balancing=False,
        alpha=0.25,
        gamma=2.0,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="binary_focal_crossentropy",
        dtype=None,
    ):
        super().__init__(
            binary_focal_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            # In Keras's config order: the config lists these keyword arguments.
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
            apply_class_balancing=apply_class_balancing,
            alpha=alpha,
            gamma=gamma,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
        self.apply_class_balancing = apply_class_balancing
        self.alpha = alpha
        self.gamma = gamma


class CategoricalFocalCrossentropy(LossFunctionWrapper):
    """Computes the focal crossentropy between one-hot labels and predictions.

    Args:
        alpha: Weighting factor, a float or a per-class list (default 0.25).
        gamma: The focusing parameter (default 2.0); 0 gives `alpha` times the
            categorical crossentropy.
        from_logits: Whether `y_pred` holds logits rather than probabilities.
        label_smoothing: Float in `[0, 1]`, as in `CategoricalCrossentropy`.
        axis: The class axis (default -1).
        reduction: See `lamina.losses.Loss` (default `"sum_over_batch_size"`).
        name: Optional name (default `"categorical_focal_crossentropy"`).
        dtype: The dtype of the computations (default `floatx()`).

    Example:

    >>> loss = CategoricalFocalCrossentropy()
    >>> round(float(loss([[0, 1, 0], [0, 0, 1]], [[0.05, 0.9, 0.05], [0.1, 0.85, 0.05]])), 4)
    0.3381
    """

    def __init__(
        self,
        alpha=0.25,
        gamma=2.0,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="categorical_focal_crossentropy",
        dtype=None,
    ):
        super().__init__(
            categorical_focal_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
        self.alpha = alpha
        self.gamma = gamma

    def get_config(self):
        config = Loss.get_config(self)
        config.update(
            {
                "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing,
                "axis": self.axis,
                "alpha": self.alpha,
                "gamma": self.gamma,
            }
        )
        return config
