"""Element-wise arithmetic: + - * / // % **, extrema, sign and absolute value."""

from lamina.backend import current
from lamina.ops import shape_rules
from lamina.ops.dispatch import symbolic


def _binary_rule(op_name):
    def rule(x1, x2):
        return shape_rules.elementwise(x1, x2, op_name=op_name)

    return rule


def _binary_float_rule(op_name):
    def rule(x1, x2):
        return shape_rules.elementwise_float(x1, x2, op_name=op_name)

    return rule


def _binary_integer_rule(op_name):
    """Like `_binary_rule`, but bool operands give int32 (as in JAX for //, % and **)."""

    def rule(x1, x2):
        spec = shape_rules.elementwise(x1, x2, op_name=op_name)
        if spec.dtype == "bool":
            spec = shape_rules.elementwise(x1, x2, dtype="int32", op_name=op_name)
        return spec

    return rule


@symbolic(_binary_rule("add"))
def add(x1, x2):
    """Adds `x1` and `x2` element-wise, with broadcasting.

    Args:
        x1: A tensor or a Python scalar.
        x2: A tensor or a Python scalar.

    Returns:
        The sum, in the promoted dtype (Python scalars adopt the tensor's dtype).

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.add([1.0, 2.0], 1.0)).tolist()
    [2.0, 3.0]
    """
    return current.numpy.add(x1, x2)


@symbolic(_binary_rule("subtract"))
def subtract(x1, x2):
    """Subtracts `x2` from `x1` element-wise.

    Args:
        x1: A tensor or a Python scalar.
        x2: A tensor or a Python scalar.

    Returns:
        The difference, in the promoted dtype.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.subtract([3.0], [1.0])).tolist()
    [2.0]
    """
    return current.numpy.subtract(x1, x2)


@symbolic(_binary_rule("multiply"))
def multiply(x1, x2):
    """Multiplies `x1` and `x2` element-wise.

    Args:
        x1: A tensor or a Python scalar.
        x2: A tensor or a Python scalar.

    Returns:
        The product, in the promoted dtype.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.multiply([2.0], [3.0])).tolist()
    [6.0]
    """
    return current.numpy.multiply(x1, x2)


@symbolic(_binary_float_rule("true_divide"))
def true_divide(x1, x2):
    """Divides `x1` by `x2` element-wise; integers give `floatx()`.

    Args:
        x1: The dividend.
        x2: The divisor.

    Returns:
        The quotient, a float tensor.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.true_divide([3, 4], 2)).tolist()
    [1.5, 2.0]
    """
    return current.numpy.true_divide(x1, x2)


@symbolic(_binary_float_rule("divide_no_nan"))
def divide_no_nan(x1, x2):
    """Divides `x1` by `x2` element-wise, giving 0 where `x2` is 0 (and a finite gradient there).

    Args:
        x1: The dividend.
        x2: The divisor.

    Returns:
        The quotient, a float tensor, with zeros where `x2 == 0`.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.divide_no_nan([3.0, 4.0], [2.0, 0.0])).tolist()
    [1.5, 0.0]
    """
    return current.numpy.divide_no_nan(x1, x2)


@symbolic(_binary_float_rule("divide"))
def divide(x1, x2):
    """Divides `x1` by `x2` element-wise (the same as `true_divide`).

    Args:
        x1: The dividend.
        x2: The divisor.

    Returns:
        The quotient, a float tensor.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.divide([1.0, 3.0], [2.0, 4.0])).tolist()
    [0.5, 0.75]
    """
    return current.numpy.true_divide(x1, x2)


@symbolic(_binary_integer_rule("floor_divide"))
def floor_divide(x1, x2):
    """Divides `x1` by `x2` element-wise and rounds toward minus infinity.

    Args:
        x1: The dividend.
        x2: The divisor.

    Returns:
        `floor(x1 / x2)`, in the promoted dtype.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.floor_divide([7, -7], 2)).tolist()
    [3, -4]
    """
    return current.numpy.floor_divide(x1, x2)


