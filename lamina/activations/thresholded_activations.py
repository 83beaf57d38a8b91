"""Activations defined piece by piece around thresholds: shrinkage, hard and sparse variants.

Each is a composition of `lamina.ops`, so it runs on every backend and on
symbolic tensors.
"""

from lamina import ops


def _tensor(x):
    return ops.convert_to_tensor(x)


def hard_tanh(x):
    """Hard tanh: `x` clipped to `[-1, 1]`.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(hard_tanh([-3.0, 0.5, 2.0])).tolist()
    [-1.0, 0.5, 1.0]
    """
    return ops.clip(_tensor(x), -1.0, 1.0)


def tanh_shrink(x):
    """Tanh shrink: `x - tanh(x)`.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(tanh_shrink([0.0])).tolist()
    [0.0]
    """
    x = _tensor(x)
    return ops.subtract(x, ops.tanh(x))


def hard_shrink(x, threshold=0.5):
    """Hard shrink: `x` where `abs(x) > threshold`, else 0.

    Args:
        x: Input tensor.
        threshold: Values with magnitude up to it become 0.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(hard_shrink([-1.0, 0.25, 2.0])).tolist()
    [-1.0, 0.0, 2.0]
    """
    x = _tensor(x)
    return ops.where(ops.greater(ops.absolute(x), threshold), x, ops.zeros_like(x))


def soft_shrink(x, threshold=0.5):
    """Soft shrink: moves `x` towards 0 by `threshold`, stopping at 0.

    Returns `x - threshold` above `threshold`, `x + threshold` below
    `-threshold`, and 0 in between.

    Args:
        x: Input tensor.
        threshold: The shrinkage amount.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(soft_shrink([-1.0, 0.25, 2.0])).tolist()
    [-0.5, 0.0, 1.5]
    """
    x = _tensor(x)
    shrunk = ops.subtract(x, ops.multiply(ops.sign(x), threshold))
    return ops.where(ops.greater(ops.absolute(x), threshold), shrunk, ops.zeros_like(x))


def threshold(x, threshold, default_value):
    """Keeps `x` where `x > threshold`; elsewhere returns `default_value`.

    Args:
        x: Input tensor.
        threshold: The threshold.
        default_value: The value for entries at or below the threshold.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(threshold([-1.0, 2.0], 0.0, -5.0)).tolist()
    [-5.0, 2.0]
    """
    x = _tensor(x)
    return ops.where(ops.greater(x, threshold), x, ops.full_like(x, default_value))


def squareplus(x, b=4):
    """Squareplus: `(x + sqrt(x**2 + b)) / 2`, a smooth ReLU.

    Args:
        x: Input tensor.
        b: Non-negative smoothness; `b=0` gives ReLU.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(squareplus([0.0])).tolist()
    [1.0]
    """
    if b < 0:
        raise ValueError(f"squareplus expects b >= 0. Received: b={b}")
    x = _tensor(x)
    return ops.divide(ops.add(x, ops.sqrt(ops.add(ops.square(x), b))), 2.0)


def sparse_plus(x):
    """SparsePlus: 0 for `x <= -1`, `(x + 1)**2 / 4` for `-1 < x < 1`, `x` for `x >= 1`.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(sparse_plus([-2.0, 0.0, 2.0])).tolist()
    [0.0, 0.25, 2.0]
    """
    x = _tensor(x)
    middle = ops.divide(ops.square(ops.add(x, 1.0)), 4.0)
    low = ops.zeros_like(x)
    return ops.where(ops.less_equal(x, -1.0), low, ops.where(ops.less(x, 1.0), middle, x))


def sparse_sigmoid(x):
    """Sparse sigmoid: 0 for `x <= -1`, `(x + 1) / 2` for `-1 < x < 1`, 1 for `x >= 1`.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(sparse_sigmoid([-2.0, 0.0, 2.0])).tolist()
    [0.0, 0.5, 1.0]
    """
    return ops.clip(ops.divide(ops.add(_tensor(x), 1.0), 2.0), 0.0, 1.0)


def sparsemax(x, axis=-1):
    """Sparsemax: the Euclidean projection of `x` onto the probability simplex along `axis`.

    Like softmax it returns a distribution, but small logits get exactly 0.

    Args:
        x: Input tensor (logits).
        axis: The axis to normalize along.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(sparsemax([[1.0, 0.0, -3.0]])).tolist()
    [[1.0, 0.0, 0.0]]
    """
    x = _tensor(x)
    x = ops.moveaxis(x, axis, -1)
    size = ops.shape(x)[-1]
    descending = ops.flip(ops.sort(x, axis=-1), axis=-1)
    ranks = ops.arange(1, size + 1, dtype=ops.dtype(x))
    cumulative = ops.cumsum(descending, axis=-1)
    in_support = ops.greater(ops.add(1.0, ops.multiply(ranks, descending)), cumulative)
    # The support is a prefix of the sorted logits, so its sum is a masked sum.
    support_size = ops.sum(ops.cast(in_support, ops.dtype(x)), axis=-1, keepdims=True)
    kept = ops.where(in_support, descending, ops.zeros_like(descending))
    support_sum = ops.sum(kept, axis=-1, keepdims=True)
    tau = ops.divide(ops.subtract(support_sum, 1.0), support_size)
    output = ops.maximum(ops.subtract(x, tau), 0.0)
    return ops.moveaxis(output, -1, axis)
