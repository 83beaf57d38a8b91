"""Hinge losses for maximum-margin classifiers: hinge, squared hinge, categorical hinge."""

from lamina import ops
from lamina.losses.loss import LossFunctionWrapper


def convert_binary_labels_to_hinge(y_true):
    """Maps labels in `{0, 1}` to `{-1, 1}`; other labels are returned unchanged.

    The conversion happens only when every label is 0 or 1, as in Keras 3.

    Args:
        y_true: A float tensor of labels.

    Returns:
        The labels, in `{-1, 1}` when they were binary.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(convert_binary_labels_to_hinge([0.0, 1.0])).tolist()
    [-1.0, 1.0]
    """
    y_true = ops.convert_to_tensor(y_true)
    is_binary = ops.all(ops.logical_or(ops.equal(y_true, 0), ops.equal(y_true, 1)))
    return ops.where(is_binary, 2.0 * y_true - 1.0, y_true)


def _prepare(y_true, y_pred):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(ops.convert_to_tensor(y_true), y_pred.dtype)
    return y_true, y_pred


def hinge(y_true, y_pred):
    """Computes the hinge loss: `mean(maximum(1 - y_true * y_pred, 0), axis=-1)`.

    Args:
        y_true: Labels in `{-1, 1}` (labels in `{0, 1}` are converted),
            shape `(batch_size, d0, ..., dN)`.
        y_pred: Predicted values, same shape.

    Returns:
        Per-sample values, shape `(batch_size, d0, ..., dN-1)`.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(hinge([[0.0, 1.0]], [[0.5, 0.5]])).tolist()
    [1.0]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    y_true = convert_binary_labels_to_hinge(y_true)
    return ops.mean(ops.maximum(1.0 - y_true * y_pred, 0.0), axis=-1)


def squared_hinge(y_true, y_pred):
    """Computes the squared hinge loss: `mean(square(maximum(1 - y_true * y_pred, 0)), axis=-1)`.

    Args:
        y_true: Labels in `{-1, 1}` (labels in `{0, 1}` are converted),
            shape `(batch_size, d0, ..., dN)`.
        y_pred: Predicted values, same shape.

    Returns:
        Per-sample values, shape `(batch_size, d0, ..., dN-1)`.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(squared_hinge([[0.0, 1.0]], [[0.5, 0.5]])).tolist()
    [1.25]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    y_true = convert_binary_labels_to_hinge(y_true)
    return ops.mean(ops.square(ops.maximum(1.0 - y_true * y_pred, 0.0)), axis=-1)


def categorical_hinge(y_true, y_pred):
    """Computes the categorical hinge loss: `maximum(neg - pos + 1, 0)`.

    Here `pos = sum(y_true * y_pred, axis=-1)` and
    `neg = max((1 - y_true) * y_pred, axis=-1)`.

    Args:
        y_true: One-hot labels (`{0, 1}` or `{-1, 1}`), shape `(batch_size, d0, ..., dN)`.
        y_pred: Predicted values, same shape.

    Returns:
        Per-sample values, shape `(batch_size, d0, ..., dN-1)`.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(categorical_hinge([[0.0, 1.0]], [[0.5, 0.25]])).tolist()
    [1.25]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    positive = ops.sum(y_true * y_pred, axis=-1)
    negative = ops.max((1.0 - y_true) * y_pred, axis=-1)
    return ops.maximum(negative - positive + 1.0, ops.zeros((), dtype=y_pred.dtype))


class Hinge(LossFunctionWrapper):
    """Computes the hinge loss between `y_true` and `y_pred`.

    `loss = maximum(1 - y_true * y_pred, 0)`, averaged over the last axis.
    Labels in `{0, 1}` are converted to `{-1, 1}`.

    Args:
        reduction: See `lamina.losses.Loss` (default `"sum_over_batch_size"`).
        name: Optional name (default `"hinge"`).
        dtype: The dtype of the computations (default `floatx()`).

    Example:

    >>> float(Hinge()([[0.0, 1.0], [1.0, 1.0]], [[0.5, 0.5], [2.0, 0.0]]))
    0.75
    """

    def __init__(self, reduction="sum_over_batch_size", name="hinge", dtype=None):
        super().__init__(hinge, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}


class SquaredHinge(LossFunctionWrapper):
    """Computes the squared hinge loss between `y_true` and `y_pred`.

    `loss = square(maximum(1 - y_true * y_pred, 0))`, averaged over the last
    axis. Labels in `{0, 1}` are converted to `{-1, 1}`.

    Args:
        reduction: See `lamina.losses.Loss` (default `"sum_over_batch_size"`).
        name: Optional name (default `"squared_hinge"`).
        dtype: The dtype of the computations (default `floatx()`).

    Example:

    >>> float(SquaredHinge()([[0.0, 1.0]], [[0.5, 0.5]]))
    1.25
    """

    def __init__(self, reduction="sum_over_batch_size", name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}


class CategoricalHinge(LossFunctionWrapper):
    """Computes the categorical hinge loss between one-hot `y_true` and `y_pred`.

    `loss = maximum(neg - pos + 1, 0)` with `pos = sum(y_true * y_pred)` and
    `neg = max((1 - y_true) * y_pred)` over the last axis.

    Args:
        reduction: See `lamina.losses.Loss` (default `"sum_over_batch_size"`).
        name: Optional name (default `"categorical_hinge"`).
        dtype: The dtype of the computations (default `floatx()`).

    Example:

    >>> float(CategoricalHinge()([[0.0, 1.0]], [[0.5, 0.25]]))
    1.25
    """

    def __init__(self, reduction="sum_over_batch_size", name="categorical_hinge", dtype=None):
        super().__init__(categorical_hinge, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}
