"""Element-wise exponentials, logarithms and roots; integer inputs give `floatx()`."""

from lamina.backend import current
from lamina.ops import shape_rules
from lamina.ops.dispatch import symbolic


def _binary_float_rule(op_name):
    def rule(x1, x2):
        return shape_rules.elementwise_float(x1, x2, op_name=op_name)

    return rule


@symbolic(shape_rules.unary_float)
def sqrt(x):
    """Returns the non-negative square root of `x`, element-wise.

    Args:
        x: A tensor.

    Returns:
        A float tensor of the same shape.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.sqrt([4.0, 9.0])).tolist()
    [2.0, 3.0]
    """
    return current.numpy.sqrt(x)


@symbolic(shape_rules.unary_float)
def exp(x):
    """Returns `e ** x`, element-wise.

    Args:
        x: A tensor.

    Returns:
        A float tensor of the same shape.

    Example:

    >>> from lamina import ops
    >>> print(ops.convert_to_numpy(ops.exp([0.0, 1.0])).round(4))
    [1.     2.7183]
    """
    return current.numpy.exp(x)


@symbolic(shape_rules.unary_float)
def expm1(x):
    """Returns `exp(x) - 1`, element-wise, accurate near zero.

    Args:
        x: A tensor.

    Returns:
        A float tensor of the same shape.

    Example:

    >>> from lamina import ops
    >>> print(ops.convert_to_numpy(ops.expm1([0.0, 1.0])).round(4))
    [0.     1.7183]
    """
    return current.numpy.expm1(x)


@symbolic(shape_rules.unary_float)
def log(x):
    """Returns the natural logarithm of `x`, element-wise.

    Args:
        x: A tensor.

    Returns:
        A float tensor of the same shape.

    Example:

    >>> from lamina import ops
    >>> print(ops.convert_to_numpy(ops.log([1.0, 10.0])).round(4))
    [0.     2.3026]
    """
    return current.numpy.log(x)


@symbolic(shape_rules.unary_float)
def log1p(x):
    """Returns `log(1 + x)`, element-wise, accurate near zero.

    Args:
        x: A tensor.

    Returns:
        A float tensor of the same shape.

    Example:

    >>> from lamina import ops
    >>> print(ops.convert_to_numpy(ops.log1p([0.0, 1.0])).round(4))
    [0.     0.6931]
    """
    return current.numpy.log1p(x)


@symbolic(shape_rules.unary_float)
def log2(x):
    """Returns the base-2 logarithm of `x`, element-wise.

    Args:
        x: A tensor.

    Returns:
        A float tensor of the same shape.

    Example:

    >>> from lamina import ops
    >>> print(ops.convert_to_numpy(ops.log2([1.0, 8.0])).round(4))
    [0. 3.]
    """
    return current.numpy.log2(x)


@symbolic(shape_rules.unary_float)
def log10(x):
    """Returns the base-10 logarithm of `x`, element-wise.

    Args:
        x: A tensor.

    Returns:
        A float tensor of the same shape.

    Example:

    >>> from lamina import ops
    >>> print(ops.convert_to_numpy(ops.log10([1.0, 100.0])).round(4))
    [0. 2.]
    """
    return current.numpy.log10(x)


@symbolic(_binary_float_rule("logaddexp"))
def logaddexp(x1, x2):
    """Returns `log(exp(x1) + exp(x2))`, element-wise, without overflow.

    Args:
        x1: A tensor.
        x2: A tensor, broadcastable with `x1`.

    Returns:
        A float tensor of the broadcast shape.

    Example:

    >>> from lamina import ops
    >>> print(ops.convert_to_numpy(ops.logaddexp([0.0, 1.0], [0.0, 1.0])).round(4))
    [0.6931 1.6931]
    """
    return current.numpy.logaddexp(x1, x2)