@symbolic(_binary_integer_rule("mod"))
def mod(x1, x2):
    """Returns the element-wise remainder of `x1 / x2`, with the sign of `x2` (as NumPy).

    Args:
        x1: The dividend.
        x2: The divisor.

    Returns:
        `x1 - floor_divide(x1, x2) * x2`.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.mod([7, -7], 3)).tolist()
    [1, 2]
    """
    return current.numpy.mod(x1, x2)


@symbolic(_binary_integer_rule("power"))
def power(x1, x2):
    """Raises `x1` to the power `x2`, element-wise.

    Args:
        x1: The bases.
        x2: The exponents.

    Returns:
        `x1 ** x2`, in the promoted dtype.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.power([2, 3], 2)).tolist()
    [4, 9]
    """
    return current.numpy.power(x1, x2)


@symbolic(_binary_rule("maximum"))
def maximum(x1, x2):
    """Returns the element-wise maximum of `x1` and `x2`.

    Args:
        x1: A tensor or a Python scalar.
        x2: A tensor or a Python scalar.

    Returns:
        The larger of each pair, in the promoted dtype.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.maximum([1.0, 5.0], 2.0)).tolist()
    [2.0, 5.0]
    """
    return current.numpy.maximum(x1, x2)


@symbolic(_binary_rule("minimum"))
def minimum(x1, x2):
    """Returns the element-wise minimum of `x1` and `x2`.

    Args:
        x1: A tensor or a Python scalar.
        x2: A tensor or a Python scalar.

    Returns:
        The smaller of each pair, in the promoted dtype.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.minimum([1.0, 5.0], 2.0)).tolist()
    [1.0, 2.0]
    """
    return current.numpy.minimum(x1, x2)


@symbolic(shape_rules.unary)
def negative(x):
    """Returns `-x` element-wise.

    Args:
        x: A tensor.

    Returns:
        A tensor of the same shape and dtype.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.negative([1.0, -2.0])).tolist()
    [-1.0, 2.0]
    """
    return current.numpy.negative(x)


@symbolic(shape_rules.unary)
def absolute(x):
    """Returns the absolute value of `x`, element-wise.

    Args:
        x: A tensor.

    Returns:
        A tensor of the same shape and dtype.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.absolute([-1.5, 2.0])).tolist()
    [1.5, 2.0]
    """
    return current.numpy.absolute(x)


abs = absolute


def _square_rule(x):
    dtype = shape_rules.dtype_of(x)
    return shape_rules.unary(x, dtype="int32" if dtype == "bool" else dtype)


@symbolic(_square_rule)
def square(x):
    """Returns `x * x` element-wise (bools give int32).

    Args:
        x: A tensor.

    Returns:
        A tensor of the same shape.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.square([-2, 3])).tolist()
    [4, 9]
    """
    return current.numpy.square(x)


@symbolic(shape_rules.unary_float)
def reciprocal(x):
    """Returns `1 / x` element-wise; integers give `floatx()`.

    Args:
        x: A tensor.

    Returns:
        A float tensor of the same shape.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.reciprocal([2.0, 4.0])).tolist()
    [0.5, 0.25]
    """
    return current.numpy.reciprocal(x)


@symbolic(shape_rules.unary)
def sign(x):
    """Returns `-1`, `0` or `1` according to the sign of each element of `x`.

    Args:
        x: A tensor.

    Returns:
        A tensor of the same shape and dtype.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.sign([-3.0, 0.0, 2.0])).tolist()
    [-1.0, 0.0, 1.0]
    """
    return current.numpy.sign(x)


@symbolic(_binary_float_rule("copysign"))
def copysign(x1, x2):
    """Returns the magnitude of `x1` with the sign of `x2`, element-wise.

    Args:
        x1: The magnitudes.
        x2: The signs.

    Returns:
        A float tensor.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(ops.copysign([1.0, 2.0], [-1.0, 1.0])).tolist()
    [-1.0, 2.0]
    """
    return current.numpy.copysign(x1, x2)
