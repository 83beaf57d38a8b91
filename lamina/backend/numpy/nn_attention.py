"""NumPy dot-product attention (inference only); logits and softmax in float32 or wider."""

import numpy as np

from lamina.backend.common import dtypes
from lamina.backend.numpy.core import convert_to_tensor


def supports_logits_soft_cap():
    """Returns False: logit soft-capping needs JAX on TPU."""
    return False


def dot_product_attention(
    query,
    key,
    value,
    bias=None,
    mask=None,
    scale=None,
    is_causal=False,
    flash_attention=None,
    attn_logits_soft_cap=None,
):
    """Scaled dot-product attention on `(batch, sequence, heads, dim)` arrays; see `lamina.ops`."""
    if flash_attention:
        raise ValueError(
            "dot_product_attention: the numpy backend has no flash attention kernel. "
            "Received: flash_attention=True. Pass flash_attention=None or False."
        )
    query = convert_to_tensor(query)
    key = convert_to_tensor(key)
    value = convert_to_tensor(value)
    compute_dtype = dtypes.result_type(query.dtype, key.dtype, value.dtype)
    query, key, value = (x.astype(compute_dtype) for x in (query, key, value))
    logits_dtype = np.promote_types(compute_dtype, np.float32)
    num_groups = query.shape[2] // key.shape[2]
    # Query head n reads key/value head n // num_groups, as in Keras's grouped layout.
    key = np.repeat(key, num_groups, axis=2)
    value = np.repeat(value, num_groups, axis=2)
    if scale is None:
        scale = 1.0 / np.sqrt(query.shape[-1])
    logits = np.einsum("btnh,bsnh->bnts", query.astype(logits_dtype), key.astype(logits_dtype))
    logits = logits * np.asarray(scale, dtype=logits_dtype)
    if bias is not None:
        logits = (logits + convert_to_tensor(bias).astype(logits_dtype)).astype(logits_dtype)
    combined_mask = None
    if mask is not None:
        combined_mask = np.broadcast_to(convert_to_tensor(mask).astype(bool), logits.shape)
    if is_causal:
        causal = np.tril(np.ones(logits.shape[-2:], dtype=bool))
        combined_mask = causal if combined_mask is None else np.logical_and(combined_mask, causal)
    if combined_mask is not None:
        logits = np.where(combined_mask, logits, -0.7 * np.finfo(logits_dtype).max).astype(logits_dtype)
    shifted = logits - logits.max(axis=-1, keepdims=True)
    probabilities = np.exp(shifted)
    probabilities = (probabilities / probabilities.sum(axis=-1, keepdims=True)).astype(compute_dtype)
    return np.einsum("bnts,bsnh->btnh", probabilities, value).astype(compute_dtype)
