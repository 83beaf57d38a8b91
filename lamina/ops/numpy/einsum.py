"""`einsum`: Einstein summation, with a shape rule that parses the subscripts."""

from lamina.backend import current
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.ops import plan_cache
from lamina.ops import shape_rules
from lamina.ops.dispatch import symbolic


def _parse_term(term, subscripts):
    """Splits one term into (letters before '...', whether it has '...', letters after)."""
    if term.count("...") > 1 or "." in term.replace("...", ""):
        raise ValueError(f"einsum: invalid ellipsis in subscripts {subscripts!r}.")
    head, has_ellipsis, tail = term.partition("...")
    for letter in head + tail:
        if not letter.isalpha():
            raise ValueError(f"einsum: invalid character {letter!r} in subscripts {subscripts!r}.")
    return head, bool(has_ellipsis), tail


def _merge_label_size(sizes, letter, size, subscripts):
    known = sizes.get(letter)
    if known is None or known == 1:
        sizes[letter] = size if size is not None or known is None else known
    elif size not in (None, 1, known):
        raise ValueError(f"einsum: subscript {letter!r} in {subscripts!r} has sizes {known} and {size}.")


def _einsum_rule(subscripts, *operands, **kwargs):
    spec = subscripts.replace(" ", "")
    inputs, arrow, output = spec.partition("->")
    terms = inputs.split(",")
    if len(terms) != len(operands):
        raise ValueError(
            f"einsum: subscripts {subscripts!r} name {len(terms)} operands. Received {len(operands)}."
        )
    sizes = {}
    counts = {}
    ellipsis_shapes = []
    for term, operand in zip(terms, operands):
        shape = shape_rules.shape_of(operand)
        head, has_ellipsis, tail = _parse_term(term, subscripts)
        num_labels = len(head) + len(tail)
        if len(shape) < num_labels or (not has_ellipsis and len(shape) != num_labels):
            raise ValueError(
                f"einsum: term {term!r} of {subscripts!r} does not fit an operand of shape {shape}."
            )
        middle = len(shape) - len(tail)
        labelled = list(zip(head, shape[: len(head)])) + list(zip(tail, shape[middle:]))
        for letter, size in labelled:
            _merge_label_size(sizes, letter, size, subscripts)
            counts[letter] = counts.get(letter, 0) + 1
        if has_ellipsis:
            ellipsis_shapes.append(shape[len(head) : middle])
    ellipsis_shape = shape_rules.broadcast_shapes(*ellipsis_shapes, op_name="einsum")
    if arrow:
        head, has_ellipsis, tail = _parse_term(output, subscripts)
        for letter in head + tail:
            if letter not in sizes:
                raise ValueError(f"einsum: output subscript {letter!r} of {subscripts!r} is not an input's.")
        shape = (
            tuple(sizes[c] for c in head)
            + (ellipsis_shape if has_ellipsis else ())
            + tuple(sizes[c] for c in tail)
        )
    else:
        shape = ellipsis_shape + tuple(sizes[c] for c in sorted(counts) if counts[c] == 1)
    return KerasTensor(shape, dtype=shape_rules.result_dtype(*operands))


@symbolic(_einsum_rule)
def einsum(subscripts, *operands, **kwargs):
    """Evaluates the Einstein summation convention on the operands.

    Args:
        subscripts: The summation, e.g. `"ij,jk->ik"`; `...` stands for
            broadcast axes, and without `->` the output holds the letters
            used once, in alphabetical order.
        *operands: The tensors.
        **kwargs: Kept for API parity.

    Returns:
        The result, of the promoted dtype.

    Example:

    >>> from lamina import ops
    >>> ops.shape(ops.einsum("bij,bjk->bik", ops.ones((5, 2, 3)), ops.ones((5, 3, 4))))
    (5, 2, 4)
    >>> ops.convert_to_numpy(ops.einsum("ii", [[1, 2], [3, 4]])).tolist()
    5
    """
    key = plan_cache.call_signature(operands, (subscripts,))
    if key is None:
        dtype = _einsum_rule(subscripts, *operands).dtype
    else:
        # Eager steps repeat the same einsums: the subscripts are checked once per signature.
        dtype = _CHECKED_DTYPES.get(key, lambda: _einsum_rule(subscripts, *operands).dtype)
    return current.numpy.einsum(subscripts, *operands, dtype=dtype)


_CHECKED_DTYPES = plan_cache.PlanCache()
