"""The `Loss` base class and the reductions every loss shares.

A loss's `call(y_true, y_pred)` returns one value per sample (or per
position); `Loss.__call__` weights those values by `sample_weight` and by any
mask the values carry, then reduces them as Keras 3 does:

- `"sum_over_batch_size"` and `"mean"`: sum of weighted values divided by the
  number of values;
- `"mean_with_sample_weight"`: sum divided by the sum of the sample weights;
- `"sum"`: plain sum;
- `"none"` / `None`: no reduction.
"""

import math

from lamina import ops
from lamina.backend.common import masking
from lamina.backend.common import naming
from lamina.backend.common.dtypes import standardize_dtype
from lamina.config import floatx
from lamina.ops import shape_rules
from lamina.saving import serialization

REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)


class Loss:
    """Base class of all losses.

    Subclasses implement `call(y_true, y_pred)`, returning the unreduced
    values (usually one per sample).

    Args:
        name: Optional name of the loss instance.
        reduction: How the per-sample values are combined: `"sum_over_batch_size"`
            (default), `"sum"`, `"mean"`, `"mean_with_sample_weight"`, `"none"`
            or `None`.
        dtype: The dtype of the loss's computations (default `floatx()`).

    Example:

    >>> import lamina
    >>> class AbsoluteSum(Loss):
    ...     def call(self, y_true, y_pred):
    ...         return lamina.ops.sum(lamina.ops.abs(y_pred - y_true), axis=-1)
    >>> loss = AbsoluteSum(reduction="sum")
    >>> float(loss([[1.0, 2.0]], [[0.0, 4.0]]))
    3.0
    """

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or naming.auto_name(self.__class__.__name__)
        self.reduction = standardize_reduction(reduction)
        self._dtype = _compute_dtype(dtype)

    @property
    def dtype(self):
        """The dtype of the loss's computations."""
        return self._dtype

    def __call__(self, y_true, y_pred, sample_weight=None):
        """Returns the reduced, weighted loss of `y_pred` against `y_true`.

        Args:
            y_true: Ground-truth values.
            y_pred: Predicted values.
            sample_weight: Optional weights, broadcast against the per-sample values.

        Returns:
            A scalar tensor, or the per-sample values when the reduction is `"none"`.
        """
        in_mask = masking.get_keras_mask(y_pred)
        y_pred = _convert_structure(y_pred, self.dtype)
        y_true = _convert_structure(y_true, self.dtype)
        values = self.call(y_true, y_pred)
        out_mask = masking.get_keras_mask(values)
        if in_mask is not None and out_mask is not None:
            mask = ops.logical_and(ops.cast(in_mask, "bool"), ops.cast(out_mask, "bool"))
        else:
            mask = in_mask if in_mask is not None else out_mask
        return reduce_weighted_values(
            values,
            sample_weight=sample_weight,
            mask=mask,
            reduction=self.reduction,
            dtype=self.dtype,
        )

    def call(self, y_true, y_pred):
        """Returns the unreduced loss values; subclasses implement it."""
        raise NotImplementedError(f"Loss {self.__class__.__name__} must implement call(y_true, y_pred).")

    def get_config(self):
        """Returns the loss's config: `name`, `reduction` and the subclass's arguments."""
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        """Creates a loss from its config."""
        return cls(**config)

    def _obj_type(self):
        return "Loss"

    def __repr__(self):
        return f"<{self.__class__.__name__} name={self.name}>"


