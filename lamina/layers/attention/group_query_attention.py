"""`GroupedQueryAttention` (alias `GroupQueryAttention`): query heads share key/value heads."""

import math

from lamina import constraints
from lamina import initializers
from lamina import ops
from lamina import regularizers
from lamina.backend.common import masking
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.activations.softmax import Softmax
from lamina.layers.attention.attention_masks import causal_mask
from lamina.layers.attention.attention_masks import combine_attention_masks
from lamina.layers.attention.attention_sublayers import check_positive_int
from lamina.layers.attention.attention_sublayers import fused_attention
from lamina.layers.attention.attention_sublayers import sublayer_kwargs
from lamina.layers.attention.attention_sublayers import weight_options_config
from lamina.layers.core.einsum_dense import EinsumDense
from lamina.layers.layer import Layer
from lamina.layers.regularization.dropout import Dropout


class GroupedQueryAttention(Layer):
    """Grouped-query attention (Ainslie et al., 2023): `num_query_heads` query
    heads in `num_key_value_heads` groups, each group sharing one key and one
    value head.

    With `num_key_value_heads == num_query_heads` this is multi-head
    attention; with `num_key_value_heads == 1`, multi-query attention.

    Args:
        head_dim: Size of each attention head.
        num_query_heads: Number of query heads.
        num_key_value_heads: Number of key and value heads; must divide
            `num_query_heads`.
        dropout: Dropout rate on the attention scores.
        use_bias: Whether the dense projections use biases.
        sliding_window: Optional positive int: query `i` only attends keys
            `j` with `|i - j| < sliding_window`.
        flash_attention: Whether to use a fused flash-attention kernel.
        kernel_initializer: Initializer for the projection kernels.
        bias_initializer: Initializer for the projection biases.
        kernel_regularizer: Regularizer for the projection kernels.
        bias_regularizer: Regularizer for the projection biases.
        activity_regularizer: Regularizer for the outputs.
        kernel_constraint: Constraint for the projection kernels.
        bias_constraint: Constraint for the projection biases.
        use_gate: Whether to gate the heads' outputs with a sigmoid of a
            projection of the query.
        seed: Optional int seed of the dropout.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Call arguments:
        query: Tensor of shape `(B, T, dim)`.
        value: Tensor of shape `(B, S, dim)`.
        key: Optional tensor of shape `(B, S, dim)`; default `value`.
        query_mask: Optional boolean `(B, T)` mask (default: `query`'s mask).
        value_mask: Optional boolean `(B, S)` mask (default: `value`'s mask).
        key_mask: Optional boolean `(B, S)` mask (default: `key`'s mask).
        attention_mask: Optional boolean `(B, T, S)` mask; True attends.
        return_attention_scores: Whether to also return the
            `(B, num_query_heads, T, S)` attention scores.
        training: Whether dropout is active.
        use_causal_mask: Whether query `i` may only attend keys `j <= i`.

    Returns:
        The `(B, T, dim)` output, and the scores if asked.

    Example:

    >>> import lamina
    >>> layer = lamina.layers.GroupQueryAttention(head_dim=4, num_query_heads=4, num_key_value_heads=2)
    >>> layer(lamina.ops.ones((2, 3, 8)), lamina.ops.ones((2, 5, 8))).shape
    (2, 3, 8)
    >>> tuple(layer.key_dense.kernel.shape)
    (8, 2, 4)
    """

    def __init__(
        self,
        head_dim,
        num_query_heads,
        num_key_value_heads,
        dropout=0.0,
        use_bias=True,
        sliding_window=None,
        flash_attention=None,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        use_gate=False,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.supports_masking = True
        for name, value in (
            ("head_dim", head_dim),
            ("num_query_heads", num_query_heads),
            ("num_key_value_heads", num_key_value_heads),
        ):
            check_positive_int(value, name, f"GroupedQueryAttention layer '{self.name}'")
        check_positive_int(
            sliding_window, "sliding_window", f"GroupedQueryAttention layer '{self.name}'", True
        )
        if num_query_heads % num_key_value_heads != 0:
            raise ValueError(
                f"GroupedQueryAttention layer '{self.name}' expects num_query_heads to be divisible by "
                f"num_key_value_heads. Received: num_query_heads={num_query_heads}, "
                f"num_key_value_heads={num_key_value_heads}"
            )
        self.head_dim = head_dim
        self.num_query_heads = num_query_heads
        self.num_key_value_heads = num_key_value_heads
        self.num_repeats = num_query_heads // num_key_value_heads
        self.dropout = dropout
        self.use_bias = use_bias
        self.use_gate = use_gate
        self.sliding_window = sliding_window
        self._flash_attention = flash_attention
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        self._inverse_sqrt_head_dim = 1.0 / math.sqrt(float(head_dim))
        if flash_attention and dropout > 0.0:
            raise ValueError(
                f"GroupedQueryAttention layer '{self.name}' cannot apply dropout with flash attention. "
                f"Received: flash_attention=True, dropout={dropout}. Set dropout=0.0 or flash_attention=None."
            )

    query_dense = property(lambda self: self._query_dense)
    key_dense = property(lambda self: self._key_dense)
    value_dense = property(lambda self: self._value_dense)
    output_dense = property(lambda self: self._output_dense)

    def _weight_options(self):
        return (
            self.kernel_initializer,
            self.bias_initializer,
            self.kernel_regularizer,
            self.bias_regularizer,
            self.activity_regularizer,
            self.kernel_constraint,
            self.bias_constraint,
        )

    def _sublayer_kwargs(self):
        return sublayer_kwargs(self, *self._weight_options())

    def _projection(self, equation, num_heads, bias_axes, name, input_shape, activation=None):
        layer = EinsumDense(
            equation,
            output_shape=(None, num_heads, self.head_dim),
            bias_axes=bias_axes if self.use_bias else None,
            activation=activation,
            name=name,
            **self._sublayer_kwargs(),
        )
        layer.build(tuple(input_shape))
        return layer

    def build(self, query_shape, value_shape, key_shape=None):
        key_shape = value_shape if key_shape is None else key_shape
        self._check_shapes(query_shape, value_shape, key_shape)
        self.feature_dim = query_shape[-1]
        self._query_dense = self._projection(
            "bqm,muh->bquh", self.num_query_heads, "uh", "query", query_shape
        )
        self._key_dense = self._projection("bkm,mvh->bkvh", self.num_key_value_heads, "vh", "key", key_shape)
        if self.use_gate:
            self._gate_dense = self._projection(
                "bqm,muh->bquh", self.num_query_heads, "uh", "gate", query_shape, activation="sigmoid"
            )
        self._value_dense = self._projection(
            "bkm,mvh->bkvh", self.num_key_value_heads, "vh", "value", value_shape
        )
        self._softmax = Softmax(axis=-1, dtype=self.dtype_policy)
        self._dropout_layer = Dropout(rate=self.dropout, dtype=self.dtype_policy, seed=self.seed)
        self._dot_product_equation = "bquh,bkuh->buqk"
        self._combine_equation = "buqk,bkuh->bquh"
        self._output_dense = EinsumDense(
            "bquh,uhm->bqm",
            output_shape=(None, self.feature_dim),
            bias_axes="m" if self.use_bias else None,
            name="attention_output",
            **self._sublayer_kwargs(),
        )
        self._output_dense.build((None, None, self.num_query_heads, self.head_dim))

    def _check_shapes(self, query_shape, value_shape, key_shape):
        received = (
            f"Received: query.shape={tuple(query_shape)}, value.shape={tuple(value_shape)}, "
            f"key.shape={tuple(key_shape)}"
        )
        if len(query_shape) != 3 or len(value_shape) != 3 or len(key_shape) != 3:
            raise ValueError(
                f"GroupedQueryAttention layer '{self.name}' expects query, value and key of rank 3 "
                f"(batch, sequence, features). {received}"
            )
        if query_shape[-1] != value_shape[-1]:
            raise ValueError(
                f"GroupedQueryAttention layer '{self.name}' expects query and value to have the same last "
                f"axis size. {received}"
            )
        if tuple(value_shape[1:-1]) != tuple(key_shape[1:-1]):
            raise ValueError(
                f"GroupedQueryAttention layer '{self.name}' expects value and key to have the same shape "
                f"except for the last axis. {received}"
            )

    def call(
        self,
        query,
        value,
        key=None,
        query_mask=None,
        value_mask=None,
        key_mask=None,
        attention_mask=None,
        return_attention_scores=False,
        training=None,
        use_causal_mask=False,
    ):
        if key is None:
            key = value
        else:
            key_mask = key_mask if key_mask is not None else masking.get_keras_mask(key)
        query_mask = query_mask if query_mask is not None else masking.get_keras_mask(query)
        value_mask = value_mask if value_mask is not None else masking.get_keras_mask(value)
        causal_only = use_causal_mask and all(
            mask is None for mask in (query_mask, value_mask, key_mask, attention_mask, self.sliding_window)
        )
        if not causal_only:
            attention_mask = combine_attention_masks(
                query,
                value,
                query_mask,
                value_mask,
                key_mask,
                attention_mask,
                use_causal_mask,
                self.sliding_window,
            )
        gate = self._gate_dense(query) if self.use_gate else None
        query = self._query_dense(query)
        key = ops.repeat(self._key_dense(key), self.num_repeats, axis=2)
        value = ops.repeat(self._value_dense(value), self.num_repeats, axis=2)
        output, scores = self._compute_attention(
            query, key, value, attention_mask, training, return_attention_scores, causal_only
        )
        if gate is not None:
            output = ops.multiply(output, gate)
        output = self._output_dense(output)
        if return_attention_scores:
            return output, scores
        return output

    def _compute_attention(
        self, query, key, value, attention_mask, training, return_attention_scores, use_causal_mask
    ):
        if self._flash_attention and return_attention_scores:
            raise ValueError(
                f"GroupedQueryAttention layer '{self.name}' cannot return attention scores with flash "
                "attention. Set flash_attention=None or return_attention_scores=False."
            )
        if not (self.dropout > 0.0 or return_attention_scores):
            output = fused_attention(
                query,
                key,
                value,
                attention_mask,
                self._inverse_sqrt_head_dim,
                use_causal_mask,
                self._flash_attention,
            )
            return output, None
        if use_causal_mask:
            attention_mask = causal_mask(query, value)
        query = ops.multiply(query, ops.cast(self._inverse_sqrt_head_dim, query.dtype))
        scores = ops.einsum(self._dot_product_equation, query, key)
        if attention_mask is not None:
            for _ in range(len(scores.shape) - len(attention_mask.shape)):
                attention_mask = ops.expand_dims(attention_mask, axis=-3)
        scores = self._softmax(scores, mask=attention_mask)
        dropped_scores = self._dropout_layer(scores, training=training) if self.dropout > 0.0 else scores
        return ops.einsum(self._combine_equation, dropped_scores, value), scores

    def compute_mask(self, query, previous_mask=None):
        return previous_mask

    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        # No value shape means self-attention.
        value_shape = query_shape if value_shape is None else value_shape
        key_shape = value_shape if key_shape is None else key_shape
        self._check_shapes(query_shape, value_shape, key_shape)
        return tuple(query_shape)

    def compute_output_spec(
        self,
        query,
        value,
        key=None,
        query_mask=None,
        value_mask=None,
        key_mask=None,
        attention_mask=None,
        return_attention_scores=False,
        training=None,
        use_causal_mask=False,
    ):
        key_shape = None if key is None else key.shape
        output = KerasTensor(
            self.compute_output_shape(query.shape, value.shape, key_shape),
            dtype=self.dtype_policy.compute_dtype,
        )
        if not return_attention_scores:
            return output
        key_length = value.shape[1] if key is None else key.shape[1]
        scores_shape = (query.shape[0], self.num_query_heads, query.shape[1], key_length)
        return output, KerasTensor(scores_shape, dtype=self.dtype_policy.compute_dtype)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "head_dim": self.head_dim,
                "num_query_heads": self.num_query_heads,
                "num_key_value_heads": self.num_key_value_heads,
                "use_bias": self.use_bias,
                "use_gate": self.use_gate,
                "sliding_window": self.sliding_window,
                "dropout": self.dropout,
                "seed": self.seed,
            }
        )
        config.update(weight_options_config(*self._weight_options()))
        return config
