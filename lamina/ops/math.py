"""Math ops beyond NumPy: segment reductions, top-k, logsumexp and special functions."""

from lamina.backend import current
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.ops import shape_rules
from lamina.ops.dispatch import symbolic

__all__ = [
    "erf",
    "erfinv",
    "extract_sequences",
    "in_top_k",
    "logdet",
    "logsumexp",
    "rsqrt",
    "segment_max",
    "segment_sum",
    "top_k",
]


def _segment_rule(function_name):
    def rule(data, segment_ids, num_segments=None, sorted=False):
        data_shape = shape_rules.shape_of(data)
        ids_shape = shape_rules.shape_of(segment_ids)
        if len(ids_shape) != 1 or not data_shape:
            raise ValueError(
                f"{function_name} expects 1-D segment_ids and data of rank >= 1. Received: "
                f"data.shape={data_shape}, segment_ids.shape={ids_shape}"
            )
        if None not in (ids_shape[0], data_shape[0]) and ids_shape[0] != data_shape[0]:
            raise ValueError(
                f"{function_name} expects one segment id per row of data (same leading size). "
                f"Received: data.shape={data_shape}, segment_ids.shape={ids_shape}"
            )
        return KerasTensor((num_segments,) + data_shape[1:], dtype=shape_rules.dtype_of(data))

    return rule


@symbolic(_segment_rule("segment_sum"))
def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    """Sums the rows of `data` that share a segment id.

    Args:
        data: Tensor whose leading axis is segmented.
        segment_ids: 1-D integer tensor, one id per row of `data`. Ids outside
            `[0, num_segments)` are dropped.
        num_segments: Number of segments; inferred as `max(segment_ids) + 1`
            when None (not possible inside a compiled JAX function).
        sorted: Whether `segment_ids` is sorted (a speed hint).

    Returns:
        A tensor of shape `(num_segments,) + data.shape[1:]`; empty segments hold 0.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(lamina.ops.segment_sum([1, 2, 10, 20], [0, 0, 1, 1], 2)).tolist()
    [3, 30]
    """
    _segment_rule("segment_sum")(data, segment_ids, num_segments, sorted)
    return current.math.segment_sum(data, segment_ids, num_segments=num_segments, sorted=sorted)


@symbolic(_segment_rule("segment_max"))
def segment_max(data, segment_ids, num_segments=None, sorted=False):
    """Takes the maximum over the rows of `data` that share a segment id.

    Args are as for `segment_sum`. Empty segments hold the dtype's lowest value
    (`-inf` for floats).

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(lamina.ops.segment_max([1, 2, 10, 20], [0, 0, 1, 1], 2)).tolist()
    [2, 20]
    """
    _segment_rule("segment_max")(data, segment_ids, num_segments, sorted)
    return current.math.segment_max(data, segment_ids, num_segments=num_segments, sorted=sorted)


def _top_k_rule(x, k, sorted=True):
    shape = shape_rules.shape_of(x)
    if not shape:
        raise ValueError(f"top_k expects x of rank >= 1. Received: x.shape={shape}")
    if shape[-1] is not None and not 0 <= k <= shape[-1]:
        raise ValueError(
            f"top_k expects 0 <= k <= x.shape[-1] = {shape[-1]}. Received: k={k}, x.shape={shape}"
        )
    out_shape = shape[:-1] + (k,)
    return KerasTensor(out_shape, dtype=shape_rules.dtype_of(x)), KerasTensor(out_shape, dtype="int32")


@symbolic(_top_k_rule)
def top_k(x, k, sorted=True):
    """Returns the `k` largest values along the last axis and their (int32) indices.

    Args:
        x: Tensor of rank >= 1.
        k: Number of values to keep.
        sorted: Kept for API parity: values always come in descending order.

    Returns:
        A tuple `(values, indices)`, each of shape `x.shape[:-1] + (k,)`.

    Example:

    >>> import lamina
    >>> values, indices = lamina.ops.top_k([5, 2, 7, 1], k=2)
    >>> lamina.ops.convert_to_numpy(values).tolist(), lamina.ops.convert_to_numpy(indices).tolist()
    ([7, 5], [2, 0])
    """
    _top_k_rule(x, k, sorted)
    return current.math.top_k(x, k, sorted=sorted)


def _in_top_k_rule(targets, predictions, k):
    targets_shape = shape_rules.shape_of(targets)
    predictions_shape = shape_rules.shape_of(predictions)
    if len(predictions_shape) != len(targets_shape) + 1:
        raise ValueError(
            "in_top_k expects predictions of shape targets.shape + (num_classes,). Received: "
            f"targets.shape={targets_shape}, predictions.shape={predictions_shape}"
        )
    return KerasTensor(targets_shape, dtype="bool")


@symbolic(_in_top_k_rule)
def in_top_k(targets, predictions, k):
    """Tells whether each target class is among the `k` highest predictions (ties count as in).

    Args:
        targets: Integer class labels, shape `(batch,)`.
        predictions: Scores, shape `(batch, num_classes)`.
        k: Number of top predictions to consider.

    Returns:
        A boolean tensor shaped like `targets`.

    Example:

    >>> import lamina
    >>> result = lamina.ops.in_top_k([2, 0], [[0.1, 0.3, 0.6], [0.1, 0.3, 0.6]], k=2)
    >>> lamina.ops.convert_to_numpy(result).tolist()
    [True, False]
    """
    _in_top_k_rule(targets, predictions, k)
    return current.math.in_top_k(targets, predictions, k)


