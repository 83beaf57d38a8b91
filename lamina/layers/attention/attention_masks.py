"""Boolean masks shared by the attention layers (True marks the pairs that attend)."""

from lamina import ops


def causal_mask(query, value=None):
    """Returns the `(1, T, S)` lower-triangular mask: query `i` attends key `j` iff `j <= i`.

    Args:
        query: Tensor whose axis 1 has the query length `T`.
        value: Tensor whose axis 1 has the key length `S` (default `query`).

    Example:

    >>> import lamina
    >>> mask = causal_mask(lamina.ops.ones((1, 3, 2)))
    >>> lamina.ops.convert_to_numpy(mask).astype(int).tolist()
    [[[1, 0, 0], [1, 1, 0], [1, 1, 1]]]
    """
    query_length = ops.shape(query)[1]
    return lower_triangular_mask(query_length, query_length if value is None else ops.shape(value)[1])


def lower_triangular_mask(query_length, key_length):
    """Returns the `(1, query_length, key_length)` mask that is True where key index <= query index.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(lower_triangular_mask(2, 3)).astype(int).tolist()
    [[[1, 0, 0], [1, 1, 0]]]
    """
    rows = ops.reshape(ops.arange(query_length, dtype="int32"), (1, query_length, 1))
    columns = ops.reshape(ops.arange(key_length, dtype="int32"), (1, 1, key_length))
    return ops.greater_equal(rows, columns)


def sliding_window_mask(query, value, window):
    """Returns the `(1, T, S)` band mask: query `i` attends key `j` iff `|i - j| < window`.

    Example:

    >>> import lamina
    >>> x = lamina.ops.ones((1, 3, 2))
    >>> lamina.ops.convert_to_numpy(sliding_window_mask(x, x, 2)).astype(int).tolist()
    [[[1, 1, 0], [1, 1, 1], [0, 1, 1]]]
    """
    query_length = ops.shape(query)[1]
    value_length = query_length if value is None else ops.shape(value)[1]
    rows = ops.reshape(ops.arange(query_length, dtype="int32"), (1, query_length, 1))
    columns = ops.reshape(ops.arange(value_length, dtype="int32"), (1, 1, value_length))
    return ops.less(ops.abs(ops.subtract(rows, columns)), window)


def combine_attention_masks(
    query, value, query_mask, value_mask, key_mask, attention_mask, use_causal_mask, sliding_window
):
    """ANDs the masks of a multi-head attention call into one `(B, T, S)`-broadcastable mask.

    `query_mask` `(B, T)` becomes `(B, T, 1)`, `value_mask` and `key_mask`
    `(B, S)` become `(B, 1, S)`; the causal and sliding-window masks are
    `(1, T, S)`. Returns None when there is no mask at all.

    Example:

    >>> import lamina
    >>> x = lamina.ops.ones((1, 2, 4))
    >>> value_mask = lamina.ops.convert_to_tensor([[True, False]])
    >>> mask = combine_attention_masks(x, x, None, value_mask, None, None, True, None)
    >>> lamina.ops.convert_to_numpy(mask).astype(int).tolist()
    [[[1, 0], [1, 0]]]
    """
    masks = []
    if attention_mask is not None:
        masks.append(ops.cast(attention_mask, "bool"))
    if query_mask is not None:
        masks.append(ops.expand_dims(ops.cast(query_mask, "bool"), -1))
    for mask in (value_mask, key_mask):
        if mask is not None:
            masks.append(ops.expand_dims(ops.cast(mask, "bool"), -2))
    if use_causal_mask:
        masks.append(causal_mask(query, value))
    if sliding_window is not None:
        masks.append(sliding_window_mask(query, value, sliding_window))
    if not masks:
        return None
    combined = masks[0]
    for mask in masks[1:]:
        combined = ops.logical_and(combined, mask)
    return combined
