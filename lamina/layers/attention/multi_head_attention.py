"""`MultiHeadAttention`: attention with learned per-head projections (Vaswani et al., 2017)."""

import math

from lamina import constraints
from lamina import initializers
from lamina import ops
from lamina import regularizers
from lamina.backend.common import masking
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.activations.softmax import Softmax
from lamina.layers.attention.attention_equations import attention_equations
from lamina.layers.attention.attention_equations import attention_scores_shape
from lamina.layers.attention.attention_equations import partial_output_shape
from lamina.layers.attention.attention_equations import projection_equation
from lamina.layers.attention.attention_masks import causal_mask
from lamina.layers.attention.attention_masks import combine_attention_masks
from lamina.layers.attention.attention_sublayers import check_positive_int
from lamina.layers.attention.attention_sublayers import fused_attention
from lamina.layers.attention.attention_sublayers import normalize_output_shape
from lamina.layers.attention.attention_sublayers import sublayer_kwargs
from lamina.layers.attention.attention_sublayers import weight_options_config
from lamina.layers.core.einsum_dense import EinsumDense
from lamina.layers.layer import Layer
from lamina.layers.regularization.dropout import Dropout


class MultiHeadAttention(Layer):
    """Multi-head attention: each head attends over its own learned projections.

    Projects `query`, `key` and `value` to `num_heads` heads of sizes
    `key_dim`, `key_dim` and `value_dim`, computes scaled dot-product
    attention per head (`softmax(Q K^T / sqrt(key_dim)) V`), and projects the
    concatenated heads back to the query's last size (or `output_shape`).
    With `query` and `value` equal this is self-attention.

    Args:
        num_heads: Number of attention heads.
        key_dim: Size of each head for query and key.
        value_dim: Size of each head for value (default `key_dim`).
        dropout: Dropout rate on the attention scores.
        use_bias: Whether the dense projections use biases.
        output_shape: Size (int or tuple) of the output's last axes besides
            the batch and attention ones; default: the query's last size.
        attention_axes: Axes over which attention runs (default: every axis
            but batch, heads and features).
        sliding_window: Optional positive int: query `i` only attends keys
            `j` with `|i - j| < sliding_window`.
        flash_attention: Whether to use a fused flash-attention kernel
            (see `lamina.ops.dot_product_attention`); cannot be combined with
            dropout or `return_attention_scores`.
        kernel_initializer: Initializer for the projection kernels.
        bias_initializer: Initializer for the projection biases.
        kernel_regularizer: Regularizer for the projection kernels.
        bias_regularizer: Regularizer for the projection biases.
        activity_regularizer: Regularizer for the projections' outputs.
        kernel_constraint: Constraint for the projection kernels.
        bias_constraint: Constraint for the projection biases.
        use_gate: Whether to gate the heads' outputs with a sigmoid of a
            projection of the query (an extra `gate` projection).
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
        return_attention_scores: Whether to also return the `(B, heads, T, S)`
            attention scores.
        training: Whether dropout is active.
        use_causal_mask: Whether query `i` may only attend keys `j <= i`.

    Returns:
        The `(B, T, dim)` output, and the scores if asked.

    Example:

    >>> import lamina
    >>> layer = lamina.layers.MultiHeadAttention(num_heads=2, key_dim=4)
    >>> query = lamina.ops.ones((3, 5, 6))
    >>> output, scores = layer(query, lamina.ops.ones((3, 7, 6)), return_attention_scores=True)
    >>> output.shape, scores.shape
    ((3, 5, 6), (3, 2, 5, 7))
    >>> [weight.path for weight in layer.weights][:2]
    ['multi_head_attention/query/kernel', 'multi_head_attention/query/bias']
    """

    def __init__(
        self,
        num_heads,
        key_dim,
        value_dim=None,
        dropout=0.0,
        use_bias=True,
        output_shape=None,
        attention_axes=None,
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
        for name, value in (("num_heads", num_heads), ("key_dim", key_dim)):
            check_positive_int(value, name, "MultiHeadAttention")
        for name, value in (("value_dim", value_dim), ("sliding_window", sliding_window)):
            check_positive_int(value, name, "MultiHeadAttention", allow_none=True)
        super().__init__(**kwargs)
        self.supports_masking = True
        self._num_heads = num_heads
        self._key_dim = key_dim
        self._value_dim = value_dim if value_dim else key_dim
        self._dropout = dropout
        self._use_bias = use_bias
        self._use_gate = use_gate
        self._output_shape = normalize_output_shape(output_shape, f"MultiHeadAttention layer '{self.name}'")
        self._flash_attention = flash_attention
        self._kernel_initializer = initializers.get(kernel_initializer)
        self._bias_initializer = initializers.get(bias_initializer)
        self._kernel_regularizer = regularizers.get(kernel_regularizer)
        self._bias_regularizer = regularizers.get(bias_regularizer)
        self._activity_regularizer = regularizers.get(activity_regularizer)
        self._kernel_constraint = constraints.get(kernel_constraint)
        self._bias_constraint = constraints.get(bias_constraint)
        if isinstance(attention_axes, int):
            attention_axes = (attention_axes,)
        elif attention_axes is not None and not isinstance(attention_axes, (list, tuple)):
            raise ValueError(
                f"MultiHeadAttention layer '{self.name}' expects attention_axes to be an int, a list or a "
                f"tuple. Received: attention_axes={attention_axes!r}"
            )
        self._attention_axes = attention_axes
        self._sliding_window = sliding_window
        self.seed = seed
        self._inverse_sqrt_key_dim = 1.0 / math.sqrt(float(key_dim))
        if flash_attention and dropout > 0.0:
            raise ValueError(
                f"MultiHeadAttention layer '{self.name}' cannot apply dropout with flash attention. "
                f"Received: flash_attention=True, dropout={dropout}. Set dropout=0.0 or flash_attention=None."
            )

    num_heads = property(lambda self: self._num_heads)
    key_dim = property(lambda self: self._key_dim)
    value_dim = property(lambda self: self._value_dim)
    dropout = property(lambda self: self._dropout)
    use_bias = property(lambda self: self._use_bias)
    attention_axes = property(lambda self: self._attention_axes)
    query_dense = property(lambda self: self._query_dense)
    key_dense = property(lambda self: self._key_dense)
    value_dense = property(lambda self: self._value_dense)
    output_dense = property(lambda self: self._output_dense)

    def _check_key_value_shapes(self, value_shape, key_shape):
        if tuple(value_shape[1:-1]) != tuple(key_shape[1:-1]):
            raise ValueError(
                f"{type(self).__name__} layer '{self.name}' expects value and key to have the same shape "
                f"except for the last axis. Received: value.shape={tuple(value_shape)}, "
                f"key.shape={tuple(key_shape)}"
            )

    def _weight_options(self):
        return (
            self._kernel_initializer,
            self._bias_initializer,
            self._kernel_regularizer,
            self._bias_regularizer,
            self._activity_regularizer,
            self._kernel_constraint,
            self._bias_constraint,
        )

    def _sublayer_kwargs(self):
        return sublayer_kwargs(self, *self._weight_options())

    def _projection(self, input_shape, last_dims, name, activation=None):
        equation, bias_axes, output_rank = projection_equation(len(input_shape) - 1, 1, 2)
        layer = EinsumDense(
            equation,
            output_shape=partial_output_shape(output_rank - 1, last_dims),
            bias_axes=bias_axes if self._use_bias else None,
            activation=activation,
            name=name,
            **self._sublayer_kwargs(),
        )
        layer.build(tuple(input_shape))
        return layer

    def build(self, query_shape, value_shape, key_shape=None):
        key_shape = value_shape if key_shape is None else key_shape
        self._check_key_value_shapes(value_shape, key_shape)
        self._query_dense = self._projection(query_shape, [self._num_heads, self._key_dim], "query")
        self._key_dense = self._projection(key_shape, [self._num_heads, self._key_dim], "key")
        if self._use_gate:
            self._gate_dense = self._projection(
                query_shape, [self._num_heads, self._value_dim], "gate", activation="sigmoid"
            )
        self._value_dense = self._projection(value_shape, [self._num_heads, self._value_dim], "value")
        rank = len(value_shape) + 1
        self._build_attention(rank)
        output_shape = self._output_shape if self._output_shape else [query_shape[-1]]
        equation, bias_axes, output_rank = projection_equation(len(query_shape) - 1, 2, len(output_shape))
        self._output_dense = EinsumDense(
            equation,
            output_shape=partial_output_shape(output_rank - 1, output_shape),
            bias_axes=bias_axes if self._use_bias else None,
            name="attention_output",
            **self._sublayer_kwargs(),
        )
        output_dense_input_shape = list(self._query_dense.compute_output_shape(tuple(query_shape)))
        output_dense_input_shape[-1] = self._value_dim
        self._output_dense.build(tuple(output_dense_input_shape))

    def _build_attention(self, rank):
        if self._attention_axes is None:
            self._attention_axes = tuple(range(1, rank - 2))
        else:
            self._attention_axes = tuple(
                axis if axis >= 0 else (rank - 1) + axis for axis in self._attention_axes
            )
        if not all(0 < axis < rank - 2 for axis in self._attention_axes):
            raise ValueError(
                f"MultiHeadAttention layer '{self.name}' expects attention_axes between 1 and "
                f"{rank - 3} (or their negative equivalents) for inputs of rank {rank - 1}. "
                f"Received: attention_axes={self._attention_axes}"
            )
        self._dot_product_equation, self._combine_equation, scores_rank = attention_equations(
            rank, self._attention_axes
        )
        normalized_axes = tuple(range(scores_rank - len(self._attention_axes), scores_rank))
        self._softmax = Softmax(axis=normalized_axes, dtype=self.dtype_policy)
        self._dropout_layer = Dropout(rate=self._dropout, dtype=self.dtype_policy, seed=self.seed)

    def _masked_softmax(self, scores, attention_mask=None):
        if attention_mask is not None:
            expansion_axis = -len(self._attention_axes) * 2 - 1
            for _ in range(len(scores.shape) - len(attention_mask.shape)):
                attention_mask = ops.expand_dims(attention_mask, axis=expansion_axis)
        return self._softmax(scores, mask=attention_mask)

    def _compute_attention(
        self,
        query,
        key,
        value,
        attention_mask=None,
        training=None,
        return_attention_scores=False,
        use_causal_mask=False,
    ):
        if self._flash_attention and return_attention_scores:
            raise ValueError(
                f"{type(self).__name__} layer '{self.name}' cannot return attention scores with flash "
                "attention. Set flash_attention=None or return_attention_scores=False."
            )
        if not (self._dropout > 0.0 or return_attention_scores or len(query.shape) != 4):
            output = fused_attention(
                query,
                key,
                value,
                attention_mask,
                self._inverse_sqrt_key_dim,
                use_causal_mask,
                self._flash_attention,
            )
            return output, None
        if use_causal_mask:
            mask = causal_mask(query, value)
            attention_mask = mask if attention_mask is None else ops.logical_and(attention_mask, mask)
        query = ops.multiply(query, ops.cast(self._inverse_sqrt_key_dim, query.dtype))
        scores = ops.einsum(self._dot_product_equation, key, query)
        scores = self._masked_softmax(scores, attention_mask)
        dropped_scores = self._dropout_layer(scores, training=training) if self._dropout > 0.0 else scores
        output = ops.einsum(self._combine_equation, dropped_scores, value)
        return output, scores

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
        causal_only = (
            use_causal_mask
            and query_mask is None
            and value_mask is None
            and key_mask is None
            and attention_mask is None
            and self._sliding_window is None
        )
        if causal_only:
            # Leaves the causal mask to the attention kernel instead of materializing it.
            attention_mask = None
        else:
            attention_mask = combine_attention_masks(
                query,
                value,
                query_mask,
                value_mask,
                key_mask,
                attention_mask,
                use_causal_mask,
                self._sliding_window,
            )
        gate = self._gate_dense(query) if self._use_gate else None
        query = self._query_dense(query)
        key = self._key_dense(key)
        value = self._value_dense(value)
        attention_output, attention_scores = self._compute_attention(
            query,
            key,
            value,
            attention_mask,
            training,
            return_attention_scores,
            use_causal_mask=causal_only,
        )
        if gate is not None:
            attention_output = ops.multiply(attention_output, gate)
        attention_output = self._output_dense(attention_output)
        if return_attention_scores:
            return attention_output, attention_scores
        return attention_output

    def compute_mask(self, query, previous_mask=None):
        return previous_mask

    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        query_shape = tuple(query_shape)
        # No value shape means self-attention.
        value_shape = query_shape if value_shape is None else tuple(value_shape)
        self._check_key_value_shapes(value_shape, value_shape if key_shape is None else tuple(key_shape))
        if self._output_shape:
            return query_shape[:-1] + tuple(self._output_shape)
        return query_shape

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
        output_shape = self.compute_output_shape(query.shape, value.shape, key_shape)
        output = KerasTensor(output_shape, dtype=self.dtype_policy.compute_dtype)
        if not return_attention_scores:
            return output
        attention_axes = self._attention_axes or tuple(range(1, len(query.shape) - 1))
        scores_shape = attention_scores_shape(query.shape, value.shape, self._num_heads, attention_axes)
        return output, KerasTensor(scores_shape, dtype=self.dtype_policy.compute_dtype)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "num_heads": self._num_heads,
                "key_dim": self._key_dim,
                "value_dim": self._value_dim,
                "dropout": self._dropout,
                "use_bias": self._use_bias,
                "use_gate": self._use_gate,
                "output_shape": self._output_shape,
                "attention_axes": self._attention_axes,
                "sliding_window": self._sliding_window,
                "seed": self.seed,
            }
        )
        config.update(weight_options_config(*self._weight_options()))
        return config
