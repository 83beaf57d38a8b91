"""Attention ops: `dot_product_attention` (multi-head, grouped-query and multi-query)."""

import numpy as np

from lamina.backend import current
from lamina.backend.common import dtypes
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.ops.dispatch import symbolic

# Loaded by name: the backend packages' __init__ files do not import this module.


def _shape(x):
    return tuple(x.shape) if hasattr(x, "shape") else tuple(np.shape(x))


def check_attention_shapes(query_shape, key_shape, value_shape):
    """Checks the `(batch, sequence, heads, dim)` shapes of `dot_product_attention`'s inputs.

    Args:
        query_shape: Shape `(B, T, N, H)` of the queries.
        key_shape: Shape `(B, S, K, H)` of the keys; `N` must be a multiple of `K`.
        value_shape: Shape `(B, S, K, V)` of the values.

    Raises:
        ValueError: naming the mismatching shapes.

    Example:

    >>> check_attention_shapes((2, 4, 8, 16), (2, 6, 2, 16), (2, 6, 2, 16))
    """
    received = f"Received: query.shape={query_shape}, key.shape={key_shape}, value.shape={value_shape}"
    if len(query_shape) != 4 or len(key_shape) != 4 or len(value_shape) != 4:
        raise ValueError(
            "dot_product_attention expects query, key and value of rank 4, shaped "
            f"(batch, sequence, heads, dim). {received}"
        )

    def differ(first, second):
        return first is not None and second is not None and first != second

    if any(differ(k, v) for k, v in zip(key_shape[:3], value_shape[:3])):
        raise ValueError(
            "dot_product_attention expects value to have the same shape as key except for the last axis. "
            f"{received}"
        )
    if differ(query_shape[0], key_shape[0]) or differ(query_shape[3], key_shape[3]):
        raise ValueError(
            "dot_product_attention expects query and key to share the batch size (axis 0) and the head "
            f"size (axis 3). {received}"
        )
    num_heads, num_key_heads = query_shape[2], key_shape[2]
    if num_heads is not None and num_key_heads is not None and num_heads % num_key_heads:
        raise ValueError(
            "dot_product_attention expects the number of query heads (axis 2 of query) to be a multiple "
            f"of the number of key/value heads (axis 2 of key). {received}"
        )


def _attention_rule(
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
    check_attention_shapes(_shape(query), _shape(key), _shape(value))
    dtype = dtypes.result_type(query.dtype, key.dtype, value.dtype)
    return KerasTensor(tuple(query.shape[:-1]) + (value.shape[-1],), dtype=dtype)


@symbolic(_attention_rule)
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
    """Scaled dot-product attention: `softmax(scale * Q K^T + bias) V`, per head.

    Shapes use B: batch size, T: query length, S: key/value length, N: number
    of query heads, K: number of key/value heads (N must be a multiple of K:
    K == N is multi-head attention, 1 < K < N grouped-query attention, K == 1
    multi-query attention), H: head size.

    Args:
        query: Queries of shape `(B, T, N, H)`.
        key: Keys of shape `(B, S, K, H)`.
        value: Values of shape `(B, S, K, V)` (usually `V == H`).
        bias: Optional tensor added to the logits, broadcastable to
            `(B, N, T, S)`.
        mask: Optional boolean tensor broadcastable to `(B, N, T, S)`; True
            marks the pairs that take part in attention. (Pass additive masks
            as `bias`.)
        scale: Optional scale of the logits; default `1 / sqrt(H)`.
        is_causal: Whether query `i` may only attend to keys `j <= i`.
        flash_attention: Whether to use a fused flash-attention kernel. None
            picks the plain computation here; True raises a ValueError where
            the backend and device have no such kernel.
        attn_logits_soft_cap: Only supported by JAX on TPU; must be None
            elsewhere.

    Returns:
        The attention output, of shape `(B, T, N, V)`.

    Example:

    >>> import lamina
    >>> query = lamina.ops.ones((2, 4, 8, 16))
    >>> key = lamina.ops.ones((2, 6, 2, 16))
    >>> lamina.ops.dot_product_attention(query, key, key).shape
    (2, 4, 8, 16)
    """
    query = current.core.convert_to_tensor(query)
    key = current.core.convert_to_tensor(key)
    value = current.core.convert_to_tensor(value)
    check_attention_shapes(tuple(query.shape), tuple(key.shape), tuple(value.shape))
    if attn_logits_soft_cap is not None and not current.nn_attention.supports_logits_soft_cap():
        raise ValueError(
            "dot_product_attention supports attn_logits_soft_cap only with JAX on TPU. "
            f"Set attn_logits_soft_cap=None. Received: attn_logits_soft_cap={attn_logits_soft_cap!r}"
        )
    return current.nn_attention.dot_product_attention(
        query,
        key,
        value,
        bias=bias,
        mask=mask,
        scale=scale,
        is_causal=is_causal,
        flash_attention=flash_attention,
        attn_logits_soft_cap=attn_logits_soft_cap,
    )
