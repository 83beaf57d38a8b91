"""`Attention`: dot-product (Luong-style) attention over `[query, value, key]` inputs."""

from lamina import ops
from lamina import random
from lamina.backend.common import masking
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.attention.attention_masks import lower_triangular_mask
from lamina.layers.layer import Layer
from lamina.random.seed_generator import SeedGenerator


class Attention(Layer):
    """Dot-product attention layer, a.k.a. Luong-style attention.

    Computes `scores = query @ key^T` (`score_mode="dot"`) or
    `scores = sum(tanh(query + key))` (`score_mode="concat"`), masks them,
    takes the softmax over the value axis and returns `scores @ value`.

    Args:
        use_scale: If True, a scalar variable `scale` multiplies the scores
            (for `"concat"`, scales `query + key` before the tanh).
        score_mode: `"dot"` or `"concat"`.
        dropout: Fraction of the attention weights to drop during training.
        seed: Optional int seed of the dropout.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Call arguments:
        inputs: A list `[query, value]` or `[query, value, key]`: `query` of
            shape `(batch_size, Tq, dim)`, `value` of shape
            `(batch_size, Tv, value_dim)` and `key` (default `value`) of
            shape `(batch_size, Tv, dim)`.
        mask: Optional list `[query_mask, value_mask]` of boolean
            `(batch_size, Tq)` and `(batch_size, Tv)` masks (default: the
            inputs' Keras masks). Masked values take no weight; masked
            queries give zero outputs.
        return_attention_scores: Whether to also return the attention
            weights, of shape `(batch_size, Tq, Tv)`.
        training: Whether dropout is active.
        use_causal_mask: Whether query `i` may only attend values `j <= i`.

    Returns:
        The `(batch_size, Tq, value_dim)` output, and the weights if asked.

    Example:

    >>> import lamina
    >>> query = lamina.ops.ones((2, 3, 4))
    >>> value = lamina.ops.ones((2, 5, 4))
    >>> lamina.layers.Attention()([query, value]).shape
    (2, 3, 4)
    """

    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.use_scale = use_scale
        self.score_mode = score_mode
        self.dropout = dropout
        self.seed = seed
        if self.dropout > 0:
            self.seed_generator = SeedGenerator(seed)
        if self.score_mode not in ("dot", "concat"):
            raise ValueError(
                f"{type(self).__name__} layer '{self.name}' expects score_mode to be 'dot' or 'concat'. "
                f"Received: score_mode={score_mode!r}"
            )

    def build(self, input_shape):
        self._validate_inputs(input_shape)
        self._check_feature_sizes(input_shape)
        self.scale = None
        self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(), initializer="ones", trainable=True)
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(
                name="concat_score_weight", shape=(), initializer="ones", trainable=True
            )

    def _check_feature_sizes(self, input_shape):
        query_shape = tuple(input_shape[0])
        key_shape = tuple(input_shape[2] if len(input_shape) > 2 else input_shape[1])
        if query_shape[-1] is not None and key_shape[-1] is not None and query_shape[-1] != key_shape[-1]:
            raise ValueError(
                f"{type(self).__name__} layer '{self.name}' expects query and key (the value when no key "
                f"is given) to have the same last axis size. Received: query.shape={query_shape}, "
                f"key.shape={key_shape}"
            )

    def _calculate_scores(self, query, key):
        if self.score_mode == "dot":
            scores = ops.matmul(query, ops.swapaxes(key, -2, -1))
            if self.scale is not None:
                scores = ops.multiply(scores, self.scale)
            return scores
        pairs = ops.add(ops.expand_dims(query, axis=-2), ops.expand_dims(key, axis=-3))
        if self.scale is not None:
            pairs = ops.multiply(self.scale, pairs)
        return ops.multiply(self.concat_score_weight, ops.sum(ops.tanh(pairs), axis=-1))

    def _apply_scores(self, scores, value, scores_mask=None, training=False):
        if scores_mask is not None:
            padding_mask = ops.logical_not(scores_mask)
            max_value = 65504.0 if scores.dtype == "float16" else 1.0e9
            if len(padding_mask.shape) == 2:
                padding_mask = ops.expand_dims(padding_mask, axis=-2)
            scores = ops.where(padding_mask, ops.subtract(scores, max_value), scores)
        weights = ops.softmax(scores, axis=-1)
        if training and self.dropout > 0:
            weights = random.dropout(weights, self.dropout, seed=self.seed_generator)
        return ops.matmul(weights, value), weights

    def _calculate_score_mask(self, scores, value_mask, use_causal_mask):
        if not use_causal_mask:
            return value_mask
        scores_shape = ops.shape(scores)
        mask = lower_triangular_mask(scores_shape[-2], scores_shape[-1])
        if value_mask is not None:
            return ops.logical_and(ops.expand_dims(value_mask, axis=-2), mask)
        return mask

    def _masks_from_call(self, inputs, mask):
        """Returns `[query_mask, value_mask]`; the base Layer may hand over a single input mask."""
        if mask is None or any(mask is masking.get_keras_mask(tensor) for tensor in inputs):
            masks = [masking.get_keras_mask(tensor) for tensor in inputs[:2]]
            return None if all(item is None for item in masks) else masks
        return mask

    def call(self, inputs, mask=None, training=False, return_attention_scores=False, use_causal_mask=False):
        self._validate_inputs(inputs)
        mask = self._masks_from_call(inputs, mask)
        self._validate_inputs(inputs, mask)
        query = inputs[0]
        value = inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        query_mask = mask[0] if mask else None
        value_mask = mask[1] if mask else None
        if value_mask is not None:
            value_mask = ops.cast(value_mask, "bool")
        scores = self._calculate_scores(query, key)
        scores_mask = self._calculate_score_mask(scores, value_mask, use_causal_mask)
        output, weights = self._apply_scores(scores, value, scores_mask=scores_mask, training=training)
        if query_mask is not None:
            query_mask = ops.expand_dims(ops.cast(query_mask, "bool"), axis=-1)
            output = ops.where(query_mask, output, ops.zeros_like(output))
        if return_attention_scores:
            return output, weights
        return output

    def compute_mask(self, inputs, mask=None):
        mask = self._masks_from_call(inputs, mask)
        self._validate_inputs(inputs, mask)
        if mask is None or mask[0] is None:
            return None
        return ops.convert_to_tensor(mask[0])

    def compute_output_shape(self, input_shape):
        return (*tuple(input_shape[0])[:-1], tuple(input_shape[1])[-1])

    def compute_output_spec(
        self, inputs, mask=None, return_attention_scores=False, training=None, use_causal_mask=False
    ):
        self._validate_inputs(inputs)
        query = inputs[0]
        value = inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        output = KerasTensor(
            self.compute_output_shape([query.shape, value.shape]), dtype=self.dtype_policy.compute_dtype
        )
        if return_attention_scores:
            scores_shape = (*tuple(query.shape)[:-1], key.shape[-2])
            return output, KerasTensor(scores_shape, dtype=self.dtype_policy.compute_dtype)
        return output

    def _validate_inputs(self, inputs, mask=None):
        class_name = type(self).__name__
        if (
            not isinstance(inputs, (list, tuple))
            or not 2 <= len(inputs) <= 3
            or any(item is None or isinstance(item, int) for item in inputs)
        ):
            raise ValueError(
                f"{class_name} layer '{self.name}' expects a list of 2 or 3 inputs, namely [query, value] "
                f"or [query, value, key]. Received: inputs={inputs!r}"
            )
        if mask is not None and (not isinstance(mask, (list, tuple)) or not 2 <= len(mask) <= 3):
            raise ValueError(
                f"{class_name} layer '{self.name}' expects mask to be a list [query_mask, value_mask]. "
                f"Received: mask={mask!r}"
            )

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "use_scale": self.use_scale,
                "score_mode": self.score_mode,
                "dropout": self.dropout,
                "seed": self.seed,
            }
        )
        return config
