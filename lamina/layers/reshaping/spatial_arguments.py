"""Argument checks shared by the cropping, padding and up-sampling layers."""


def _is_count(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def normalize_pairs(value, num_spatial, argument, layer):
    """Turns an int, a tuple of ints or a tuple of pairs into `num_spatial` `(before, after)` pairs.

    Args:
        value: An int (same on every side), `num_spatial` ints (symmetric
            per axis) or `num_spatial` pairs.
        num_spatial: Number of spatial axes.
        argument: The argument's name, for error messages.
        layer: The layer, for error messages.

    Returns:
        A tuple of `num_spatial` tuples `(before, after)`.

    Example:

    >>> normalize_pairs(1, 2, "padding", None)
    ((1, 1), (1, 1))
    """
    if _is_count(value):
        return tuple((value, value) for _ in range(num_spatial))
    if isinstance(value, (list, tuple)) and len(value) == num_spatial:
        pairs = []
        for item in value:
            if _is_count(item):
                pairs.append((item, item))
            elif isinstance(item, (list, tuple)) and len(item) == 2 and all(_is_count(v) for v in item):
                pairs.append(tuple(item))
            else:
                pairs = None
                break
        if pairs is not None:
            return tuple(pairs)
    where = f"{type(layer).__name__} layer '{layer.name}'" if layer is not None else "This layer"
    raise ValueError(
        f"{where} expects {argument} to be a non-negative int, a tuple of {num_spatial} non-negative "
        f"ints, or a tuple of {num_spatial} (before, after) pairs. Received: {argument}={value!r}"
    )


def normalize_sizes(value, num_spatial, argument, layer):
    """Turns an int or a tuple of positive ints into a tuple of `num_spatial` positive ints.

    Example:

    >>> normalize_sizes(2, 3, "size", None)
    (2, 2, 2)
    """
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return (value,) * num_spatial
    if (
        isinstance(value, (list, tuple))
        and len(value) == num_spatial
        and all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value)
    ):
        return tuple(value)
    where = f"{type(layer).__name__} layer '{layer.name}'" if layer is not None else "This layer"
    raise ValueError(
        f"{where} expects {argument} to be a positive int or a tuple of {num_spatial} positive ints. "
        f"Received: {argument}={value!r}"
    )


def spatial_axes(data_format, num_spatial):
    """The axes of the spatial dimensions for inputs of rank `num_spatial + 2`.

    Example:

    >>> spatial_axes("channels_first", 2)
    (2, 3)
    """
    if data_format == "channels_first":
        return tuple(range(2, 2 + num_spatial))
    return tuple(range(1, 1 + num_spatial))
