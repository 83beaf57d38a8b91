"""Overlap losses for segmentation: Dice and Tversky."""

from lamina import ops
from lamina.config import epsilon as _epsilon
from lamina.losses.loss import Loss
from lamina.losses.loss import LossFunctionWrapper


def _prepare(y_true, y_pred):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(ops.convert_to_tensor(y_true), y_pred.dtype)
    return y_true, y_pred


def _axis_argument(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def dice(y_true, y_pred, axis=None):
    """Computes the Dice loss `1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred))`.

    `epsilon()` is added to the denominator so that empty masks give a loss of 1.

    Args:
        y_true: Target masks (values in `[0, 1]`).
        y_pred: Predicted masks, same shape.
        axis: The axes the sums run over; None (default) sums over all axes,
            giving one scalar; e.g. `(1, 2)` gives one value per image.

    Returns:
        The Dice loss (per the axes not summed over).

    Example:

    >>> import lamina
    >>> round(float(dice([[1.0, 0.0], [1.0, 1.0]], [[1.0, 1.0], [0.0, 1.0]])), 4)
    0.3333
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    axis = _axis_argument(axis)
    intersection = ops.sum(y_true * y_pred, axis=axis)
    denominator = ops.sum(y_true, axis=axis) + ops.sum(y_pred, axis=axis) + _epsilon()
    return 1.0 - ops.divide(2.0 * intersection, denominator)


def tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None):
    """Computes the Tversky loss, a Dice loss with separate weights on the two kinds of error.

    `loss = 1 - tp / (tp + alpha * fp + beta * fn + epsilon())` where, as in
    Keras 3, `tp = sum(y_true * y_pred)`, `fp = sum(y_true * (1 - y_pred))` and
    `fn = sum((1 - y_true) * y_pred)`. `alpha = beta = 0.5` gives the Dice loss.

    Args:
        y_true: Target masks (values in `[0, 1]`).
        y_pred: Predicted masks, same shape.
        alpha: Weight of the `fp` term (default 0.5).
        beta: Weight of the `fn` term (default 0.5).
        axis: The axes the sums run over; None (default) sums over all axes.

    Returns:
        The Tversky loss (per the axes not summed over).

    Example:

    >>> import lamina
    >>> round(float(tversky([[1.0, 0.0], [1.0, 1.0]], [[1.0, 1.0], [0.0, 1.0]], alpha=0.2, beta=0.8)), 4)
    0.3333
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    axis = _axis_argument(axis)
    true_positives = ops.sum(y_true * y_pred, axis=axis)
    false_positives = ops.sum((1.0 - y_pred) * y_true, axis=axis)
    false_negatives = ops.sum(y_pred * (1.0 - y_true), axis=axis)
    denominator = true_positives + false_positives * alpha + false_negatives * beta + _epsilon()
    return 1.0 - ops.divide(true_positives, denominator)


class Dice(LossFunctionWrapper):
    """Computes the Dice loss between `y_true` and `y_pred`.

    Args:
        reduction: See `lamina.losses.Loss` (default `"sum_over_batch_size"`).
        name: Optional name (default `"dice"`).
        axis: The axes the sums run over (default None: all axes).
        dtype: The dtype of the computations (default `floatx()`).

    Example:

    >>> round(float(Dice()([[1.0, 0.0], [1.0, 1.0]], [[1.0, 1.0], [0.0, 1.0]])), 4)
    0.3333
    """

    def __init__(self, reduction="sum_over_batch_size", name="dice", axis=None, dtype=None):
        super().__init__(dice, name=name, reduction=reduction, dtype=dtype, axis=axis)
        self.axis = axis

    def get_config(self):
        config = Loss.get_config(self)
        config["axis"] = self.axis
        return config


class Tversky(LossFunctionWrapper):
    """Computes the Tversky loss between `y_true` and `y_pred`.

    Args:
        alpha: Weight of the `fp` term (default 0.5).
        beta: Weight of the `fn` term (default 0.5).
        reduction: See `lamina.losses.Loss` (default `"sum_over_batch_size"`).
        name: Optional name (default `"tversky"`).
        axis: The axes the sums run over (default None: all axes).
        dtype: The dtype of the computations (default `floatx()`).

    Example:

    >>> round(float(Tversky()([[1.0, 0.0], [1.0, 1.0]], [[1.0, 1.0], [0.0, 1.0]])), 4)
    0.3333
    """

    def __init__(
        self, alpha=0.5, beta=0.5, reduction="sum_over_batch_size", name="tversky", axis=None, dtype=None
    ):
        super().__init__(
            tversky, name=name, reduction=reduction, dtype=dtype, alpha=alpha, beta=beta, axis=axis
        )
        self.alpha = alpha
        self.beta = beta
        self.axis = axis

    def get_config(self):
        config = Loss.get_config(self)
        config.update({"alpha": self.alpha, "beta": self.beta, "axis": self.axis})
        return config
