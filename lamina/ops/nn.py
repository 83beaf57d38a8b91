"""Neural-network ops: activations and softmax; with encodings, crossentropies and moments.

Activations keep the input's shape; all but `relu` and `relu6` return floats
(integer inputs become `floatx()`). The encodings and crossentropies live in
`nn_classification.py`, the statistics in `nn_normalization.py`; this module
gathers them all as `lamina.ops.nn`.
"""

from lamina.backend import current
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.ops import shape_rules
from lamina.ops.dispatch import symbolic
from lamina.ops.nn_attention import dot_product_attention
from lamina.ops.nn_classification import binary_crossentropy
from lamina.ops.nn_classification import categorical_crossentropy
from lamina.ops.nn_classification import multi_hot
from lamina.ops.nn_classification import one_hot
from lamina.ops.nn_classification import sparse_categorical_crossentropy
from lamina.ops.nn_conv import conv
from lamina.ops.nn_conv import conv_transpose
from lamina.ops.nn_depthwise_conv import depthwise_conv
from lamina.ops.nn_depthwise_conv import separable_conv
from lamina.ops.nn_normalization import batch_normalization
from lamina.ops.nn_normalization import layer_normalization
from lamina.ops.nn_normalization import moments
from lamina.ops.nn_normalization import normalize
from lamina.ops.nn_normalization import rms_normalization
from lamina.ops.nn_pooling import average_pool
from lamina.ops.nn_pooling import max_pool

__all__ = [
    "average_pool",
    "batch_normalization",
    "binary_crossentropy",
    "categorical_crossentropy",
    "celu",
    "conv",
    "conv_transpose",
    "depthwise_conv",
    "dot_product_attention",
    "elu",
    "gelu",
    "glu",
    "hard_sigmoid",
    "hard_silu",
    "hard_swish",
    "layer_normalization",
    "leaky_relu",
    "log_sigmoid",
    "log_softmax",
    "max_pool",
    "mish",
    "moments",
    "multi_hot",
    "normalize",
    "one_hot",
    "relu",
    "relu6",
    "rms_normalization",
    "selu",
    "separable_conv",
    "sigmoid",
    "silu",
    "softmax",
    "softplus",
    "softsign",
    "sparse_categorical_crossentropy",
    "swish",
]


def _same_rule(x):
    return shape_rules.unary(x)


def _float_rule(x, *args, **kwargs):
    return shape_rules.unary_float(x)


@symbolic(_same_rule)
def relu(x):
    """Rectified linear unit: `max(x, 0)`.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(lamina.ops.relu([-1.0, 0.0, 2.0])).tolist()
    [0.0, 0.0, 2.0]
    """
    return current.nn.relu(x)


@symbolic(_same_rule)
def relu6(x):
    """ReLU capped at 6: `min(max(x, 0), 6)`.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(lamina.ops.relu6([-1.0, 3.0, 8.0])).tolist()
    [0.0, 3.0, 6.0]
    """
    return current.nn.relu6(x)


@symbolic(_float_rule)
def sigmoid(x):
    """Logistic sigmoid: `1 / (1 + exp(-x))`.

    Example:

    >>> import numpy as np
    >>> import lamina
    >>> print(np.round(lamina.ops.convert_to_numpy(lamina.ops.sigmoid([-1.0, 0.0, 1.0])), 4))
    [0.2689 0.5    0.7311]
    """
    return current.nn.sigmoid(x)


@symbolic(_float_rule)
def softplus(x):
    """Softplus: `log(1 + exp(x))`, computed without overflow.

    Example:

    >>> import numpy as np
    >>> import lamina
    >>> print(np.round(lamina.ops.convert_to_numpy(lamina.ops.softplus([-1.0, 0.0, 1.0])), 4))
    [0.3133 0.6931 1.3133]
    """
    return current.nn.softplus(x)


@symbolic(_float_rule)
def softsign(x):
    """Softsign: `x / (abs(x) + 1)`.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(lamina.ops.softsign([-1.0, 0.0, 3.0])).tolist()
    [-0.5, 0.0, 0.75]
    """
    return current.nn.softsign(x)


@symbolic(_float_rule)
def silu(x):
    """Sigmoid linear unit (also called swish): `x * sigmoid(x)`.

    Example:

    >>> import numpy as np
    >>> import lamina
    >>> print(np.round(lamina.ops.convert_to_numpy(lamina.ops.silu([-1.0, 0.0, 1.0])), 4))
    [-0.2689  0.      0.7311]
    """
    return current.nn.silu(x)


swish = silu


@symbolic(_float_rule)
def log_sigmoid(x):
    """Logarithm of the sigmoid: `-softplus(-x)`, stable for large `|x|`.

    Example:

    >>> import numpy as np
    >>> import lamina
    >>> print(np.round(lamina.ops.convert_to_numpy(lamina.ops.log_sigmoid([-1.0, 0.0])), 4))
    [-1.3133 -0.6931]
    """
    return current.nn.log_sigmoid(x)


@symbolic(_float_rule)
def leaky_relu(x, negative_slope=0.2):
    """Leaky ReLU: `x` where `x >= 0`, else `negative_slope * x`.

    Args:
        x: Input tensor.
        negative_slope: Slope for negative inputs (default 0.2).

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(lamina.ops.leaky_relu([-2.0, 3.0], negative_slope=0.5)).tolist()
    [-1.0, 3.0]
    """
    return current.nn.leaky_relu(x, negative_slope=negative_slope)


@symbolic(_float_rule)
def hard_sigmoid(x):
    """Piecewise-linear sigmoid: `relu6(x + 3) / 6`.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(lamina.ops.hard_sigmoid([-4.0, 0.0, 4.0])).tolist()
    [0.0, 0.5, 1.0]
    """
    return current.nn.hard_sigmoid(x)


