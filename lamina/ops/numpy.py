"""NumPy-like ops: creation, elementwise math, reductions, shapes, indexing.

Each op is its eager implementation (a call into the active backend)
decorated with its shape rule, so it also works on `KerasTensor`s.
"""

from lamina.backend import current
from lamina.backend.common import dtypes
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.ops import shape_rules
from lamina.ops.dispatch import symbolic


# -- creation -----------------------------------------------------------------------


def zeros(shape, dtype=None):
    """Returns a tensor of zeros.

    Args:
        shape: Tuple of ints.
        dtype: Dtype (default `floatx()`).

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(lamina.ops.zeros((2,))).tolist()
    [0.0, 0.0]
    """
    return current.numpy.zeros(shape, dtype=dtypes.standardize_dtype(dtype))


def ones(shape, dtype=None):
    """Returns a tensor of ones.

    Args:
        shape: Tuple of ints.
        dtype: Dtype (default `floatx()`).

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(lamina.ops.ones((2,))).tolist()
    [1.0, 1.0]
    """
    return current.numpy.ones(shape, dtype=dtypes.standardize_dtype(dtype))


# -- elementwise arithmetic ---------------------------------------------------------


def _binary_rule(op_name):
    def rule(x1, x2):
        return shape_rules.elementwise(x1, x2, op_name=op_name)

    return rule


@symbolic(_binary_rule("add"))
def add(x1, x2):
    """Adds `x1` and `x2` element-wise, with broadcasting.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(lamina.ops.add([1.0, 2.0], 1.0)).tolist()
    [2.0, 3.0]
    """
    return current.numpy.add(x1, x2)


@symbolic(_binary_rule("subtract"))
def subtract(x1, x2):
    """Subtracts `x2` from `x1` element-wise.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(lamina.ops.subtract([3.0], [1.0])).tolist()
    [2.0]
    """
    return current.numpy.subtract(x1, x2)


@symbolic(_binary_rule("multiply"))
def multiply(x1, x2):
    """Multiplies `x1` and `x2` element-wise.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(lamina.ops.multiply([2.0], [3.0])).tolist()
    [6.0]
    """
    return current.numpy.multiply(x1, x2)


def _matmul_rule(x1, x2):
    shape1, shape2 = shape_rules.shape_of(x1), shape_rules.shape_of(x2)
    if not shape1 or not shape2:
        raise ValueError(f"matmul needs tensors of rank >= 1. Received shapes {shape1} and {shape2}.")
    left = shape1 if len(shape1) > 1 else (1,) + shape1
    right = shape2 if len(shape2) > 1 else shape2 + (1,)
    if left[-1] is not None and right[-2] is not None and left[-1] != right[-2]:
        raise ValueError(
            f"matmul: the last axis of x1 (size {left[-1]}) must match the second to "
            f"last axis of x2 (size {right[-2]}). Received shapes {shape1} and {shape2}."
        )
    batch = shape_rules.broadcast_shapes(left[:-2], right[:-2], op_name="matmul")
    shape = batch + left[-2:-1] + right[-1:]
    if len(shape1) == 1:
        shape = shape[:-2] + shape[-1:]
    if len(shape2) == 1:
        shape = shape[:-1]
    return KerasTensor(shape, dtype=dtypes.result_type(x1, x2))


@symbolic(_matmul_rule)
def matmul(x1, x2):
    """Matrix product of `x1` and `x2` (batched over leading axes).

    Example:

    >>> import lamina
    >>> lamina.ops.matmul(lamina.ops.ones((2, 3)), lamina.ops.ones((3, 4))).shape
    (2, 4)
    """
    return current.numpy.matmul(x1, x2)
