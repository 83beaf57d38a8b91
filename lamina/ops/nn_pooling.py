"""Pooling ops: `max_pool` and `average_pool` over 1, 2 or 3 spatial axes."""

import math

from lamina import config
from lamina.backend import current
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.ops import plan_cache
from lamina.ops import shape_rules
from lamina.ops.dispatch import symbolic


def standardize_spatial_tuple(value, spatial_rank, name, op_name):
    """Returns `value` (an int or a tuple of positive ints) as a tuple of `spatial_rank` ints.

    Args:
        value: A positive int (repeated for every axis) or a tuple of them.
        spatial_rank: The number of spatial axes.
        name: The argument's name, for error messages.
        op_name: The op or layer, for error messages.

    Returns:
        A tuple of `spatial_rank` positive ints.

    Example:

    >>> standardize_spatial_tuple(2, 3, "pool_size", "max_pool")
    (2, 2, 2)
    """
    if isinstance(value, int) and not isinstance(value, bool):
        value = (value,) * spatial_rank
    try:
        value = tuple(value)
    except TypeError:
        value = None
    if (
        value is None
        or len(value) != spatial_rank
        or not all(isinstance(item, int) and not isinstance(item, bool) and item > 0 for item in value)
    ):
        raise ValueError(
            f"{op_name} expects {name} to be a positive int or a tuple of {spatial_rank} positive ints "
            f"(one per spatial axis). Received: {name}={value!r}"
        )
    return value


def normalize_arguments(input_shape, pool_size, strides, padding, data_format, op_name):
    """Validates pooling arguments against an input shape.

    Args:
        input_shape: The input's shape, batch and channel axes included.
        pool_size: An int or a tuple with one entry per spatial axis.
        strides: Like `pool_size`, or None for `pool_size`.
        padding: `"valid"` or `"same"` (any case).
        data_format: `"channels_last"`, `"channels_first"` or None.
        op_name: The name used in error messages.

    Returns:
        A tuple `(pool_size, strides, padding, data_format)` of normalized values.

    Example:

    >>> normalize_arguments((1, 5, 3), 2, None, "SAME", None, "max_pool")
    ((2,), (2,), 'same', 'channels_last')
    """
    rank = len(input_shape)
    if rank not in (3, 4, 5):
        raise ValueError(
            f"{op_name} expects inputs of rank 3, 4 or 5 (batch, 1 to 3 spatial axes, channels). "
            f"Received: inputs.shape={tuple(input_shape)}"
        )
    spatial_rank = rank - 2
    pool_size = standardize_spatial_tuple(pool_size, spatial_rank, "pool_size", op_name)
    strides = (
        pool_size if strides is None else standardize_spatial_tuple(strides, spatial_rank, "strides", op_name)
    )
    normalized_padding = str(padding).lower()
    if normalized_padding not in ("valid", "same"):
        raise ValueError(f"{op_name} expects padding to be 'valid' or 'same'. Received: padding={padding!r}")
    return pool_size, strides, normalized_padding, config.standardize_data_format(data_format)


def spatial_axes(rank, data_format):
    """The indices of the spatial axes of a rank-`rank` input in `data_format`."""
    if data_format == "channels_last":
        return tuple(range(1, rank - 1))
    return tuple(range(2, rank))


def pooled_size(size, pool, stride, padding):
    """The output length of one spatial axis of `size` entries (None stays None)."""
    if size is None:
        return None
    if padding == "same":
        return math.ceil(size / stride)
    return (size - pool) // stride + 1


