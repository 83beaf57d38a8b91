"""`Subtract`: difference of two inputs."""

from lamina import ops
from lamina.layers.merging.base_merge import Merge


class Subtract(Merge):
    """Subtracts the second input from the first: `inputs[0] - inputs[1]`.

    It takes a list of tensors of the same shape (or shapes that broadcast on
    their non-batch axes) and returns one tensor of the broadcast shape.

    Args:
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Call arguments:
        inputs: A list of tensors (exactly two).

    Example:

    >>> import lamina
    >>> x1 = lamina.ops.convert_to_tensor([[1.0, 5.0]])
    >>> x2 = lamina.ops.convert_to_tensor([[3.0, 2.0]])
    >>> lamina.ops.convert_to_numpy(lamina.layers.Subtract()([x1, x2])).tolist()
    [[-2.0, 3.0]]
    """

    _min_inputs = 2
    _max_inputs = 2

    def _merge_function(self, inputs):
        return ops.subtract(inputs[0], inputs[1])


def subtract(inputs, **kwargs):
    """Functional form of the `Subtract` layer: `Subtract(**kwargs)(inputs)`.

    Args:
        inputs: A list of tensors (exactly two).
        **kwargs: Base layer arguments (`name`, `dtype`, ...).

    Returns:
        The merged tensor.

    Example:

    >>> import lamina
    >>> x = lamina.KerasTensor((None, 4))
    >>> lamina.ops.shape(lamina.layers.subtract([x, x]))
    (None, 4)
    """
    return Subtract(**kwargs)(inputs)
