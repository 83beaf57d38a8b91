"""Robust-regression and distribution losses: Huber, log-cosh, KL divergence, Poisson, cosine similarity."""

import math

from lamina import ops
from lamina.config import epsilon as _epsilon
from lamina.losses.loss import LossFunctionWrapper
from lamina.losses.loss import squeeze_or_expand_to_same_rank


def _prepare(y_true, y_pred, match_rank=True):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(ops.convert_to_tensor(y_true), y_pred.dtype)
    if match_rank:
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return y_true, y_pred


def huber(y_true, y_pred, delta=1.0):
    """Computes the Huber loss, averaged over the last axis.

    With `error = y_pred - y_true`, each element contributes
    `0.5 * error ** 2` when `|error| <= delta` and
    `delta * |error| - 0.5 * delta ** 2` otherwise.

    Args:
        y_true: Ground-truth values, shape `(batch_size, d0, ..., dN)`.
        y_pred: Predicted values, same shape.
        delta: Where the loss turns from quadratic to linear (default 1.0).

    Returns:
        Per-sample values, shape `(batch_size, d0, ..., dN-1)`.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(huber([[0.0, 0.0]], [[0.5, 3.0]])).tolist()
    [1.3125]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    delta = ops.convert_to_tensor(delta, dtype=y_pred.dtype)
    error = y_pred - y_true
    abs_error = ops.abs(error)
    quadratic = 0.5 * ops.square(error)
    linear = delta * abs_error - 0.5 * ops.square(delta)
    return ops.mean(ops.where(abs_error <= delta, quadratic, linear), axis=-1)


def log_cosh(y_true, y_pred):
    """Computes the logarithm of the hyperbolic cosine of the error, averaged over the last axis.

    `log(cosh(x))` is about `x ** 2 / 2` for small `x` and `|x| - log(2)` for
    large `x`; it is computed as `x + softplus(-2x) - log(2)` so that large
    errors do not overflow.

    Args:
        y_true: Ground-truth values, shape `(batch_size, d0, ..., dN)`.
        y_pred: Predicted values, same shape.

    Returns:
        Per-sample values, shape `(batch_size, d0, ..., dN-1)`.

    Example:

    >>> import lamina
    >>> [round(v, 4) for v in lamina.ops.convert_to_numpy(log_cosh([[0.0, 0.0]], [[1.0, 0.0]])).tolist()]
    [0.2169]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    error = y_pred - y_true
    return ops.mean(error + ops.softplus(-2.0 * error) - math.log(2.0), axis=-1)


def kl_divergence(y_true, y_pred):
    """Computes the Kullback-Leibler divergence `sum(y_true * log(y_true / y_pred), axis=-1)`.

    Both inputs are clipped to `[epsilon(), 1]` first.

    Args:
        y_true: Target distributions, shape `(batch_size, d0, ..., dN)`.
        y_pred: Predicted distributions, same shape.

    Returns:
        Per-sample values, shape `(batch_size, d0, ..., dN-1)`.

    Example:

    >>> import lamina
    >>> loss = kl_divergence([[0.5, 0.5]], [[0.25, 0.75]])
    >>> [round(v, 4) for v in lamina.ops.convert_to_numpy(loss).tolist()]
    [0.1438]
    """
    y_true, y_pred = _prepare(y_true, y_pred, match_rank=False)
    y_true = ops.clip(y_true, _epsilon(), 1.0)
    y_pred = ops.clip(y_pred, _epsilon(), 1.0)
    return ops.sum(y_true * ops.log(y_true / y_pred), axis=-1)


def poisson(y_true, y_pred):
    """Computes the Poisson loss `mean(y_pred - y_true * log(y_pred + epsilon()), axis=-1)`.

    Args:
        y_true: Observed counts, shape `(batch_size, d0, ..., dN)`.
        y_pred: Predicted rates, same shape.

    Returns:
        Per-sample values, shape `(batch_size, d0, ..., dN-1)`.

    Example:

    >>> import lamina
    >>> [round(v, 4) for v in lamina.ops.convert_to_numpy(poisson([[1.0, 0.0]], [[1.0, 2.0]])).tolist()]
    [1.5]
    """
    y_true, y_pred = _prepare(y_true, y_pred, match_rank=False)
    return ops.mean(y_pred - y_true * ops.log(y_pred + _epsilon()), axis=-1)


