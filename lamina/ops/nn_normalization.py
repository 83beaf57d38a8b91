"""Normalization ops: moments, batch, L-p, layer and root-mean-square normalization."""

import warnings

from lamina import config
from lamina.backend import current
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.ops import shape_rules
from lamina.ops.dispatch import symbolic


def _axes_tuple(axes):
    if isinstance(axes, int):
        return (axes,)
    return tuple(axes)


def _moments_rule(x, axes, keepdims=False, synchronized=False):
    dtype = shape_rules.unary_float(x).dtype
    shape = shape_rules.reduced_shape(shape_rules.shape_of(x), _axes_tuple(axes), keepdims, "moments")
    return KerasTensor(shape, dtype=dtype), KerasTensor(shape, dtype=dtype)


@symbolic(_moments_rule)
def moments(x, axes, keepdims=False, synchronized=False):
    """Returns the mean and the (population) variance of `x` over `axes`.

    float16 and bfloat16 inputs are reduced in float32 and cast back.

    Args:
        x: Input tensor.
        axes: An int or a list/tuple of axes to reduce.
        keepdims: Whether to keep the reduced axes with size 1.
        synchronized: Must be False: cross-device statistics belong to the
            distribution setup, not to this op.

    Returns:
        A tuple `(mean, variance)`.

    Example:

    >>> import lamina
    >>> mean, variance = lamina.ops.moments([0.0, 1.0, 2.0, 3.0], axes=[0])
    >>> float(lamina.ops.convert_to_numpy(mean)), float(lamina.ops.convert_to_numpy(variance))
    (1.5, 1.25)
    """
    if synchronized:
        raise NotImplementedError(
            "moments(synchronized=True) is not supported (as in Keras on JAX and PyTorch). "
            "Received: synchronized=True"
        )
    _moments_rule(x, axes, keepdims)
    return current.nn.moments(x, _axes_tuple(axes), keepdims=keepdims)


