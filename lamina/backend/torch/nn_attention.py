"""PyTorch dot-product attention: `scaled_dot_product_attention` when it computes the same
numbers (no mask, no bias), else an explicit einsum path with Keras's masking rule."""

import math

import torch
import torch.nn.functional as functional

from lamina.backend.common import dtypes
from lamina.backend.torch import _short_axis_softmax
from lamina.backend.torch.core import convert_to_tensor
from lamina.backend.torch.core import to_torch_dtype


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
    """Scaled dot-product attention on `(batch, sequence, heads, dim)` tensors; see `lamina.ops`."""
    query = convert_to_tensor(query)
    key = convert_to_tensor(key)
    value = convert_to_tensor(value)
    compute_dtype = dtypes.result_type(*(str(x.dtype).split(".")[-1] for x in (query, key, value)))
    torch_dtype = to_torch_dtype(compute_dtype)
    query, key, value = (x.to(torch_dtype) for x in (query, key, value))
    if scale is None:
        scale = 1.0 / math.sqrt(query.shape[-1])
    if flash_attention:
        if query.device.type != "cuda" or compute_dtype not in ("float16", "bfloat16") or mask is not None:
            raise ValueError(
                "dot_product_attention: flash attention on torch needs a CUDA device, float16 or bfloat16 "
                f"inputs and no mask. Received: flash_attention=True, dtype={compute_dtype}, "
                f"device={query.device.type}, mask given: {mask is not None}. "
                "Pass flash_attention=None or False."
            )
    if mask is None and bias is None:
        outputs = functional.scaled_dot_product_attention(
            query.transpose(1, 2),
            key.transpose(1, 2),
            value.transpose(1, 2),
            is_causal=bool(is_causal),
            scale=float(scale),
            enable_gqa=query.shape[2] != key.shape[2],
        )
        return outputs.transpose(1, 2)
    num_groups = query.shape[2] // key.shape[2]
    # Query head n reads key/value head n // num_groups, as in Keras's grouped layout.
    key = torch.repeat_interleave(key, num_groups, dim=2)
    value = torch.repeat_interleave(value, num_groups, dim=2)
    logits_dtype = torch.promote_types(torch_dtype, torch.float32)
    logits = torch.einsum("btnh,bsnh->bnts", query.to(logits_dtype), key.to(logits_dtype)) * scale
    if bias is not None:
        logits = logits + convert_to_tensor(bias).to(logits_dtype)
    combined_mask = None
    if mask is not None:
        combined_mask = torch.broadcast_to(convert_to_tensor(mask).to(torch.bool), logits.shape)
    if is_causal:
        causal = torch.tril(torch.ones(logits.shape[-2:], dtype=torch.bool, device=logits.device))
        combined_mask = causal if combined_mask is None else torch.logical_and(combined_mask, causal)
    if combined_mask is not None:
        large_negative = -0.7 * torch.finfo(logits_dtype).max
        logits = torch.where(combined_mask, logits, torch.full_like(logits, large_negative))
    probabilities = _short_axis_softmax.compute(torch.softmax, logits, -1).to(torch_dtype)
    return torch.einsum("bnts,bsnh->btnh", probabilities, value)
