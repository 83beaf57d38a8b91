"""Element-wise trigonometric and hyperbolic functions; integer inputs give `floatx()`."""

from lamina.backend import current
from lamina.ops import shape_rules
from lamina.ops.dispatch import symbolic


def _binary_float_rule(op_name):
    def rule(x1, x2):
        return shape_rules.elementwise_float(x1, x2, op_name=op_name)

    return rule


@symbolic(shape_rules.unary_float)
def sin(x):
    """Returns the sine of `x` (in radians), element-wise.

    Args:
        x: A tensor.

    Returns:
        A float tensor of the same shape.

    Example:

    >>> from lamina import ops
    >>> print(ops.convert_to_numpy(ops.sin([0.0, 1.0])).round(4))
    [0.     0.8415]
    """
    return current.numpy.sin(x)


@symbolic(shape_rules.unary_float)
def cos(x):
    """Returns the cosine of `x` (in radians), element-wise.

    Args:
        x: A tensor.

    Returns:
        A float tensor of the same shape.

    Example:

    >>> from lamina import ops
    >>> print(ops.convert_to_numpy(ops.cos([0.0, 1.0])).round(4))
    [1.     0.5403]
    """
    return current.numpy.cos(x)


@symbolic(shape_rules.unary_float)
def tan(x):
    """Returns the tangent of `x` (in radians), element-wise.

    Args:
        x: A tensor.

    Returns:
        A float tensor of the same shape.

    Example:

    >>> from lamina import ops
    >>> print(ops.convert_to_numpy(ops.tan([0.0, 1.0])).round(4))
    [0.     1.5574]
    """
    return current.numpy.tan(x)


@symbolic(shape_rules.unary_float)
def arcsin(x):
    """Returns the inverse sine of `x`, element-wise, in `[-pi/2, pi/2]`.

    Args:
        x: A tensor.

    Returns:
        A float tensor of the same shape.

    Example:

    >>> from lamina import ops
    >>> print(ops.convert_to_numpy(ops.arcsin([0.0, 1.0])).round(4))
    [0.     1.5708]
    """
    return current.numpy.arcsin(x)


@symbolic(shape_rules.unary_float)
def arccos(x):
    """Returns the inverse cosine of `x`, element-wise, in `[0, pi]`.

    Args:
        x: A tensor.

    Returns:
        A float tensor of the same shape.

    Example:

    >>> from lamina import ops
    >>> print(ops.convert_to_numpy(ops.arccos([1.0, 0.0])).round(4))
    [0.     1.5708]
    """
    return current.numpy.arccos(x)


@symbolic(shape_rules.unary_float)
def arctan(x):
    """Returns the inverse tangent of `x`, element-wise, in `(-pi/2, pi/2)`.

    Args:
        x: A tensor.

    Returns:
        A float tensor of the same shape.

    Example:

    >>> from lamina import ops
    >>> print(ops.convert_to_numpy(ops.arctan([0.0, 1.0])).round(4))
    [0.     0.7854]
    """
    return current.numpy.arctan(x)


@symbolic(shape_rules.unary_float)
def sinh(x):
    """Returns the hyperbolic sine of `x`, element-wise.

    Args:
        x: A tensor.

    Returns:
        A float tensor of the same shape.

    Example:

    >>> from lamina import ops
    >>> print(ops.convert_to_numpy(ops.sinh([0.0, 1.0])).round(4))
    [0.     1.1752]
    """
    return current.numpy.sinh(x)


@symbolic(shape_rules.unary_float)
def cosh(x):
    """Returns the hyperbolic cosine of `x`, element-wise.

    Args:
        x: A tensor.

    Returns:
        A float tensor of the same shape.

    Example:

    >>> from lamina import ops
    >>> print(ops.convert_to_numpy(ops.cosh([0.0, 1.0])).round(4))
    [1.     1.5431]
    """
    return current.numpy.cosh(x)


@symbolic(shape_rules.unary_float)
def tanh(x):
    """Returns the hyperbolic tangent of `x`, element-wise.

    Args:
        x: A tensor.

    Returns:
        A float tensor of the same shape.

    Example:

    >>> from lamina import ops
    >>> print(ops.convert_to_numpy(ops.tanh([0.0, 1.0])).round(4))
    [0.     0.7616]
    """
    return current.numpy.tanh(x)


@symbolic(shape_rules.unary_float)
def arcsinh(x):
    """Returns the inverse hyperbolic sine of `x`, element-wise.

    Args:
        x: A tensor.

    Returns:
        A float tensor of the same shape.

    Example:

    >>> from lamina import ops
    >>> print(ops.convert_to_numpy(ops.arcsinh([0.0, 1.0])).round(4))
    [0.     0.8814]
    """
    return current.numpy.arcsinh(x)


@symbolic(shape_rules.unary_float)
def arccosh(x):
    """Returns the inverse hyperbolic cosine of `x` (`x >= 1`), element-wise.

    Args:
        x: A tensor.

    Returns:
        A float tensor of the same shape.

    Example:

    >>> from lamina import ops
    >>> print(ops.convert_to_numpy(ops.arccosh([1.0, 2.0])).round(4))
    [0.    1.317]
    """
    return current.numpy.arccosh(x)


@symbolic(shape_rules.unary_float)
def arctanh(x):
    """Returns the inverse hyperbolic tangent of `x` (`|x| < 1`), element-wise.

    Args:
        x: A tensor.

    Returns:
        A float tensor of the same shape.

    Example:

    >>> from lamina import ops
    >>> print(ops.convert_to_numpy(ops.arctanh([0.0, 0.5])).round(4))
    [0.     0.5493]
    """
    return current.numpy.arctanh(x)


@symbolic(_binary_float_rule("arctan2"))
def arctan2(x1, x2):
    """Returns the angle of the point `(x2, x1)`, element-wise, in `[-pi, pi]`.

    Args:
        x1: A tensor.
        x2: A tensor, broadcastable with `x1`.

    Returns:
        A float tensor of the broadcast shape.

    Example:

    >>> from lamina import ops
    >>> print(ops.convert_to_numpy(ops.arctan2([1.0, -1.0], [1.0, 0.0])).round(4))
    [ 0.7854 -1.5708]
    """
    return current.numpy.arctan2(x1, x2)


@symbolic(_binary_float_rule("hypot"))
def hypot(x1, x2):
    """Returns `sqrt(x1 ** 2 + x2 ** 2)`, element-wise.

    Args:
        x1: A tensor.
        x2: A tensor, broadcastable with `x1`.

    Returns:
        A float tensor of the broadcast shape.

    Example:

    >>> from lamina import ops
    >>> print(ops.convert_to_numpy(ops.hypot([3.0, 5.0], [4.0, 12.0])).round(4))
    [ 5. 13.]
    """
    return current.numpy.hypot(x1, x2)
