"""Sorting and searching: sort, argsort, argmax/argmin, median, quantile, searchsorted, digitize, bincount."""

from lamina.backend import current
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.ops import shape_rules
from lamina.ops.dispatch import symbolic

QUANTILE_METHODS = ("linear", "lower", "higher", "midpoint", "nearest")


def _sort_shape(x, axis, op_name):
    shape = shape_rules.shape_of(x)
    if axis is None:
        return (shape_rules.multiply_sizes(shape),)
    shape_rules.canonical_axis(axis, len(shape), op_name)
    return shape


def _sort_rule(x, axis=-1):
    return KerasTensor(_sort_shape(x, axis, "sort"), dtype=shape_rules.dtype_of(x))


def _argsort_rule(x, axis=-1):
    return KerasTensor(_sort_shape(x, axis, "argsort"), dtype="int32")


@symbolic(_sort_rule)
def sort(x, axis=-1):
    """Sorts `x` in ascending order along `axis`.

    Args:
        x: A tensor.
        axis: The axis to sort along; `None` sorts the flattened tensor.

    Returns:
        A sorted tensor of the dtype of `x`.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.sort([[3, 1, 2], [0, 5, 4]])).tolist()
    [[1, 2, 3], [0, 4, 5]]
    """
    return current.numpy.sort(x, axis=axis)


@symbolic(_argsort_rule)
def argsort(x, axis=-1):
    """Returns the indices that sort `x` along `axis` (a stable sort).

    Args:
        x: A tensor.
        axis: The axis to sort along; `None` sorts the flattened tensor.

    Returns:
        An int32 tensor of indices.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.argsort([3.0, 1.0, 2.0])).tolist()
    [1, 2, 0]
    """
    return current.numpy.argsort(x, axis=axis)


def _argmax_rule(x, axis=None, keepdims=False):
    shape = shape_rules.reduced_shape(shape_rules.shape_of(x), axis, keepdims, "argmax")
    return KerasTensor(shape, dtype="int32")


@symbolic(_argmax_rule)
def argmax(x, axis=None, keepdims=False):
    """Returns the index of the largest element of `x` along `axis` (the first on ties).

    Args:
        x: A tensor.
        axis: An int, or `None` for an index into the flattened tensor.
        keepdims: Whether to keep the reduced axis (all axes with `axis=None`)
            with size 1.

    Returns:
        An int32 tensor.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.argmax([[1, 5], [7, 2]], axis=1)).tolist()
    [1, 0]
    """
    return current.numpy.argmax(x, axis=axis, keepdims=keepdims)


@symbolic(_argmax_rule)
def argmin(x, axis=None, keepdims=False):
    """Returns the index of the smallest element of `x` along `axis` (the first on ties).

    Args:
        x: A tensor.
        axis: An int, or `None` for an index into the flattened tensor.
        keepdims: Whether to keep the reduced axis (all axes with `axis=None`)
            with size 1.

    Returns:
        An int32 tensor.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.argmin([[1, 5], [7, 2]], axis=1)).tolist()
    [0, 1]
    """
    return current.numpy.argmin(x, axis=axis, keepdims=keepdims)


def _median_rule(x, axis=None, keepdims=False):
    shape = shape_rules.reduced_shape(shape_rules.shape_of(x), axis, keepdims, "median")
    return KerasTensor(shape, dtype=shape_rules.float_dtype(shape_rules.dtype_of(x)))


@symbolic(_median_rule)
def median(x, axis=None, keepdims=False):
    """Returns the median of `x` over `axis` (the mean of the two middle values for even sizes).

    Args:
        x: A tensor.
        axis: An int, a tuple of ints, or `None` (all axes).
        keepdims: Whether to keep the reduced axes with size 1.

    Returns:
        A float tensor.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.median([[1, 3, 2], [4, 6, 8]], axis=1)).tolist()
    [2.0, 6.0]
    """
    return current.numpy.median(x, axis=axis, keepdims=keepdims)


def _quantile_rule(x, q, axis=None, method="linear", keepdims=False):
    if method not in QUANTILE_METHODS:
        raise ValueError(f"quantile expects `method` in {QUANTILE_METHODS}. Received: method={method!r}")
    q_shape = shape_rules.shape_of(q)
    if len(q_shape) > 1:
        raise ValueError(f"quantile expects a scalar or 1-D `q`. Received: q.shape={q_shape}")
    shape = shape_rules.reduced_shape(shape_rules.shape_of(x), axis, keepdims, "quantile")
    return KerasTensor(q_shape + shape, dtype=shape_rules.float_dtype(shape_rules.dtype_of(x)))


