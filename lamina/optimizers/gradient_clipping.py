"""Gradient clipping used by optimizers (`clipnorm`, `clipvalue`, `global_clipnorm`).

Every function is written with ops only, so it runs under `jit` and never
branches in Python on tensor values.
"""

from lamina import ops


def clip_by_norm(values, clip_norm):
    """Rescales `values` so that their L2 norm is at most `clip_norm`.

    Args:
        values: A tensor.
        clip_norm: The largest allowed norm (a positive float).

    Returns:
        `values * clip_norm / max(norm(values), clip_norm)`.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(clip_by_norm(lamina.ops.convert_to_tensor([3.0, 4.0]), 1.0)).tolist()
    [0.6000000238418579, 0.800000011920929]
    """
    squared_sum = ops.sum(ops.square(values), keepdims=True)
    positive = ops.greater(squared_sum, 0)
    # The norm of an all-zero gradient has no derivative at 0; keep it finite.
    safe_sum = ops.where(positive, squared_sum, ops.ones_like(squared_sum))
    norm = ops.where(positive, ops.sqrt(safe_sum), squared_sum)
    return ops.multiply(values, clip_norm) / ops.maximum(norm, clip_norm)


def global_norm(values):
    """Returns the L2 norm of all tensors in `values` taken together (None entries skipped).

    Example:

    >>> import lamina
    >>> float(global_norm([lamina.ops.convert_to_tensor([3.0]), lamina.ops.convert_to_tensor([4.0])]))
    5.0
    """
    squared_norms = [ops.sum(ops.square(value)) for value in values if value is not None]
    return ops.sqrt(ops.sum(ops.stack(squared_norms)))


def clip_by_global_norm(values, clip_norm):
    """Rescales a list of tensors so that their global L2 norm is at most `clip_norm`.

    A non-finite global norm propagates into every tensor, as in Keras.

    Args:
        values: A list of tensors (None entries are kept as None).
        clip_norm: The largest allowed global norm.

    Returns:
        The rescaled list.

    Example:

    >>> import lamina
    >>> grads = [lamina.ops.convert_to_tensor([3.0]), lamina.ops.convert_to_tensor([4.0])]
    >>> clipped = clip_by_global_norm(grads, 1.0)
    >>> [round(float(value[0]), 4) for value in clipped]
    [0.6, 0.8]
    """
    norm = global_norm(values)
    scale = clip_norm * ops.minimum(1.0 / norm, 1.0 / clip_norm)
    scale = scale + (norm - norm)
    return [None if value is None else value * ops.cast(scale, value.dtype) for value in values]


def clip_by_value(values, clip_value):
    """Clips every element of `values` to `[-clip_value, clip_value]`.

    Example:

    >>> import lamina
    >>> grad = lamina.ops.convert_to_tensor([-3.0, 0.5, 2.0])
    >>> lamina.ops.convert_to_numpy(clip_by_value(grad, 1.0)).tolist()
    [-1.0, 0.5, 1.0]
    """
    return ops.clip(values, -clip_value, clip_value)


def clip_gradients(grads, clipnorm=None, global_clipnorm=None, clipvalue=None):
    """Applies whichever of the optimizer's clipping settings is set (at most one is).

    Args:
        grads: A list of gradients.
        clipnorm: Per-gradient norm limit.
        global_clipnorm: Global norm limit.
        clipvalue: Per-element absolute limit.

    Returns:
        The clipped list (unchanged when no setting is positive).

    Example:

    >>> import lamina
    >>> grads = [lamina.ops.convert_to_tensor([2.0])]
    >>> [lamina.ops.convert_to_numpy(g).tolist() for g in clip_gradients(grads, clipvalue=1.0)]
    [[1.0]]
    """
    if clipnorm and clipnorm > 0:
        return [clip_by_norm(grad, clipnorm) for grad in grads]
    if global_clipnorm and global_clipnorm > 0:
        return clip_by_global_norm(grads, global_clipnorm)
    if clipvalue and clipvalue > 0:
        return [clip_by_value(grad, clipvalue) for grad in grads]
    return grads
