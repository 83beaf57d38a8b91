"""`AdditiveAttention`: Bahdanau-style attention, `sum(scale * tanh(query + key))` scores."""

from lamina import ops
from lamina.layers.attention.attention import Attention


class AdditiveAttention(Attention):
    """Additive attention layer, a.k.a. Bahdanau-style attention.

    Scores are `sum(scale * tanh(query + key), axis=-1)` for every
    query/key pair, with `scale` a learned vector of size `dim`; the rest
    (masking, softmax, dropout, weighting of `value`) is as in `Attention`.

    Args:
        use_scale: If True (default), learn the `(dim,)` vector `scale`;
            otherwise the scores are plain sums of tanh.
        dropout: Fraction of the attention weights to drop during training.
        **kwargs: Base layer arguments, and `seed` for the dropout.

    Call arguments:
        inputs: A list `[query, value]` or `[query, value, key]` (see
            `Attention`).
        mask: Optional list `[query_mask, value_mask]`.
        return_attention_scores: Whether to also return the attention weights.
        training: Whether dropout is active.
        use_causal_mask: Whether query `i` may only attend values `j <= i`.

    Returns:
        The `(batch_size, Tq, value_dim)` output, and the weights if asked.

    Example:

    >>> import lamina
    >>> layer = lamina.layers.AdditiveAttention()
    >>> layer([lamina.ops.ones((2, 3, 4)), lamina.ops.ones((2, 5, 4))]).shape
    (2, 3, 4)
    >>> [tuple(weight.shape) for weight in layer.weights]
    [(4,)]
    """

    def __init__(self, use_scale=True, dropout=0.0, **kwargs):
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)

    def build(self, input_shape):
        self._validate_inputs(input_shape)
        self._check_feature_sizes(input_shape)
        self.scale = None
        if self.use_scale:
            self.scale = self.add_weight(
                name="scale", shape=(input_shape[0][-1],), initializer="glorot_uniform", trainable=True
            )

    def _calculate_scores(self, query, key):
        pairs = ops.tanh(ops.add(ops.expand_dims(query, axis=-2), ops.expand_dims(key, axis=-3)))
        if self.use_scale:
            pairs = ops.multiply(self.scale, pairs)
        return ops.sum(pairs, axis=-1)

    def get_config(self):
        config = super().get_config()
        del config["score_mode"]
        return config