@symbolic(_quantile_rule)
def quantile(x, q, axis=None, method="linear", keepdims=False):
    """Returns the `q`-th quantiles of `x` over `axis`, as `numpy.quantile`.

    Args:
        x: A tensor.
        q: A quantile in `[0, 1]`, or a 1-D sequence of them.
        axis: An int, a tuple of ints, or `None` (all axes).
        method: How to pick between two data points: `"linear"`, `"lower"`,
            `"higher"`, `"midpoint"` or `"nearest"`.
        keepdims: Whether to keep the reduced axes with size 1.

    Returns:
        A float tensor of shape `q.shape + reduced shape`.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.quantile([1.0, 2.0, 3.0, 4.0], [0.0, 0.5])).tolist()
    [1.0, 2.5]
    """
    _quantile_rule(x, q, axis, method, keepdims)
    return current.numpy.quantile(x, q, axis=axis, method=method, keepdims=keepdims)


def _searchsorted_rule(sorted_sequence, values, side="left"):
    if side not in ("left", "right"):
        raise ValueError(f"searchsorted expects side='left' or 'right'. Received: side={side!r}")
    sequence_shape = shape_rules.shape_of(sorted_sequence)
    if len(sequence_shape) != 1:
        raise ValueError(
            f"searchsorted expects a 1-D `sorted_sequence`. Received: sorted_sequence.shape={sequence_shape}"
        )
    return KerasTensor(shape_rules.shape_of(values), dtype="int32")


@symbolic(_searchsorted_rule)
def searchsorted(sorted_sequence, values, side="left"):
    """Returns where `values` would be inserted into `sorted_sequence` to keep it sorted.

    Args:
        sorted_sequence: A 1-D tensor in ascending order.
        values: The values to place.
        side: `"left"` gives the first suitable index, `"right"` the last.

    Returns:
        An int32 tensor of the shape of `values`.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.searchsorted([1.0, 2.0, 3.0], [2.0, 2.5], side="right")).tolist()
    [2, 2]
    """
    _searchsorted_rule(sorted_sequence, values, side)
    return current.numpy.searchsorted(sorted_sequence, values, side=side)


def _digitize_rule(x, bins):
    bins_shape = shape_rules.shape_of(bins)
    if len(bins_shape) != 1:
        raise ValueError(f"digitize expects 1-D `bins`. Received: bins.shape={bins_shape}")
    return KerasTensor(shape_rules.shape_of(x), dtype="int32")


@symbolic(_digitize_rule)
def digitize(x, bins):
    """Returns the index of the bin of each element of `x`: `i` with `bins[i-1] <= x < bins[i]`.

    Args:
        x: A tensor.
        bins: A 1-D tensor of increasing bin edges.

    Returns:
        An int32 tensor of the shape of `x`.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.digitize([0.5, 1.0, 2.5], [1.0, 2.0])).tolist()
    [0, 1, 2]
    """
    _digitize_rule(x, bins)
    return current.numpy.digitize(x, bins)


def _bincount_rule(x, weights=None, minlength=0, sparse=False):
    shape = shape_rules.shape_of(x)
    if len(shape) not in (1, 2):
        raise ValueError(f"bincount expects a 1-D or 2-D `x`. Received: x.shape={shape}")
    if sparse:
        raise ValueError("bincount: lamina tensors are dense; sparse=True is not supported.")
    dtype = "int32" if weights is None else shape_rules.dtype_of(weights)
    return KerasTensor(shape[:-1] + (None,), dtype=dtype)


@symbolic(_bincount_rule)
def bincount(x, weights=None, minlength=0, sparse=False):
    """Counts the occurrences of each non-negative integer in `x` (per row for 2-D `x`).

    The output length depends on the values of `x`, so it is only known
    eagerly: `max(max(x) + 1, minlength)`.

    Args:
        x: A 1-D or 2-D tensor of non-negative ints.
        weights: Optional weights of the shape of `x`, summed instead of ones.
        minlength: The smallest output length.
        sparse: Kept for API parity; must be False.

    Returns:
        An int32 tensor (the dtype of `weights` when given).

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.bincount([0, 2, 2, 3])).tolist()
    [1, 0, 2, 1]
    """
    _bincount_rule(x, weights, minlength, sparse)
    return current.numpy.bincount(x, weights=weights, minlength=int(minlength))