def cosine_similarity(y_true, y_pred, axis=-1):
    """Computes the negative cosine similarity `-sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)`.

    The result lies in `[-1, 1]`: -1 for vectors pointing the same way, 0 for
    orthogonal vectors (and for zero vectors), 1 for opposite vectors.

    Args:
        y_true: Target vectors.
        y_pred: Predicted vectors, same shape.
        axis: The axis along which the similarity is computed (default -1).

    Returns:
        Per-sample values (the `axis` reduced).

    Example:

    >>> import lamina
    >>> loss = cosine_similarity([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [2.0, 2.0]])
    >>> [round(v, 4) for v in lamina.ops.convert_to_numpy(loss).tolist()]
    [-0.0, -1.0]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    y_pred = ops.normalize(y_pred, axis=axis)
    y_true = ops.normalize(y_true, axis=axis)
    return -ops.sum(y_true * y_pred, axis=axis)


class Huber(LossFunctionWrapper):
    """Computes the Huber loss between `y_true` and `y_pred`.

    Quadratic for errors up to `delta`, linear beyond: less sensitive to
    outliers than the mean squared error.

    Args:
        delta: Where the loss turns from quadratic to linear (default 1.0).
        reduction: See `lamina.losses.Loss` (default `"sum_over_batch_size"`).
        name: Optional name (default `"huber_loss"`).
        dtype: The dtype of the computations (default `floatx()`).

    Example:

    >>> float(Huber()([[0.0, 0.0]], [[0.5, 3.0]]))
    1.3125
    """

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss", dtype=None):
        super().__init__(huber, name=name, reduction=reduction, dtype=dtype, delta=delta)
        self.delta = delta

    def get_config(self):
        # Keras 3 leaves `delta` out of the config; so does lamina, for identical files.
        return {"name": self.name, "reduction": self.reduction}


class LogCosh(LossFunctionWrapper):
    """Computes the logarithm of the hyperbolic cosine of the prediction error.

    Args:
        reduction: See `lamina.losses.Loss` (default `"sum_over_batch_size"`).
        name: Optional name (default `"log_cosh"`).
        dtype: The dtype of the computations (default `floatx()`).

    Example:

    >>> round(float(LogCosh()([[0.0, 0.0]], [[1.0, 0.0]])), 4)
    0.2169
    """

    def __init__(self, reduction="sum_over_batch_size", name="log_cosh", dtype=None):
        super().__init__(log_cosh, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}


class KLDivergence(LossFunctionWrapper):
    """Computes the Kullback-Leibler divergence between `y_true` and `y_pred`.

    `loss = y_true * log(y_true / y_pred)`, summed over the last axis, with
    both inputs clipped to `[epsilon(), 1]`.

    Args:
        reduction: See `lamina.losses.Loss` (default `"sum_over_batch_size"`).
        name: Optional name (default `"kl_divergence"`).
        dtype: The dtype of the computations (default `floatx()`).

    Example:

    >>> round(float(KLDivergence()([[0.5, 0.5]], [[0.25, 0.75]])), 4)
    0.1438
    """

    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}


class Poisson(LossFunctionWrapper):
    """Computes the Poisson loss between `y_true` and `y_pred`.

    `loss = y_pred - y_true * log(y_pred)`, averaged over the last axis.

    Args:
        reduction: See `lamina.losses.Loss` (default `"sum_over_batch_size"`).
        name: Optional name (default `"poisson"`).
        dtype: The dtype of the computations (default `floatx()`).

    Example:

    >>> round(float(Poisson()([[1.0, 0.0]], [[1.0, 2.0]])), 4)
    1.5
    """

    def __init__(self, reduction="sum_over_batch_size", name="poisson", dtype=None):
        super().__init__(poisson, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}


class CosineSimilarity(LossFunctionWrapper):
    """Computes the negative cosine similarity between `y_true` and `y_pred`.

    Minimizing it pushes predictions to point in the targets' direction.

    Args:
        axis: The axis along which the similarity is computed (default -1).
        reduction: See `lamina.losses.Loss` (default `"sum_over_batch_size"`).
        name: Optional name (default `"cosine_similarity"`).
        dtype: The dtype of the computations (default `floatx()`).

    Example:

    >>> round(float(CosineSimilarity()([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [2.0, 2.0]])), 4)
    -0.5
    """

    def __init__(self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity", dtype=None):
        super().__init__(cosine_similarity, name=name, reduction=reduction, dtype=dtype, axis=axis)
        self.axis = axis

    def get_config(self):
        # Keras 3 leaves `axis` out of the config; so does lamina, for identical files.
        return {"name": self.name, "reduction": self.reduction}
