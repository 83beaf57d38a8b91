"""Pieces shared by `MultiHeadAttention` and `GroupedQueryAttention`."""

from lamina import constraints
from lamina import initializers
from lamina import ops
from lamina import regularizers


def check_positive_int(value, name, owner, allow_none=False):
    """Raises a ValueError naming `owner` unless `value` is a positive int (or None if allowed).

    Example:

    >>> check_positive_int(2, "num_heads", "MultiHeadAttention")
    """
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        expected = "a positive int or None" if allow_none else "a positive int"
        raise ValueError(f"{owner} expects {name} to be {expected}. Received: {name}={value!r}")


def normalize_output_shape(output_shape, owner):
    """Returns `output_shape` (an int or a sequence of ints, or a falsy value) as a tuple or as is.

    Example:

    >>> normalize_output_shape(4, "MultiHeadAttention")
    (4,)
    """
    if not output_shape:
        return output_shape
    if isinstance(output_shape, int):
        return (output_shape,)
    try:
        return tuple(output_shape)
    except TypeError:
        raise ValueError(
            f"{owner} expects output_shape to be an int, a tuple or a list. "
            f"Received: output_shape={output_shape!r}"
        ) from None


def sublayer_kwargs(
    layer,
    kernel_initializer,
    bias_initializer,
    kernel_regularizer,
    bias_regularizer,
    activity_regularizer,
    kernel_constraint,
    bias_constraint,
):
    """Keyword arguments of an attention layer's `EinsumDense` projections.

    The initializers are fresh copies, so that seeded initializers do not
    give every projection the same values.

    Returns:
        A dict of `EinsumDense` keyword arguments.

    Example:

    >>> import lamina
    >>> layer = lamina.layers.Layer()
    >>> initializer = lamina.initializers.GlorotUniform(seed=1)
    >>> kwargs = sublayer_kwargs(layer, initializer, initializer, None, None, None, None, None)
    >>> kwargs["kernel_initializer"] is initializer
    False
    """
    return {
        "kernel_regularizer": kernel_regularizer,
        "bias_regularizer": bias_regularizer,
        "activity_regularizer": activity_regularizer,
        "kernel_constraint": kernel_constraint,
        "bias_constraint": bias_constraint,
        "dtype": layer.dtype_policy,
        "kernel_initializer": type(kernel_initializer).from_config(kernel_initializer.get_config()),
        "bias_initializer": type(bias_initializer).from_config(bias_initializer.get_config()),
    }


def fused_attention(query, key, value, attention_mask, scale, is_causal, flash_attention):
    """Runs `ops.dot_product_attention` on projected `(B, T, N, H)` tensors with a `(B, T, S)` mask.

    Example:

    >>> import lamina
    >>> x = lamina.ops.ones((1, 2, 2, 3))
    >>> fused_attention(x, x, x, None, 0.5, True, None).shape
    (1, 2, 2, 3)
    """
    if attention_mask is not None:
        for _ in range(4 - len(attention_mask.shape)):
            attention_mask = ops.expand_dims(attention_mask, axis=-3)
        attention_mask = ops.cast(attention_mask, "bool")
    return ops.dot_product_attention(
        query,
        key,
        value,
        mask=attention_mask,
        scale=scale,
        is_causal=is_causal,
        flash_attention=flash_attention,
    )


def weight_options_config(
    kernel_initializer,
    bias_initializer,
    kernel_regularizer,
    bias_regularizer,
    activity_regularizer,
    kernel_constraint,
    bias_constraint,
):
    """The serialized weight options of an attention layer's config, in Keras's key order.

    Example:

    >>> import lamina
    >>> config = weight_options_config(lamina.initializers.Zeros(), "zeros", None, None, None, None, None)
    >>> config["kernel_initializer"]["class_name"], config["kernel_regularizer"]
    ('Zeros', None)
    """
    return {
        "kernel_initializer": initializers.serialize(initializers.get(kernel_initializer)),
        "bias_initializer": initializers.serialize(initializers.get(bias_initializer)),
        "kernel_regularizer": regularizers.serialize(kernel_regularizer),
        "bias_regularizer": regularizers.serialize(bias_regularizer),
        "activity_regularizer": regularizers.serialize(activity_regularizer),
        "kernel_constraint": constraints.serialize(kernel_constraint),
        "bias_constraint": constraints.serialize(bias_constraint),
    }
