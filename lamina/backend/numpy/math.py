"""NumPy math ops (inference only): segment reductions, top-k, logsumexp, special functions."""

import math

import numpy as np

from lamina import config
from lamina.backend.common import dtypes
from lamina.backend.numpy.core import convert_to_tensor


def _float(x):
    x = convert_to_tensor(x)
    if not dtypes.is_float(x.dtype):
        x = x.astype(config.floatx())
    return x


def _segment_inputs(data, segment_ids, num_segments):
    data = convert_to_tensor(data)
    segment_ids = convert_to_tensor(segment_ids).astype("int64")
    if num_segments is None:
        num_segments = int(segment_ids.max()) + 1 if segment_ids.size else 0
    # Ids outside [0, num_segments) are dropped, as jax.ops.segment_* does.
    valid = (segment_ids >= 0) & (segment_ids < num_segments)
    return data[valid], segment_ids[valid], int(num_segments)


def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    data, segment_ids, count = _segment_inputs(data, segment_ids, num_segments)
    result = np.zeros((count,) + data.shape[1:], dtype=data.dtype)
    np.add.at(result, segment_ids, data)
    return result


def segment_max(data, segment_ids, num_segments=None, sorted=False):
    data, segment_ids, count = _segment_inputs(data, segment_ids, num_segments)
    if dtypes.is_float(data.dtype):
        lowest = -np.inf
    elif data.dtype == np.bool_:
        lowest = False
    else:
        lowest = np.iinfo(data.dtype).min
    result = np.full((count,) + data.shape[1:], lowest, dtype=data.dtype)
    np.maximum.at(result, segment_ids, data)
    return result


def top_k(x, k, sorted=True):
    x = convert_to_tensor(x)
    keys = -x if dtypes.is_float(x.dtype) else -x.astype("int64")
    # A stable sort on the negated values keeps the lowest index first among ties.
    indices = np.argsort(keys, axis=-1, kind="stable")[..., :k]
    return np.take_along_axis(x, indices, axis=-1), indices.astype("int32")


def in_top_k(targets, predictions, k):
    targets = convert_to_tensor(targets).astype("int64")
    predictions = convert_to_tensor(predictions)
    at_target = np.take_along_axis(predictions, targets[..., None], axis=-1)
    # A NaN prediction for the target must not count as a high score.
    at_target = np.where(np.isnan(at_target), -np.inf, at_target)
    rank = 1 + np.sum(predictions > at_target, axis=-1)
    return rank <= k


def logsumexp(x, axis=None, keepdims=False):
    x = _float(x)
    axis = tuple(axis) if isinstance(axis, list) else axis
    largest = np.max(x, axis=axis, keepdims=True)
    # An all -inf (or inf) slice would make x - largest NaN; shift by 0 there instead.
    largest = np.where(np.isfinite(largest), largest, 0).astype(x.dtype)
    with np.errstate(divide="ignore"):
        result = np.log(np.sum(np.exp(x - largest), axis=axis, keepdims=True)) + largest
    if not keepdims:
        result = np.squeeze(result, axis=axis) if axis is not None else result.reshape(())
    return np.asarray(result).astype(x.dtype)


def _scipy_special():
    # scipy is optional for the NumPy backend: it comes with jax and scikit-learn, not with lamina.
    try:
        from scipy import special
    except ImportError:
        return None
    return special


_python_erf = np.frompyfunc(math.erf, 1, 1)


def _erf_float64(x):
    special = _scipy_special()
    if special is not None:
        return special.erf(x)
    return _python_erf(x).astype("float64")


def _erfinv_float64(y):
    special = _scipy_special()
    if special is not None:
        return special.erfinv(y)
    # Winitzki's closed-form guess (relative error ~1e-3), then Newton steps on erf.
    with np.errstate(divide="ignore", invalid="ignore"):
        log_term = np.log1p(-y * y)
        a = 0.147
        first = 2.0 / (np.pi * a) + log_term / 2.0
        x = np.sign(y) * np.sqrt(np.sqrt(first * first - log_term / a) - first)
        for _ in range(3):
            step = (_erf_float64(x) - y) / (2.0 / np.sqrt(np.pi) * np.exp(-x * x))
            x = np.where(np.isfinite(x), x - step, x)
    return x


def erf(x):
    x = _float(x)
    return np.asarray(_erf_float64(x.astype("float64"))).astype(x.dtype)


def erfinv(x):
    x = _float(x)
    return np.asarray(_erfinv_float64(x.astype("float64"))).astype(x.dtype)


def rsqrt(x):
    x = _float(x)
    with np.errstate(divide="ignore"):
        return (1.0 / np.sqrt(x)).astype(x.dtype)


def logdet(x):
    x = _float(x)
    return np.asarray(np.linalg.slogdet(x)[1]).astype(x.dtype)


def extract_sequences(x, sequence_length, sequence_stride):
    x = convert_to_tensor(x)
    num_sequences = 1 + (x.shape[-1] - sequence_length) // sequence_stride
    starts = np.arange(num_sequences) * sequence_stride
    indices = starts[:, None] + np.arange(sequence_length)[None, :]
    return x[..., indices]
