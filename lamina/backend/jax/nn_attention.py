"""JAX dot-product attention, through `jax.nn.dot_product_attention` (as Keras does on JAX)."""

import jax
import jax.numpy as jnp

from lamina.backend.common import dtypes
from lamina.backend.jax.core import convert_to_tensor


def supports_logits_soft_cap():
    """Returns whether logit soft-capping is available (JAX on TPU only)."""
    return jax.devices()[0].platform == "tpu"


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
    query = convert_to_tensor(query)
    key = convert_to_tensor(key)
    value = convert_to_tensor(value)
    compute_dtype = dtypes.result_type(query.dtype, key.dtype, value.dtype)
    query, key, value = (x.astype(compute_dtype) for x in (query, key, value))
    if bias is not None:
        bias = convert_to_tensor(bias).astype(compute_dtype)
    if mask is not None:
        mask = convert_to_tensor(mask).astype("bool")
    implementation = "xla"
    if flash_attention:
        if jax.devices()[0].platform != "gpu" or compute_dtype not in ("float16", "bfloat16"):
            raise ValueError(
                "dot_product_attention: flash attention on JAX needs a GPU (cuDNN) and float16 or "
                f"bfloat16 inputs. Received: flash_attention=True, dtype={compute_dtype}, "
                f"platform={jax.devices()[0].platform}. Pass flash_attention=None or False."
            )
        implementation = "cudnn"
    if attn_logits_soft_cap is not None or value.shape[-1] != key.shape[-1]:
        logits_scale = scale if scale is not None else 1.0 / jnp.sqrt(query.shape[-1])
        # jax.nn's kernel needs value shaped like key, and capping needs the logits themselves.
        return _einsum_attention(query, key, value, bias, mask, logits_scale, is_causal, attn_logits_soft_cap)
    return jax.nn.dot_product_attention(
        query,
        key,
        value,
        bias=bias,
        mask=mask,
        scale=scale,
        is_causal=is_causal,
        implementation=implementation,
    )


def _einsum_attention(query, key, value, bias, mask, scale, is_causal, soft_cap):
    num_groups = query.shape[2] // key.shape[2]
    key = jnp.repeat(key, num_groups, axis=2)
    value = jnp.repeat(value, num_groups, axis=2)
    logits = jnp.einsum("btnh,bsnh->bnts", query, key, preferred_element_type=jnp.float32) * scale
    if soft_cap is not None:
        logits = logits / (1.0 + jnp.abs(logits) / soft_cap)
    if bias is not None:
        logits = logits + bias
    combined_mask = jnp.ones(logits.shape, dtype=bool)
    if mask is not None:
        combined_mask = jnp.logical_and(combined_mask, mask)
    if is_causal:
        combined_mask = jnp.logical_and(combined_mask, jnp.tril(jnp.ones(logits.shape[-2:], dtype=bool)))
    logits = jnp.where(combined_mask, logits, -0.7 * jnp.finfo(logits.dtype).max)
    probabilities = jax.nn.softmax(logits, axis=-1).astype(value.dtype)
    return jnp.einsum("bnts,bsnh->btnh", probabilities, value)
