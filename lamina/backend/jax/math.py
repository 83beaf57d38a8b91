"""JAX math ops: segment reductions, top-k, logsumexp, special functions."""

import jax
import jax.numpy as jnp

from lamina import config
from lamina.backend.jax.core import convert_to_tensor


def _float(x):
    x = convert_to_tensor(x)
    if not jnp.issubdtype(x.dtype, jnp.floating):
        x = x.astype(config.floatx())
    return x


def _num_segments(segment_ids, num_segments, function_name):
    if num_segments is not None:
        return int(num_segments)
    try:
        return int(jnp.max(segment_ids)) + 1 if segment_ids.size else 0
    except jax.errors.JAXTypeError:
        raise ValueError(
            f"{function_name} needs num_segments inside a compiled function, where the "
            "largest segment id is not known. Received: num_segments=None"
        ) from None


def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    data = convert_to_tensor(data)
    segment_ids = convert_to_tensor(segment_ids)
    count = _num_segments(segment_ids, num_segments, "segment_sum")
    return jax.ops.segment_sum(data, segment_ids, count, indices_are_sorted=sorted)


def segment_max(data, segment_ids, num_segments=None, sorted=False):
    data = convert_to_tensor(data)
    segment_ids = convert_to_tensor(segment_ids)
    count = _num_segments(segment_ids, num_segments, "segment_max")
    return jax.ops.segment_max(data, segment_ids, count, indices_are_sorted=sorted)


def top_k(x, k, sorted=True):
    values, indices = jax.lax.top_k(convert_to_tensor(x), k)
    return values, indices.astype("int32")


def in_top_k(targets, predictions, k):
    targets = convert_to_tensor(targets)
    predictions = convert_to_tensor(predictions)
    at_target = jnp.take_along_axis(predictions, targets[..., None].astype("int32"), axis=-1)
    # A NaN prediction for the target must not count as a high score.
    at_target = jnp.where(jnp.isnan(at_target), -jnp.inf, at_target)
    rank = 1 + jnp.sum(predictions > at_target, axis=-1)
    return rank <= k


def logsumexp(x, axis=None, keepdims=False):
    return jax.scipy.special.logsumexp(_float(x), axis=axis, keepdims=keepdims)


def erf(x):
    return jax.lax.erf(_float(x))


def erfinv(x):
    return jax.scipy.special.erfinv(_float(x))


def rsqrt(x):
    return jax.lax.rsqrt(_float(x))


def logdet(x):
    return jnp.linalg.slogdet(_float(x))[1]


def extract_sequences(x, sequence_length, sequence_stride):
    x = convert_to_tensor(x)
    num_sequences = 1 + (x.shape[-1] - sequence_length) // sequence_stride
    starts = jnp.arange(num_sequences) * sequence_stride
    indices = starts[:, None] + jnp.arange(sequence_length)[None, :]
    return x[..., indices]
