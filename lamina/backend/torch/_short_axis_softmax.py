"""Softmax and log-softmax over a short last axis on the CPU, through PyTorch's fast kernel.

PyTorch's CPU kernels for a softmax over the *last* axis vectorize along that
axis; when it holds fewer values than a vector register (16 float32 on this
machine's AVX-512, e.g. a classifier's 10 classes) they fall back to a scalar
loop that costs ~20 ns a value: a softmax over `(128, 10)` takes ~27 µs, 18
times a `torch.exp` of the same tensor, and `(64, 80, 10)` ~900 µs. The kernel for
any other axis vectorizes across the rows instead, so moving the short axis to
the front (one contiguous copy) and back (a view) gives the same values
(to float rounding) 3–9 times faster, gradients included (autograd records the
copy and the softmax). `compute` takes that path where `applies` holds, else the plain call.
"""

# Below this many values the last axis is shorter than a float32 vector register.
SHORT_AXIS = 16
# Few rows run fast either way; the copy only pays for itself on larger tensors.
MIN_ROWS = 64


def applies(x, dim):
    """Whether `x`'s softmax over `dim` takes the short-axis path.

    Args:
        x: A floating-point tensor.
        dim: The (integer) softmax axis.

    Returns:
        True for a CPU tensor whose softmax axis is its last one, shorter than
        `SHORT_AXIS`, with at least `MIN_ROWS` rows.

    Example:

    >>> import torch
    >>> applies(torch.zeros(128, 10), -1), applies(torch.zeros(128, 64), -1), applies(torch.zeros(8, 10), 1)
    (True, False, False)
    """
    if x.ndim < 2 or dim not in (-1, x.ndim - 1) or not x.is_cpu:
        return False
    size = x.shape[-1]
    return 1 < size < SHORT_AXIS and x.numel() >= MIN_ROWS * size


def along_front(kernel, x):
    """`kernel(x, dim=-1)` computed with the last axis moved to the front (see the module docstring).

    Args:
        kernel: `torch.softmax` or `torch.log_softmax`.
        x: A floating-point CPU tensor (see `applies`).

    Returns:
        A tensor of `x`'s shape (a transposed view of a contiguous result).

    Example:

    >>> import torch
    >>> logits = torch.tensor([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    >>> [round(value, 4) for value in along_front(torch.softmax, logits)[0].tolist()]
    [0.09, 0.2447, 0.6652]
    >>> [round(value, 4) for value in along_front(torch.log_softmax, logits)[1].tolist()]
    [-1.0986, -1.0986, -1.0986]
    """
    return kernel(x.movedim(-1, 0).contiguous(), dim=0).movedim(0, -1)


def compute(kernel, x, dim):
    """`kernel(x, dim=dim)`, through `along_front` where `applies` holds.

    Args:
        kernel: `torch.softmax` or `torch.log_softmax`.
        x: A floating-point tensor.
        dim: The (integer) axis.

    Returns:
        The kernel's result.

    Example:

    >>> import torch
    >>> compute(torch.softmax, torch.zeros(2, 4), -1).tolist()
    [[0.25, 0.25, 0.25, 0.25], [0.25, 0.25, 0.25, 0.25]]
    """
    if applies(x, dim):
        return along_front(kernel, x)
    return kernel(x, dim=dim)