def _batch_normalization_rule(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    shape = shape_rules.shape_of(x)
    axis = shape_rules.canonical_axis(axis, len(shape), "batch_normalization")
    expected = (shape[axis],)
    for name, value in (("mean", mean), ("variance", variance), ("offset", offset), ("scale", scale)):
        if value is None:
            continue
        received = shape_rules.shape_of(value)
        known = len(received) == 1 and None not in (received[0], shape[axis])
        if len(received) != 1 or (known and received[0] != shape[axis]):
            raise ValueError(
                f"batch_normalization expects {name} to be a vector of length x.shape[{axis}], "
                f"i.e. of shape {expected}. Received: {name}.shape={received}, x.shape={shape}"
            )
    return shape_rules.unary_float(x)


@symbolic(_batch_normalization_rule)
def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    """Normalizes `x` with given statistics: `(x - mean) / sqrt(variance + epsilon) * scale + offset`.

    Args:
        x: Input tensor.
        mean: Vector of length `x.shape[axis]`.
        variance: Vector of length `x.shape[axis]`.
        axis: The feature axis the vectors apply to.
        offset: Optional vector added at the end.
        scale: Optional vector multiplied in.
        epsilon: Added to the variance (default 1e-3).

    Returns:
        A tensor shaped like `x`.

    Example:

    >>> import lamina
    >>> y = lamina.ops.batch_normalization([[1.0, 4.0]], [0.0, 2.0], [1.0, 4.0], axis=-1, epsilon=0.0)
    >>> lamina.ops.convert_to_numpy(y).tolist()
    [[1.0, 1.0]]
    """
    _batch_normalization_rule(x, mean, variance, axis, offset, scale, epsilon)
    return current.nn.batch_normalization(
        x, mean, variance, axis, offset=offset, scale=scale, epsilon=epsilon
    )


def _normalize_rule(x, axis=-1, order=2, epsilon=None):
    if isinstance(order, bool) or not isinstance(order, int) or order < 1:
        raise ValueError(f"normalize expects order to be an int >= 1. Received: order={order!r}")
    ndim = max(len(shape_rules.shape_of(x)), 1)
    if axis is not None:
        for single_axis in _axes_tuple(axis):
            shape_rules.canonical_axis(single_axis, ndim, "normalize")
    spec = shape_rules.unary_float(x)
    return KerasTensor(spec.shape or (1,), dtype=spec.dtype)


@symbolic(_normalize_rule)
def normalize(x, axis=-1, order=2, epsilon=None):
    """Divides `x` by its `order`-norm along `axis`: `x / max(norm(x), epsilon)`.

    Args:
        x: Input tensor (a scalar is treated as a vector of length 1).
        axis: An int or a tuple of ints (default -1).
        order: The norm's order, an int >= 1 (default 2).
        epsilon: Lower bound of the norm (default `epsilon()`).

    Returns:
        A float tensor shaped like `x`.

    Example:

    >>> import numpy as np
    >>> import lamina
    >>> print(np.round(lamina.ops.convert_to_numpy(lamina.ops.normalize([[3.0, 4.0]])), 4))
    [[0.6 0.8]]
    """
    _normalize_rule(x, axis, order, epsilon)
    epsilon = config.epsilon() if epsilon is None else epsilon
    axis = axis if axis is None or isinstance(axis, int) else tuple(axis)
    return current.nn.normalize(x, axis=axis, order=order, epsilon=epsilon)


def _check_parameter(op_name, name, value, x_shape, axes):
    """`value` must be shaped like the normalized axes, or broadcast against `x` with its full rank."""
    if value is None:
        return
    received = tuple(shape_rules.shape_of(value))
    normalized_shape = tuple(x_shape[dim] for dim in axes)
    if len(received) == len(normalized_shape) and all(
        None in (size, expected) or size == expected for size, expected in zip(received, normalized_shape)
    ):
        return
    if len(received) == len(x_shape) and all(
        size in (1, None) or (size == x_shape[dim] or x_shape[dim] is None and dim in axes)
        for dim, size in enumerate(received)
    ):
        return
    raise ValueError(
        f"{op_name} expects {name} to have the shape of the normalized axes {axes} of x, i.e. "
        f"{normalized_shape}, or a shape of rank {len(x_shape)} that broadcasts against x. "
        f"Received: {name}.shape={received}, x.shape={tuple(x_shape)}"
    )


def _normalized_axes(op_name, x, axis):
    shape = tuple(shape_rules.shape_of(x))
    if not shape:
        raise ValueError(f"{op_name} expects x of rank >= 1. Received: x.shape={shape}")
    return shape, shape_rules.canonical_axes(axis, len(shape), op_name)


def _layer_normalization_rule(x, gamma=None, beta=None, axis=-1, epsilon=None, rms_scaling=False):
    shape, axes = _normalized_axes("layer_normalization", x, axis)
    _check_parameter("layer_normalization", "gamma", gamma, shape, axes)
    _check_parameter("layer_normalization", "beta", beta, shape, axes)
    return shape_rules.unary_float(x)


@symbolic(_layer_normalization_rule)
def _layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, rms_scaling=False):
    """`layer_normalization` without the deprecation warning (the layer warns once, when built)."""
    _, axes = _normalized_axes("layer_normalization", x, axis)
    _layer_normalization_rule(x, gamma, beta, axis, epsilon, rms_scaling)
    epsilon = config.epsilon() if epsilon is None else epsilon
    return current.nn.layer_normalization(
        x, gamma=gamma, beta=beta, axis=axes, epsilon=epsilon, rms_scaling=rms_scaling
    )


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    """Layer normalization (Ba et al., 2016): normalizes each sample over `axis`.

    Computes `(x - mean) / sqrt(variance + epsilon) * gamma + beta`, with the
    mean and variance taken over `axis` for each sample. float16 and bfloat16
    inputs are normalized in float32 and cast back.

    Args:
        x: Input tensor (rank >= 1).
        gamma: Optional scale, shaped like the normalized axes (or of the rank of
            `x`, broadcasting against it).
        beta: Optional offset, shaped like `gamma`.
        axis: An int or a list/tuple of ints, the axes to normalize (default -1).
        epsilon: Added to the variance (default `epsilon()`, i.e. 1e-7).
        **kwargs: `rms_scaling` (deprecated, default False): divide by the standard
            deviation without centering and ignore `beta`; prefer
            `rms_normalization`.

    Returns:
        A float tensor shaped like `x`.

    Example:

    >>> import numpy as np
    >>> import lamina
    >>> x = lamina.ops.arange(5, dtype="float32")
    >>> print(np.round(lamina.ops.convert_to_numpy(lamina.ops.layer_normalization(x)), 4))
    [-1.4142 -0.7071  0.      0.7071  1.4142]
    """
    rms_scaling = kwargs.pop("rms_scaling", False)
    if kwargs:
        raise TypeError(
            f"layer_normalization got unexpected keyword arguments {sorted(kwargs)}; "
            "the only extra one it accepts is rms_scaling."
        )
    if rms_scaling:
        warnings.warn(
            "layer_normalization(rms_scaling=True) is deprecated: it divides by the standard "
            "deviation, not the root mean square. Use lamina.ops.rms_normalization instead.",
            stacklevel=2,
        )
    return _layer_normalization(
        x, gamma=gamma, beta=beta, axis=axis, epsilon=epsilon, rms_scaling=rms_scaling
    )


def _rms_normalization_rule(x, scale=None, axis=-1, epsilon=None):
    shape, axes = _normalized_axes("rms_normalization", x, axis)
    _check_parameter("rms_normalization", "scale", scale, shape, axes)
    return shape_rules.unary_float(x)


@symbolic(_rms_normalization_rule)
def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    """Root mean square normalization (Zhang & Sennrich, 2019).

    Computes `x * rsqrt(mean(square(x), axis) + epsilon) * scale`. Unlike
    `layer_normalization`, `x` is not centered. float16 and bfloat16 inputs are
    normalized in float32 and cast back.

    Args:
        x: Input tensor (rank >= 1).
        scale: Optional scale, shaped like the normalized axes (or of the rank of
            `x`, broadcasting against it).
        axis: An int or a list/tuple of ints, the axes to normalize (default -1).
        epsilon: Added to the mean square (default `epsilon()`, i.e. 1e-7).

    Returns:
        A float tensor shaped like `x`.

    Example:

    >>> import numpy as np
    >>> import lamina
    >>> y = lamina.ops.rms_normalization([[3.0, 4.0, 0.0, 0.0]], epsilon=0.0)
    >>> print(np.round(lamina.ops.convert_to_numpy(y), 4))
    [[1.2 1.6 0.  0. ]]
    """
    _, axes = _normalized_axes("rms_normalization", x, axis)
    _rms_normalization_rule(x, scale, axis, epsilon)
    epsilon = config.epsilon() if epsilon is None else epsilon
    return current.nn.rms_normalization(x, scale=scale, axis=axes, epsilon=epsilon)
