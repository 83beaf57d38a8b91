"""Metrics that reduce values: `Sum`, `Mean`, and `MeanMetricWrapper` (the mean of a function)."""

from lamina import config
from lamina import ops
from lamina.backend.common import lazy_package
from lamina.backend.common import masking
from lamina.backend.common import scopes
from lamina.config import floatx
from lamina.losses import loss as loss_module
from lamina.metrics.metric import Metric
from lamina.saving import serialization


def reduce_to_samplewise_values(values, sample_weight, reduce_fn, dtype):
    """Weights `values` and reduces them to one value per sample.

    Args:
        values: A tensor whose first axis is the batch.
        sample_weight: Optional weights, of shape `values.shape` or a prefix of it.
        reduce_fn: `ops.sum` or `ops.mean`, used over the non-batch axes.
        dtype: The computation dtype.

    Returns:
        `(values, sample_weight)`: per-sample weighted values and the per-sample
        weights (None when none were given).
    """
    dtype = dtype or floatx()
    mask = masking.get_keras_mask(values)
    values = ops.cast(values, dtype)
    if sample_weight is not None:
        sample_weight = ops.convert_to_tensor(sample_weight, dtype=dtype)
        if mask is not None:
            sample_weight = loss_module.apply_mask(sample_weight, mask, dtype=dtype, reduction="sum")
        values, sample_weight = loss_module.squeeze_or_expand_to_same_rank(values, sample_weight)
        weight_ndim = len(sample_weight.shape)
        values_ndim = len(values.shape)
        if values_ndim > weight_ndim:
            values = reduce_fn(values, axis=tuple(range(weight_ndim, values_ndim)))
        sample_weight = ops.broadcast_to(sample_weight, tuple(values.shape))
        values = values * sample_weight
        if weight_ndim > 1:
            sample_weight = reduce_fn(sample_weight, axis=tuple(range(1, weight_ndim)))
    values_ndim = len(values.shape)
    if values_ndim > 1:
        values = reduce_fn(values, axis=tuple(range(1, values_ndim)))
    return values, sample_weight


class Sum(Metric):
    """Computes the (weighted) sum of the given values.

    Args:
        name: Optional name (default `"sum"`).
        dtype: The dtype of the result (default `floatx()`).

    Example:

    >>> metric = Sum()
    >>> metric.update_state([1.0, 3.0, 5.0, 7.0])
    >>> float(metric.result())
    16.0
    """

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", dtype=self.dtype, name="total")

    def update_state(self, values, sample_weight=None):
        """Adds `values` (optionally weighted) to the total."""
        values, _ = reduce_to_samplewise_values(values, sample_weight, reduce_fn=ops.sum, dtype=self.dtype)
        self.total.assign(self.total.value + ops.sum(values))

    def reset_state(self):
        self.total.assign(ops.zeros((), dtype=self.total.dtype))

    def result(self):
        return ops.cast(self.total.value, self.dtype)


class Mean(Metric):
    """Computes the (weighted) mean of the given values.

    With `sample_weight`, the result is `sum(values * weights) / sum(weights)`.

    Args:
        name: Optional name (default `"mean"`).
        dtype: The dtype of the result (default `floatx()`).

    Example:

    >>> metric = Mean()
    >>> metric.update_state([1.0, 3.0, 5.0, 7.0], sample_weight=[1.0, 1.0, 0.0, 0.0])
    >>> float(metric.result())
    2.0
    """

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", dtype=self.dtype, name="total")
        self.count = self.add_variable(shape=(), initializer="zeros", dtype=self.dtype, name="count")

    def update_state(self, values, sample_weight=None):
        """Folds `values` (optionally weighted) into the running mean."""
        if _is_count(sample_weight) and len(getattr(values, "shape", (None,))) == 0:
            # The trainers' loss trackers: one scalar weighted by the batch size. The same
            # arithmetic as the general path below, without its rank and mask handling.
            if masking.get_keras_mask(values) is None:
                # An int weight stays a Python number (weak-typed, exact in float32 up to 2**24).
                if scopes.current_stateless_scope() is None and not scopes.autocast_active():
                    _accumulate_eagerly(self.total, self.count, values, sample_weight)
                    return
                self.total.assign(self.total.value + ops.cast(values, self.dtype) * sample_weight)
                self.count.assign(self.count.value + sample_weight)
                return
        values, sample_weight = reduce_to_samplewise_values(
            values, sample_weight, reduce_fn=ops.mean, dtype=self.dtype
        )
        self.total.assign(self.total.value + ops.sum(values))
        if sample_weight is not None:
            num_samples = ops.sum(sample_weight)
        elif len(values.shape) >= 1:
            num_samples = values.shape[0]
            if num_samples is None:
                num_samples = ops.sum(ops.ones_like(values))
        else:
            num_samples = 1
        self.count.assign(self.count.value + ops.cast(num_samples, self.dtype))

    def reset_state(self):
        self.total.assign(ops.zeros((), dtype=self.total.dtype))
        self.count.assign(ops.zeros((), dtype=self.count.dtype))

    def result(self):
        return ops.divide_no_nan(self.total.value, ops.cast(self.count.value, self.dtype))


def _accumulate_eagerly(total, count, values, weight):
    """`total += values * weight` and `count += weight`, outside any scope.

    The same arithmetic as `assign(value + ...)`, minus what only scopes need: the
    scalar state is read and written directly (the loss tracker runs every step).
    """
    if values.dtype != total._value.dtype:
        values = ops.cast(values, total.dtype)
    increment = values * weight
    updates = lazy_package.in_place_updates(config.backend())
    if updates is not None:
        # `+=` in place rounds as `current + increment` does, with one kernel fewer.
        updates.accumulate(total, increment)
        updates.accumulate(count, weight)
        return
    for variable, step in ((total, increment), (count, weight)):
        variable._direct_assign(variable._convert_to_tensor(variable._value + step, dtype=variable.dtype))


def _is_count(value):
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**24


class MeanMetricWrapper(Mean):
    """Tracks the mean of `fn(y_true, y_pred, **kwargs)` over batches.

    Args:
        fn: A function returning per-sample values, e.g. a loss function.
        name: Optional name.
        dtype: The dtype of the result (default `floatx()`).
        **kwargs: Extra keyword arguments passed to `fn`.

    Example:

    >>> import lamina
    >>> def absolute_error(y_true, y_pred):
    ...     return lamina.ops.abs(lamina.ops.subtract(y_true, y_pred))
    >>> metric = MeanMetricWrapper(absolute_error, name="absolute_error")
    >>> metric.update_state([1.0, 2.0], [2.0, 4.0])
    >>> float(metric.result())
    1.5
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Computes `fn(y_true, y_pred)` and folds it into the running mean."""
        mask = masking.get_keras_mask(y_pred)
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        sample_weight = loss_module.apply_mask(sample_weight, mask, dtype=self.dtype, reduction="sum")
        return super().update_state(values, sample_weight=sample_weight)

    def get_config(self):
        config = super().get_config()
        config["fn"] = serialization.serialize_keras_object(self._fn)
        config.update(serialization.serialize_keras_object(self._fn_kwargs))
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("fn"), (dict, str)):
            from lamina import metrics

            config["fn"] = metrics.deserialize(config["fn"])
        return cls(**config)
