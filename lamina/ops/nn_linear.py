"""`linear`: `inputs @ kernel + bias` in one op, the computation of `Dense`.

Not part of the Keras ops namespace: layers call it so that each backend can
run the product and the bias in one kernel (PyTorch's `addmm`; XLA fuses the
two by itself). Its shapes, dtypes and errors are those of `matmul` then `add`.
"""

from lamina.backend import current
from lamina.ops.dispatch import symbolic
from lamina.ops.numpy import add
from lamina.ops.numpy import matmul


def _linear_rule(inputs, kernel, bias=None):
    outputs = matmul.shape_rule(inputs, kernel)
    return outputs if bias is None else add.shape_rule(outputs, bias)


@symbolic(_linear_rule)
def linear(inputs, kernel, bias=None):
    """Returns `matmul(inputs, kernel) + bias`, computed as one op where the backend can.

    Args:
        inputs: A tensor of rank >= 1 (`(..., input_dim)`).
        kernel: The `(input_dim, units)` kernel.
        bias: Optional bias, broadcast against the product (usually `(units,)`).

    Returns:
        The product plus the bias, of the dtype `matmul` then `add` would give.

    Example:

    >>> from lamina import ops
    >>> outputs = linear(ops.ones((2, 3)), ops.ones((3, 4)), ops.ones((4,)))
    >>> ops.convert_to_numpy(outputs).tolist()
    [[4.0, 4.0, 4.0, 4.0], [4.0, 4.0, 4.0, 4.0]]
    """
    if bias is None:
        return matmul(inputs, kernel)
    return current.nn_linear.linear(inputs, kernel, bias)
