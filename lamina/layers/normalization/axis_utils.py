"""Axis checks shared by the normalization layers."""


def standardize_axis_argument(layer_name, class_name, axis):
    """Returns `axis` as an int or a list of ints, or raises a TypeError naming the layer.

    Args:
        layer_name: The layer's name (for the error message).
        class_name: The layer's class name (for the error message).
        axis: The `axis` argument the layer received.

    Returns:
        `axis` itself if it is an int, else a list of its ints.

    Example:

    >>> standardize_axis_argument("norm", "LayerNormalization", (1, 2))
    [1, 2]
    """
    if isinstance(axis, int) and not isinstance(axis, bool):
        return axis
    if isinstance(axis, (list, tuple)) and all(
        isinstance(dim, int) and not isinstance(dim, bool) for dim in axis
    ):
        return list(axis)
    raise TypeError(
        f"{class_name} layer '{layer_name}' expects axis to be an int or a list/tuple of ints. "
        f"Received: axis={axis!r}"
    )


def check_axes_in_range(description, axis, input_shape):
    """Raises a ValueError naming the layer when an axis is out of range for `input_shape`.

    Args:
        description: How the layer describes itself, e.g. `"LayerNormalization layer 'norm'"`.
        axis: An int or a list of ints.
        input_shape: The input shape tuple.

    Returns:
        The axes as a list of non-negative ints.

    Example:

    >>> check_axes_in_range("layer 'norm'", -1, (2, 3))
    [1]
    """
    rank = len(input_shape)
    axes = [axis] if isinstance(axis, int) else list(axis)
    for dim in axes:
        if not -rank <= dim < rank:
            raise ValueError(
                f"{description} has axis={axis}, out of range for inputs of rank {rank} "
                f"(shape {tuple(input_shape)})."
            )
    return [dim % rank for dim in axes]
