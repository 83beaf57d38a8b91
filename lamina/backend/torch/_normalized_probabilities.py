"""Softmax outputs remembered as normalized, so that a crossentropy need not renormalize them.

Keras's crossentropies on probabilities (`from_logits=False`) first divide
`output` by its sum along the class axis, then clip and take the log. On a
softmax output that sum is already 1 (to float rounding), and the division
changes neither the loss nor, through the softmax, the gradient: the
division's gradient adds the same constant to every class, which the
softmax's Jacobian maps to zero. Eagerly it still costs a sum and a divide
forward and five kernels backward per step, which on a small classifier is
~6% of a PyTorch training step.

`mark` records on a float32 / float64 softmax result its axis and PyTorch's
version counter of the tensor; `is_normalized` holds only while both match, so
a tensor changed in place since (its version moves) is renormalized as Keras
does. Lower-precision outputs are always renormalized: their sums can be off
by more than rounding noise. A tensor derived from the softmax output (a cast,
a slice, a product) carries no mark, and neither does one made under
`torch.inference_mode()` (inference tensors have no version counter).
"""

import torch

_MARK = "_lamina_normalized_along"
_EXACT_DTYPES = (torch.float32, torch.float64)


def mark(probabilities, axis):
    """Records that `probabilities` sum to 1 along `axis`; returns them.

    Args:
        probabilities: A softmax result.
        axis: The (integer) softmax axis.

    Returns:
        `probabilities`, marked when its dtype is float32 or float64, it is not
        an inference tensor and no `torch.compile` trace is running (the mark is
        an eager-only shortcut).

    Example:

    >>> import torch
    >>> probabilities = mark(torch.softmax(torch.zeros(2, 3), dim=-1), -1)
    >>> is_normalized(probabilities, 1), is_normalized(probabilities, 0)
    (True, False)
    """
    if (
        probabilities.dtype in _EXACT_DTYPES
        and not probabilities.is_inference()
        and not torch.compiler.is_compiling()
    ):
        setattr(probabilities, _MARK, (axis % probabilities.ndim, probabilities._version))
    return probabilities


def is_normalized(output, axis):
    """Whether `output` is an unmodified, marked softmax result along `axis`.

    Args:
        output: A tensor.
        axis: The (integer) class axis of the crossentropy.

    Returns:
        True when `mark` recorded `output` along `axis` and it has not been
        modified in place since.

    Example:

    >>> import torch
    >>> probabilities = mark(torch.softmax(torch.zeros(2, 3), dim=-1), -1)
    >>> is_normalized(probabilities, -1)
    True
    >>> _ = probabilities.mul_(2.0)
    >>> is_normalized(probabilities, -1)
    False
    """
    recorded = getattr(output, _MARK, None)
    if recorded is None or type(axis) is not int:
        return False
    return recorded == (axis % output.ndim, output._version)
