"""Regression losses: mean squared / absolute (percentage / logarithmic) error."""

from lamina import ops
from lamina.config import epsilon as _epsilon
from lamina.losses.loss import LossFunctionWrapper
from lamina.losses.loss import squeeze_or_expand_to_same_rank


def _prepare(y_true, y_pred):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


def mean_squared_error(y_true, y_pred):
    """Computes the mean squared error over the last axis.

    `loss = mean(square(y_true - y_pred), axis=-1)`

    Args:
        y_true: Ground-truth values, shape `(batch_size, d0, ..., dN)`.
        y_pred: Predicted values, same shape.

    Returns:
        Per-sample values, shape `(batch_size, d0, ..., dN-1)`.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(mean_squared_error([[0.0, 2.0]], [[1.0, 0.0]])).tolist()
    [2.5]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    return ops.mean(ops.square(y_true - y_pred), axis=-1)


def mean_absolute_error(y_true, y_pred):
    """Computes the mean absolute error over the last axis.

    `loss = mean(abs(y_true - y_pred), axis=-1)`

    Args:
        y_true: Ground-truth values, shape `(batch_size, d0, ..., dN)`.
        y_pred: Predicted values, same shape.

    Returns:
        Per-sample values, shape `(batch_size, d0, ..., dN-1)`.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(mean_absolute_error([[0.0, 2.0]], [[1.0, 0.0]])).tolist()
    [1.5]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    return ops.mean(ops.abs(y_true - y_pred), axis=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    """Computes the mean absolute percentage error over the last axis.

    `loss = 100 * mean(abs((y_true - y_pred) / max(abs(y_true), epsilon)), axis=-1)`

    Args:
        y_true: Ground-truth values, shape `(batch_size, d0, ..., dN)`.
        y_pred: Predicted values, same shape.

    Returns:
        Per-sample values, shape `(batch_size, d0, ..., dN-1)`.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(mean_absolute_percentage_error([[2.0, 4.0]], [[1.0, 4.0]])).tolist()
    [25.0]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    floor = ops.convert_to_tensor(_epsilon(), dtype=y_pred.dtype)
    difference = ops.abs((y_true - y_pred) / ops.maximum(ops.abs(y_true), floor))
    return 100.0 * ops.mean(difference, axis=-1)


def mean_squared_logarithmic_error(y_true, y_pred):
    """Computes the mean squared logarithmic error over the last axis.

    `loss = mean(square(log(y_true + 1) - log(y_pred + 1)), axis=-1)`, with
    values below `epsilon` raised to `epsilon` first.

    Args:
        y_true: Ground-truth values, shape `(batch_size, d0, ..., dN)`.
        y_pred: Predicted values, same shape.

    Returns:
        Per-sample values, shape `(batch_size, d0, ..., dN-1)`.

    Example:

    >>> import lamina
    >>> round(float(mean_squared_logarithmic_error([[0.0]], [[1.718281828]])[0]), 4)
    1.0
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    floor = ops.convert_to_tensor(_epsilon(), dtype=y_pred.dtype)
    first_log = ops.log(ops.maximum(y_pred, floor) + 1.0)
    second_log = ops.log(ops.maximum(y_true, floor) + 1.0)
    return ops.mean(ops.square(first_log - second_log), axis=-1)


class MeanSquaredError(LossFunctionWrapper):
    """Computes the mean of squares of errors between labels and predictions.

    `loss = mean(square(y_true - y_pred))`

    Args:
        reduction: See `lamina.losses.Loss` (default `"sum_over_batch_size"`).
        name: Optional name (default `"mean_squared_error"`).
        dtype: The dtype of the computations (default `floatx()`).

    Example:

    >>> round(float(MeanSquaredError()([1.0, 0.0, 1.0], [0.9, 0.1, 0.8])), 4)
    0.02
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, name=name, reduction=reduction, dtype=dtype)


class MeanAbsoluteError(LossFunctionWrapper):
    """Computes the mean of absolute errors between labels and predictions.

    `loss = mean(abs(y_true - y_pred))`

    Args:
        reduction: See `lamina.losses.Loss` (default `"sum_over_batch_size"`).
        name: Optional name (default `"mean_absolute_error"`).
        dtype: The dtype of the computations (default `floatx()`).

    Example:

    >>> round(float(MeanAbsoluteError()([1.0, 0.0], [0.5, 0.5])), 4)
    0.5
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, name=name, reduction=reduction, dtype=dtype)


class MeanAbsolutePercentageError(LossFunctionWrapper):
    """Computes the mean absolute percentage error between labels and predictions.

    `loss = 100 * mean(abs((y_true - y_pred) / y_true))`

    Args:
        reduction: See `lamina.losses.Loss` (default `"sum_over_batch_size"`).
        name: Optional name (default `"mean_absolute_percentage_error"`).
        dtype: The dtype of the computations (default `floatx()`).

    Example:

    >>> round(float(MeanAbsolutePercentageError()([2.0, 4.0], [1.0, 4.0])), 4)
    25.0
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_percentage_error", dtype=None):
        super().__init__(mean_absolute_percentage_error, name=name, reduction=reduction, dtype=dtype)


class MeanSquaredLogarithmicError(LossFunctionWrapper):
    """Computes the mean squared logarithmic error between labels and predictions.

    `loss = mean(square(log(y_true + 1) - log(y_pred + 1)))`

    Args:
        reduction: See `lamina.losses.Loss` (default `"sum_over_batch_size"`).
        name: Optional name (default `"mean_squared_logarithmic_error"`).
        dtype: The dtype of the computations (default `floatx()`).

    Example:

    >>> round(float(MeanSquaredLogarithmicError()([0.0], [1.718281828])), 4)
    1.0
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(mean_squared_logarithmic_error, name=name, reduction=reduction, dtype=dtype)