@symbolic(_float_rule)
def hard_silu(x):
    """Hard SiLU (also called hard swish): `x * relu6(x + 3) / 6`.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(lamina.ops.hard_silu([-4.0, 0.0, 4.0])).tolist()
    [-0.0, 0.0, 4.0]
    """
    return current.nn.hard_silu(x)


hard_swish = hard_silu


@symbolic(_float_rule)
def elu(x, alpha=1.0):
    """Exponential linear unit: `x` where `x > 0`, else `alpha * (exp(x) - 1)`.

    Args:
        x: Input tensor.
        alpha: Scale of the negative part (default 1.0).

    Example:

    >>> import numpy as np
    >>> import lamina
    >>> print(np.round(lamina.ops.convert_to_numpy(lamina.ops.elu([-1.0, 2.0])), 4))
    [-0.6321  2.    ]
    """
    return current.nn.elu(x, alpha=alpha)


@symbolic(_float_rule)
def selu(x):
    """Scaled ELU: `scale * elu(x, alpha)` with `alpha ~ 1.6733`, `scale ~ 1.0507`.

    Example:

    >>> import numpy as np
    >>> import lamina
    >>> print(np.round(lamina.ops.convert_to_numpy(lamina.ops.selu([-1.0, 1.0])), 4))
    [-1.1113  1.0507]
    """
    return current.nn.selu(x)


@symbolic(_float_rule)
def gelu(x, approximate=True):
    """Gaussian error linear unit: `x * P(X <= x)` for a standard normal `X`.

    Args:
        x: Input tensor.
        approximate: Whether to use the tanh approximation (the default, as in
            Keras's op) or the exact erf form.

    Example:

    >>> import numpy as np
    >>> import lamina
    >>> print(np.round(lamina.ops.convert_to_numpy(lamina.ops.gelu([-1.0, 1.0], approximate=False)), 4))
    [-0.1587  0.8413]
    """
    return current.nn.gelu(x, approximate=approximate)


@symbolic(_float_rule)
def celu(x, alpha=1.0):
    """Continuously differentiable ELU: `x` where `x > 0`, else `alpha * (exp(x / alpha) - 1)`.

    Example:

    >>> import numpy as np
    >>> import lamina
    >>> print(np.round(lamina.ops.convert_to_numpy(lamina.ops.celu([-1.0, 1.0], alpha=2.0)), 4))
    [-0.7869  1.    ]
    """
    return current.nn.celu(x, alpha=alpha)


def _glu_rule(x, axis=-1):
    shape = shape_rules.shape_of(x)
    axis = shape_rules.canonical_axis(axis, len(shape), "glu")
    size = shape[axis]
    if size is not None and size % 2:
        raise ValueError(
            f"glu splits its input in two halves along axis {axis}, so that axis must "
            f"have an even size. Received: x.shape={shape}"
        )
    new_size = None if size is None else size // 2
    return KerasTensor(shape[:axis] + (new_size,) + shape[axis + 1 :], dtype=_float_rule(x).dtype)


@symbolic(_glu_rule)
def glu(x, axis=-1):
    """Gated linear unit: splits `x` in halves `a, b` along `axis`, returns `a * sigmoid(b)`.

    Args:
        x: Input tensor; its size along `axis` must be even.
        axis: The axis to split (default -1).

    Example:

    >>> import lamina
    >>> tuple(lamina.ops.glu(lamina.ops.ones((2, 6))).shape)
    (2, 3)
    """
    _glu_rule(x, axis)
    return current.nn.glu(x, axis=axis)


@symbolic(_float_rule)
def mish(x):
    """Mish: `x * tanh(softplus(x))`.

    Example:

    >>> import numpy as np
    >>> import lamina
    >>> print(np.round(lamina.ops.convert_to_numpy(lamina.ops.mish([-1.0, 1.0])), 4))
    [-0.3034  0.8651]
    """
    return current.nn.mish(x)


def _axis_argument(axis):
    return axis if axis is None or isinstance(axis, int) else tuple(axis)


def _softmax_rule(x, axis=-1):
    ndim = len(shape_rules.shape_of(x))
    axes = () if axis is None else (axis,) if isinstance(axis, int) else tuple(axis)
    for single_axis in axes:
        shape_rules.canonical_axis(single_axis, ndim, "softmax")
    return shape_rules.unary_float(x)


@symbolic(_softmax_rule)
def softmax(x, axis=-1):
    """Softmax: `exp(x) / sum(exp(x))` along `axis`, computed after subtracting the max.

    Args:
        x: Input tensor.
        axis: An int, a tuple of ints, or None for all axes (default -1).

    Example:

    >>> import numpy as np
    >>> import lamina
    >>> print(np.round(lamina.ops.convert_to_numpy(lamina.ops.softmax([-1.0, 0.0, 1.0])), 4))
    [0.09   0.2447 0.6652]
    """
    return current.nn.softmax(x, axis=_axis_argument(axis))


@symbolic(_softmax_rule)
def log_softmax(x, axis=-1):
    """Log-softmax: `x - max(x) - log(sum(exp(x - max(x))))` along `axis`.

    Args:
        x: Input tensor.
        axis: An int, a tuple of ints, or None for all axes (default -1).

    Example:

    >>> import numpy as np
    >>> import lamina
    >>> print(np.round(lamina.ops.convert_to_numpy(lamina.ops.log_softmax([-1.0, 0.0, 1.0])), 4))
    [-2.4076 -1.4076 -0.4076]
    """
    return current.nn.log_softmax(x, axis=_axis_argument(axis))