def same_padding(size, pool, stride):
    """The `(before, after)` padding of one axis under "same" padding (the extra entry goes after)."""
    total = max((math.ceil(size / stride) - 1) * stride + pool - size, 0)
    return (total // 2, total - total // 2)


def _pool_rule(inputs, pool_size, strides=None, padding="valid", data_format=None, op_name="max_pool"):
    return _pooled_shape(shape_rules.shape_of(inputs), pool_size, strides, padding, data_format, op_name)


def _pooled_shape(shape, pool_size, strides, padding, data_format, op_name):
    pool_size, strides, padding, data_format = normalize_arguments(
        shape, pool_size, strides, padding, data_format, op_name
    )
    output_shape = list(shape)
    for index, axis in enumerate(spatial_axes(len(shape), data_format)):
        size = pooled_size(shape[axis], pool_size[index], strides[index], padding)
        if size is not None and size <= 0:
            raise ValueError(
                f"{op_name}: pool_size={pool_size} is larger than the input's spatial shape with "
                f"padding='valid'. Received: inputs.shape={shape}, data_format={data_format!r}"
            )
        output_shape[axis] = size
    return tuple(output_shape)


def _max_pool_rule(inputs, pool_size, strides=None, padding="valid", data_format=None):
    shape = _pool_rule(inputs, pool_size, strides, padding, data_format, "max_pool")
    return KerasTensor(shape, dtype=shape_rules.dtype_of(inputs))


def _average_pool_rule(inputs, pool_size, strides=None, padding="valid", data_format=None):
    shape = _pool_rule(inputs, pool_size, strides, padding, data_format, "average_pool")
    return KerasTensor(shape, dtype=shape_rules.float_dtype(shape_rules.dtype_of(inputs)))


def _explicit_arguments(inputs, pool_size, strides, padding, data_format, op_name):
    inputs = current.core.convert_to_tensor(inputs)
    shape = tuple(current.core.shape(inputs))
    arguments = (pool_size, strides, padding, data_format)
    if not plan_cache.all_exactly_hashable(arguments):
        # E.g. a list, or a bool / float that would compare equal to a valid int: plan afresh.
        return (inputs, *_plan(shape, *arguments, op_name))
    # Eager calls repeat the same shapes and arguments every step: validate once per signature.
    key = (shape, arguments, op_name, config.image_data_format())
    plan = _PLANS.get(key, lambda: _plan(shape, *arguments, op_name))
    return (inputs, *plan)


_PLANS = plan_cache.PlanCache()


def _plan(shape, pool_size, strides, padding, data_format, op_name):
    """Validates the arguments against `shape`; returns (pool_size, strides, pads, data_format)."""
    pool_size, strides, padding, data_format = normalize_arguments(
        shape, pool_size, strides, padding, data_format, op_name
    )
    _pooled_shape(shape, pool_size, strides, padding, data_format, op_name)
    pads = []
    for index, axis in enumerate(spatial_axes(len(shape), data_format)):
        if padding == "same":
            pads.append(same_padding(shape[axis], pool_size[index], strides[index]))
        else:
            pads.append((0, 0))
    return pool_size, strides, tuple(pads), data_format


@symbolic(_max_pool_rule)
def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Max pooling over 1, 2 or 3 spatial axes.

    Args:
        inputs: Tensor of rank 3, 4 or 5: `(batch, *spatial, channels)` with
            `"channels_last"`, `(batch, channels, *spatial)` with
            `"channels_first"`.
        pool_size: An int or a tuple of ints, the window size per spatial axis.
        strides: Like `pool_size`; None means `pool_size`.
        padding: `"valid"` (no padding) or `"same"` (pad so that the output
            has `ceil(size / stride)` entries per axis; padded entries never win).
        data_format: `"channels_last"` or `"channels_first"` (default: the
            global `image_data_format()`).

    Returns:
        The pooled tensor, with the input's dtype.

    Example:

    >>> import lamina
    >>> x = lamina.ops.reshape(lamina.ops.arange(6.0), (1, 6, 1))
    >>> lamina.ops.convert_to_numpy(lamina.ops.max_pool(x, 2)).ravel().tolist()
    [1.0, 3.0, 5.0]
    """
    inputs, pool_size, strides, pads, data_format = _explicit_arguments(
        inputs, pool_size, strides, padding, data_format, "max_pool"
    )
    return current.nn_pooling.max_pool(inputs, pool_size, strides, pads, data_format)


@symbolic(_average_pool_rule)
def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Average pooling over 1, 2 or 3 spatial axes.

    With `padding="same"`, padded entries are left out of each window's
    average (as in Keras and TensorFlow), so border windows average fewer values.

    Args:
        inputs: Tensor of rank 3, 4 or 5: `(batch, *spatial, channels)` with
            `"channels_last"`, `(batch, channels, *spatial)` with
            `"channels_first"`.
        pool_size: An int or a tuple of ints, the window size per spatial axis.
        strides: Like `pool_size`; None means `pool_size`.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"` (default: the
            global `image_data_format()`).

    Returns:
        The pooled tensor (integer inputs give `floatx()` outputs).

    Example:

    >>> import lamina
    >>> x = lamina.ops.reshape(lamina.ops.arange(5.0), (1, 5, 1))
    >>> lamina.ops.convert_to_numpy(lamina.ops.average_pool(x, 2, padding="same")).ravel().tolist()
    [0.5, 2.5, 4.0]
    """
    inputs, pool_size, strides, pads, data_format = _explicit_arguments(
        inputs, pool_size, strides, padding, data_format, "average_pool"
    )
    return current.nn_pooling.average_pool(inputs, pool_size, strides, pads, data_format)