class LossFunctionWrapper(Loss):
    """Makes a `Loss` out of a function `fn(y_true, y_pred, **kwargs)`.

    Before calling `fn`, a trailing axis of size 1 on one side is squeezed (or
    added) so that `y_true` and `y_pred` have the same rank.

    Args:
        fn: The loss function, returning per-sample values.
        reduction: See `Loss`.
        name: Optional name.
        dtype: See `Loss`.
        **kwargs: Extra keyword arguments passed to `fn`.

    Example:

    >>> import lamina
    >>> def total_error(y_true, y_pred):
    ...     return lamina.ops.sum(y_pred - y_true, axis=-1)
    >>> float(LossFunctionWrapper(total_error)([[1.0, 1.0]], [[2.0, 3.0]]))
    3.0
    """

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        if not isinstance(y_true, dict) and not isinstance(y_pred, dict):
            y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        """The base config plus `fn`'s keyword arguments; a plain wrapper also names `fn`.

        A named loss (a subclass such as `CategoricalCrossentropy`) fixes its
        function, so its config holds only the arguments, as in Keras.
        """
        config = super().get_config()
        if type(self) is LossFunctionWrapper:
            config["fn"] = serialization.serialize_keras_object(self.fn)
        config.update(serialization.serialize_keras_object(self._fn_kwargs))
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("fn"), (dict, str)):
            from lamina import losses

            config["fn"] = losses.deserialize(config["fn"])
        return cls(**config)

    def __repr__(self):
        return f"<LossFunctionWrapper({self.fn}, kwargs={self._fn_kwargs})>"


