"""Activation functions: element-wise (or per-axis) nonlinearities, by name in layer configs.

Each function takes a tensor (or a `KerasTensor`, or anything
`lamina.ops.convert_to_tensor` accepts) and returns a tensor of the same
shape. They are thin compositions of `lamina.ops`, so they run on every
backend and on symbolic tensors.
"""

from lamina import ops


def _tensor(x):
    return ops.convert_to_tensor(x)


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Rectified linear unit, optionally leaky, capped and shifted.

    With the defaults it returns `max(x, 0)`. Values below `threshold`
    become `negative_slope * (x - threshold)`; values above `max_value` are
    clipped to it.

    Args:
        x: Input tensor.
        negative_slope: Slope for values below `threshold`.
        max_value: Optional largest output value.
        threshold: Values at or below it are damped (or zeroed).

    Returns:
        A tensor of the same shape and dtype as `x`.

    Example:

    >>> import lamina
    >>> x = [-10.0, -5.0, 0.0, 5.0, 10.0]
    >>> lamina.ops.convert_to_numpy(relu(x)).tolist()
    [0.0, 0.0, 0.0, 5.0, 10.0]
    >>> lamina.ops.convert_to_numpy(relu(x, negative_slope=0.5)).tolist()
    [-5.0, -2.5, 0.0, 5.0, 10.0]
    >>> lamina.ops.convert_to_numpy(relu(x, max_value=5.0)).tolist()
    [0.0, 0.0, 0.0, 5.0, 5.0]
    >>> lamina.ops.convert_to_numpy(relu(x, threshold=5.0)).tolist()
    [0.0, 0.0, 0.0, 0.0, 10.0]
    """
    if negative_slope < 0:
        raise ValueError(f"relu expects negative_slope >= 0. Received: negative_slope={negative_slope}")
    if max_value is not None and max_value < 0:
        raise ValueError(f"relu expects max_value >= 0 or None. Received: max_value={max_value}")
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return ops.relu(x)  # the usual case: ops.relu converts `x` itself
    x = _tensor(x)
    if negative_slope != 0.0 and max_value is None and threshold == 0.0:
        return ops.leaky_relu(x, negative_slope=negative_slope)
    if threshold != 0.0:
        output = ops.where(ops.greater(x, threshold), x, ops.zeros_like(x))
    elif max_value == 6:
        output = ops.relu6(x)
        max_value = None
    else:
        output = ops.relu(x)
    if max_value is not None:
        output = ops.clip(output, 0.0, max_value)
    if negative_slope != 0.0:
        output = output - negative_slope * ops.relu(threshold - x)
    return output


def leaky_relu(x, negative_slope=0.2):
    """Leaky ReLU: `x` for `x >= 0`, `negative_slope * x` otherwise.

    Args:
        x: Input tensor.
        negative_slope: Slope for negative inputs.

    Returns:
        A tensor of the same shape as `x`.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(leaky_relu([-1.0, 2.0], negative_slope=0.5)).tolist()
    [-0.5, 2.0]
    """
    return ops.leaky_relu(_tensor(x), negative_slope=negative_slope)


def relu6(x):
    """ReLU capped at 6: `min(max(x, 0), 6)`.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(relu6([-1.0, 3.0, 8.0])).tolist()
    [0.0, 3.0, 6.0]
    """
    return ops.relu6(_tensor(x))


def softmax(x, axis=-1):
    """Softmax: `exp(x) / sum(exp(x))` along `axis`, a probability distribution.

    Args:
        x: Input tensor (the log-odds).
        axis: Integer, the axis along which the softmax is normalized.

    Returns:
        A tensor of the same shape as `x` whose slices along `axis` sum to 1.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(softmax([0.0, 0.0])).tolist()
    [0.5, 0.5]
    """
    return ops.softmax(x, axis)


def log_softmax(x, axis=-1):
    """Logarithm of the softmax along `axis`, computed stably.

    Example:

    >>> import lamina
    >>> round(float(lamina.ops.convert_to_numpy(log_softmax([0.0, 0.0]))[0]), 4)
    -0.6931
    """
    return ops.log_softmax(_tensor(x), axis=axis)


def elu(x, alpha=1.0):
    """Exponential linear unit: `x` if `x > 0`, else `alpha * (exp(x) - 1)`.

    Args:
        x: Input tensor.
        alpha: Scale of the negative part.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(elu([0.0, 2.0])).tolist()
    [0.0, 2.0]
    """
    return ops.elu(_tensor(x), alpha=alpha)


def selu(x):
    """Scaled ELU: `scale * elu(x, alpha)` with `alpha=1.67326324`, `scale=1.05070098`.

    Use it with the `lecun_normal` initializer (self-normalizing networks).

    Example:

    >>> import lamina
    >>> round(float(lamina.ops.convert_to_numpy(selu([1.0]))[0]), 4)
    1.0507
    """
    return ops.selu(_tensor(x))


def softplus(x):
    """Softplus: `log(exp(x) + 1)`.

    Example:

    >>> import lamina
    >>> round(float(lamina.ops.convert_to_numpy(softplus([0.0]))[0]), 4)
    0.6931
    """
    return ops.softplus(_tensor(x))


def softsign(x):
    """Softsign: `x / (abs(x) + 1)`.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(softsign([1.0, -3.0])).tolist()
    [0.5, -0.75]
    """
    return ops.softsign(_tensor(x))


def silu(x):
    """Sigmoid linear unit (swish): `x * sigmoid(x)`.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(silu([0.0])).tolist()
    [0.0]
    """
    return ops.silu(_tensor(x))


swish = silu


def gelu(x, approximate=False):
    """Gaussian error linear unit: `x * P(X <= x)` for `X ~ N(0, 1)`.

    Note that the activation defaults to the exact form (`approximate=False`),
    while `lamina.ops.gelu` defaults to the tanh approximation.

    Args:
        x: Input tensor.
        approximate: Whether to use the tanh approximation.

    Example:

    >>> import lamina
    >>> round(float(lamina.ops.convert_to_numpy(gelu([1.0]))[0]), 4)
    0.8413
    """
    return ops.gelu(_tensor(x), approximate=approximate)


def celu(x, alpha=1.0):
    """Continuously differentiable ELU: `max(0, x) + min(0, alpha * (exp(x / alpha) - 1))`.

    Args:
        x: Input tensor.
        alpha: Scale of the negative part (positive).

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(celu([0.0, 2.0])).tolist()
    [0.0, 2.0]
    """
    return ops.celu(_tensor(x), alpha=alpha)


def glu(x, axis=-1):
    """Gated linear unit: splits `x` in two halves `a, b` along `axis`, returns `a * sigmoid(b)`.

    Args:
        x: Input tensor; its size along `axis` must be even.
        axis: The axis to split.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(glu([[2.0, 0.0]])).tolist()
    [[1.0]]
    """
    return ops.glu(_tensor(x), axis=axis)


def tanh(x):
    """Hyperbolic tangent: `(exp(x) - exp(-x)) / (exp(x) + exp(-x))`.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(tanh([0.0])).tolist()
    [0.0]
    """
    return ops.tanh(_tensor(x))


def sigmoid(x):
    """Sigmoid: `1 / (1 + exp(-x))`, values in (0, 1).

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(sigmoid([0.0])).tolist()
    [0.5]
    """
    x = _tensor(x)
    return ops.sigmoid(x)


def exponential(x):
    """Exponential: `exp(x)`.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(exponential([0.0])).tolist()
    [1.0]
    """
    return ops.exp(_tensor(x))


def hard_sigmoid(x):
    """Piecewise-linear sigmoid: `0` below -3, `1` above 3, `x / 6 + 0.5` between.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(hard_sigmoid([-4.0, 0.0, 4.0])).tolist()
    [0.0, 0.5, 1.0]
    """
    return ops.hard_sigmoid(_tensor(x))


def hard_silu(x):
    """Hard SiLU (hard swish): `x * hard_sigmoid(x)`.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(hard_silu([0.0, 4.0])).tolist()
    [0.0, 4.0]
    """
    return ops.hard_silu(_tensor(x))


hard_swish = hard_silu


def log_sigmoid(x):
    """Logarithm of the sigmoid: `-softplus(-x)`, computed stably.

    Example:

    >>> import lamina
    >>> round(float(lamina.ops.convert_to_numpy(log_sigmoid([0.0]))[0]), 4)
    -0.6931
    """
    return ops.log_sigmoid(_tensor(x))


def mish(x):
    """Mish: `x * tanh(softplus(x))`.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(mish([0.0])).tolist()
    [0.0]
    """
    x = _tensor(x)
    return x * ops.tanh(ops.softplus(x))


def linear(x):
    """Linear activation: returns `x` unchanged.

    Example:

    >>> linear(3.0)
    3.0
    """
    return x
