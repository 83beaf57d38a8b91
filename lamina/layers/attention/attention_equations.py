"""Einsum equations for multi-head attention's projections and attention products."""

import string


def _letter(index):
    return string.ascii_lowercase[index]


def projection_equation(free_dims, bound_dims, output_dims):
    """Builds the einsum equation of a multi-head projection.

    The input's first `free_dims` axes are kept, its next `bound_dims` axes
    are contracted with the kernel, and the kernel adds `output_dims` axes.

    Args:
        free_dims: Number of input axes kept (batch axis included).
        bound_dims: Number of input axes contracted.
        output_dims: Number of axes the kernel adds to the output.

    Returns:
        `(equation, bias_axes, output_rank)`.

    Example:

    >>> projection_equation(2, 1, 2)
    ('abc,cde->abde', 'de', 4)
    """
    free = "".join(_letter(i) for i in range(free_dims))
    bound = "".join(_letter(free_dims + i) for i in range(bound_dims))
    produced = "".join(_letter(free_dims + bound_dims + i) for i in range(output_dims))
    equation = f"{free}{bound},{bound}{produced}->{free}{produced}"
    return equation, produced, len(free) + len(produced)


def partial_output_shape(output_rank, known_last_dims):
    """The `output_shape` argument of an `EinsumDense`: unknown leading sizes, then `known_last_dims`.

    Example:

    >>> partial_output_shape(3, [2, 4])
    [None, 2, 4]
    """
    return [None] * (output_rank - len(known_last_dims)) + list(known_last_dims)


def attention_equations(rank, attention_axes):
    """Builds the query-key product and value combination equations.

    Projected tensors are `(batch, <other axes>, <attention axes>, heads,
    channels)`; the scores are `(<batch and other axes>, heads, <query
    attention axes>, <key attention axes>)`.

    Args:
        rank: Rank of the projected query, key and value tensors.
        attention_axes: Tuple of the attention axes (non-negative, below
            `rank - 2`).

    Returns:
        `(dot_product_equation, combine_equation, scores_rank)`; the dot
        product takes `(key, query)`.

    Example:

    >>> attention_equations(4, (1,))
    ('aecd,abcd->acbe', 'acbe,aecd->abcd', 4)
    """
    target = "".join(_letter(i) for i in range(rank))
    batch_axes = [axis for axis in range(rank) if axis not in attention_axes and axis != rank - 1]
    source = ""
    next_letter = rank
    for axis in range(rank):
        if axis in batch_axes or axis == rank - 1:
            source += target[axis]
        else:
            source += _letter(next_letter)
            next_letter += 1
    product = (
        "".join(target[axis] for axis in batch_axes)
        + "".join(target[axis] for axis in attention_axes)
        + "".join(source[axis] for axis in attention_axes)
    )
    return f"{source},{target}->{product}", f"{product},{source}->{target}", len(product)


def attention_scores_shape(query_shape, value_shape, num_heads, attention_axes):
    """The attention scores' shape: other axes, heads, query then key attention axes.

    Example:

    >>> attention_scores_shape((2, 5, 6), (2, 7, 6), 3, (1,))
    (2, 3, 5, 7)
    """
    other_axes = [axis for axis in range(len(query_shape) - 1) if axis not in attention_axes]
    return (
        tuple(query_shape[axis] for axis in other_axes)
        + (num_heads,)
        + tuple(query_shape[axis] for axis in attention_axes)
        + tuple(value_shape[axis] for axis in attention_axes)
    )