def _logsumexp_rule(x, axis=None, keepdims=False):
    axis = axis if axis is None or isinstance(axis, int) else tuple(axis)
    shape = shape_rules.reduced_shape(shape_rules.shape_of(x), axis, keepdims, "logsumexp")
    return KerasTensor(shape, dtype=shape_rules.unary_float(x).dtype)


@symbolic(_logsumexp_rule)
def logsumexp(x, axis=None, keepdims=False):
    """Computes `log(sum(exp(x)))` along `axis` without overflow.

    Args:
        x: Input tensor.
        axis: An int, a tuple of ints, or None for all axes.
        keepdims: Whether to keep the reduced axes with size 1.

    Example:

    >>> import numpy as np
    >>> import lamina
    >>> print(np.round(lamina.ops.convert_to_numpy(lamina.ops.logsumexp([1.0, 2.0, 3.0])), 4))
    3.4076
    """
    axis = axis if axis is None or isinstance(axis, int) else tuple(axis)
    return current.math.logsumexp(x, axis=axis, keepdims=keepdims)


def _float_rule(x):
    return shape_rules.unary_float(x)


@symbolic(_float_rule)
def erf(x):
    """The error function, elementwise.

    Example:

    >>> import numpy as np
    >>> import lamina
    >>> print(np.round(lamina.ops.convert_to_numpy(lamina.ops.erf([0.0, 1.0])), 4))
    [0.     0.8427]
    """
    return current.math.erf(x)


@symbolic(_float_rule)
def erfinv(x):
    """The inverse of the error function, elementwise (defined on `(-1, 1)`).

    Example:

    >>> import numpy as np
    >>> import lamina
    >>> print(np.round(lamina.ops.convert_to_numpy(lamina.ops.erfinv([0.0, 0.5])), 4))
    [0.     0.4769]
    """
    return current.math.erfinv(x)


@symbolic(_float_rule)
def rsqrt(x):
    """Reciprocal square root, `1 / sqrt(x)`, elementwise.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(lamina.ops.rsqrt([4.0, 16.0])).tolist()
    [0.5, 0.25]
    """
    return current.math.rsqrt(x)


def _logdet_rule(x):
    shape = shape_rules.shape_of(x)
    if len(shape) < 2 or (None not in shape[-2:] and shape[-1] != shape[-2]):
        raise ValueError(f"logdet expects square matrices (..., n, n). Received: x.shape={shape}")
    return KerasTensor(shape[:-2], dtype=shape_rules.unary_float(x).dtype)


@symbolic(_logdet_rule)
def logdet(x):
    """Log of the absolute determinant of square matrices, computed stably (as `slogdet`).

    Example:

    >>> import numpy as np
    >>> import lamina
    >>> print(np.round(lamina.ops.convert_to_numpy(lamina.ops.logdet([[2.0, 0.0], [0.0, 3.0]])), 4))
    1.7918
    """
    _logdet_rule(x)
    return current.math.logdet(x)


def _extract_sequences_rule(x, sequence_length, sequence_stride):
    shape = shape_rules.shape_of(x)
    if not shape:
        raise ValueError(f"extract_sequences expects x of rank >= 1. Received: x.shape={shape}")
    if sequence_length < 1 or sequence_stride < 1:
        raise ValueError(
            "extract_sequences expects sequence_length >= 1 and sequence_stride >= 1. "
            f"Received: sequence_length={sequence_length}, sequence_stride={sequence_stride}"
        )
    length = shape[-1]
    if length is not None and length < sequence_length:
        raise ValueError(
            f"extract_sequences: the last axis (size {length}) is shorter than "
            f"sequence_length={sequence_length}. Received: x.shape={shape}"
        )
    count = None if length is None else 1 + (length - sequence_length) // sequence_stride
    return KerasTensor(shape[:-1] + (count, sequence_length), dtype=shape_rules.dtype_of(x))


@symbolic(_extract_sequences_rule)
def extract_sequences(x, sequence_length, sequence_stride):
    """Slides a window along the last axis, stacking the windows (frames) on a new axis.

    Args:
        x: Tensor of shape `(..., length)`.
        sequence_length: Window size.
        sequence_stride: Step between window starts.

    Returns:
        A tensor of shape `(..., num_sequences, sequence_length)` with
        `num_sequences = 1 + (length - sequence_length) // sequence_stride`.

    Example:

    >>> import lamina
    >>> frames = lamina.ops.extract_sequences([1, 2, 3, 4, 5], 3, 2)
    >>> lamina.ops.convert_to_numpy(frames).tolist()
    [[1, 2, 3], [3, 4, 5]]
    """
    _extract_sequences_rule(x, sequence_length, sequence_stride)
    return current.math.extract_sequences(x, sequence_length, sequence_stride)