def standardize_reduction(reduction):
    """Checks `reduction` against the reductions Keras 3 accepts and returns it."""
    if reduction not in REDUCTIONS:
        raise ValueError(
            f"Invalid value for argument `reduction`. Expected one of {REDUCTIONS}. "
            f"Received: reduction={reduction!r}"
        )
    return reduction


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Makes ranks equal when they differ by a trailing axis of size 1.

    When one tensor has one more axis than the other and that axis has size 1,
    it is squeezed, except that a rank-1 partner is expanded instead (when
    `expand_rank_1`). Other cases are returned unchanged.

    Args:
        x1: A tensor.
        x2: A tensor.
        expand_rank_1: Whether a rank-1 tensor is expanded rather than its
            partner squeezed.

    Returns:
        The pair `(x1, x2)`, possibly reshaped.

    Example:

    >>> import lamina
    >>> a, b = squeeze_or_expand_to_same_rank(lamina.ops.zeros((4, 1)), lamina.ops.zeros((4,)))
    >>> tuple(a.shape), tuple(b.shape)
    ((4, 1), (4, 1))
    """
    rank1 = len(x1.shape)
    rank2 = len(x2.shape)
    if rank1 == rank2:
        return x1, x2
    if rank1 == rank2 + 1 and x1.shape[-1] == 1:
        if rank2 == 1 and expand_rank_1:
            x2 = ops.expand_dims(x2, axis=-1)
        else:
            x1 = ops.squeeze(x1, axis=-1)
    if rank2 == rank1 + 1 and x2.shape[-1] == 1:
        if rank1 == 1 and expand_rank_1:
            x1 = ops.expand_dims(x1, axis=-1)
        else:
            x2 = ops.squeeze(x2, axis=-1)
    return x1, x2


def reduce_values(values, sample_weight=None, reduction="sum_over_batch_size"):
    """Reduces (already weighted) loss values.

    Args:
        values: The weighted loss values.
        sample_weight: The weights (used by `"mean_with_sample_weight"`).
        reduction: See `Loss`.

    Returns:
        The reduced loss (or `values` for `"none"`, scalars and empty values).
    """
    if reduction is None or reduction == "none":
        return values
    if tuple(values.shape) in ((), (0,)):
        return values
    loss = ops.sum(values)
    if reduction == "sum":
        return loss
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        divisor = ops.cast(ops.sum(sample_weight), loss.dtype)
    else:
        count = _exact_static_count(values, loss.dtype)
        if count is not None:
            # A known, non-zero count: `divide_no_nan` would divide by the same exact value.
            return loss / count
        divisor = _element_count(values, loss.dtype)
    return ops.divide_no_nan(loss, divisor)


def reduce_weighted_values(
    values, sample_weight=None, mask=None, reduction="sum_over_batch_size", dtype=None
):
    """Weights `values` by `sample_weight` and `mask`, then reduces them.

    Args:
        values: Per-sample loss values.
        sample_weight: Optional weights, broadcast against `values` (a trailing
            axis of size 1 is squeezed or added to match ranks).
        mask: Optional boolean mask of valid values.
        reduction: See `Loss`.
        dtype: The computation dtype (default: `floatx()`).

    Returns:
        The reduced loss.

    Example:

    >>> import lamina
    >>> float(reduce_weighted_values(lamina.ops.convert_to_tensor([1.0, 3.0]), sample_weight=[1.0, 0.0]))
    0.5
    """
    reduction = standardize_reduction(reduction)
    values = ops.convert_to_tensor(values, dtype=dtype)
    if sample_weight is None and mask is None:
        return reduce_values(values, None, reduction)
    if sample_weight is not None:
        sample_weight = ops.convert_to_tensor(sample_weight, dtype=dtype)
    sample_weight = apply_mask(sample_weight, mask, dtype=values.dtype, reduction=reduction)
    if sample_weight is not None:
        sample_weight = ops.cast(sample_weight, values.dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        _check_weight_shape(values, sample_weight)
        values = values * sample_weight
    return reduce_values(values, sample_weight, reduction)


def apply_mask(sample_weight, mask, dtype, reduction):
    """Folds a boolean `mask` into `sample_weight`.

    For the averaging reductions, valid entries get the weight
    `total / valid` so that the average runs over valid entries only.

    Args:
        sample_weight: Optional weights tensor.
        mask: Optional mask (None leaves `sample_weight` unchanged).
        dtype: The dtype of the result.
        reduction: See `Loss`.

    Returns:
        The combined weights, or None when both inputs are None.
    """
    if mask is None:
        return sample_weight
    mask = ops.convert_to_tensor(mask)
    if reduction in ("mean", "sum_over_batch_size"):
        total = _element_count(mask, dtype)
        valid = ops.sum(ops.cast(mask, dtype))
        mask_weight = ops.divide_no_nan(total, valid)
        float_mask = ops.where(ops.cast(mask, "bool"), mask_weight, ops.zeros((), dtype=dtype))
    else:
        float_mask = ops.cast(mask, dtype)
    if sample_weight is None:
        return float_mask
    sample_weight = ops.cast(sample_weight, dtype)
    float_mask, sample_weight = squeeze_or_expand_to_same_rank(float_mask, sample_weight)
    return sample_weight * float_mask


def _element_count(x, dtype):
    """The number of elements of `x` as a `dtype` scalar (static when the shape is known)."""
    shape = tuple(x.shape)
    if all(size is not None for size in shape):
        return ops.convert_to_tensor(math.prod(shape), dtype=dtype)
    return ops.sum(ops.ones_like(x, dtype=dtype))


def _exact_static_count(values, dtype):
    """The element count of `values` as a Python int when it is static, non-zero and exact in `dtype`."""
    if dtype not in _EXACT_COUNT_LIMITS:
        dtype = standardize_dtype(dtype)
    limit = _EXACT_COUNT_LIMITS.get(dtype)
    if limit is None:
        return None
    count = 1
    for size in values.shape:
        if size is None:
            return None
        count *= int(size)
    return count if 0 < count <= limit else None


# Integers up to these are exact in the dtype (float16 and bfloat16 take the tensor path).
_EXACT_COUNT_LIMITS = {"float32": 2**24, "float64": 2**53}


def _check_weight_shape(values, sample_weight):
    values_shape = tuple(values.shape)
    weight_shape = tuple(sample_weight.shape)
    try:
        shape_rules.broadcast_shapes(values_shape, weight_shape, op_name="sample_weight")
    except ValueError:
        raise ValueError(
            f"sample_weight of shape {weight_shape} cannot be applied to loss values of "
            f"shape {values_shape}: the shapes do not broadcast together. Pass one weight "
            f"per sample (shape {values_shape[:1]}) or weights of shape {values_shape}."
        ) from None


def _compute_dtype(dtype):
    from lamina import dtype_policies

    return dtype_policies.get(dtype or floatx()).compute_dtype


def _convert_structure(value, dtype):
    if isinstance(value, dict):
        return {key: _convert_structure(item, dtype) for key, item in value.items()}
    return ops.convert_to_tensor(value, dtype=dtype)
