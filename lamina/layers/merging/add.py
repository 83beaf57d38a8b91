"""`Add`: element-wise sum of a list of inputs."""

from lamina import ops
from lamina.layers.merging.base_merge import Merge


class Add(Merge):
    """Adds a list of inputs element-wise.

    It takes a list of tensors of the same shape (or shapes that broadcast on
    their non-batch axes) and returns one tensor of the broadcast shape.

    Args:
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Call arguments:
        inputs: A list of tensors.

    Example:

    >>> import lamina
    >>> x1 = lamina.ops.convert_to_tensor([[1.0, 5.0]])
    >>> x2 = lamina.ops.convert_to_tensor([[3.0, 2.0]])
    >>> lamina.ops.convert_to_numpy(lamina.layers.Add()([x1, x2])).tolist()
    [[4.0, 7.0]]
    """

    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = ops.add(output, x)
        return output


def add(inputs, **kwargs):
    """Functional form of the `Add` layer: `Add(**kwargs)(inputs)`.

    Args:
        inputs: A list of tensors.
        **kwargs: Base layer arguments (`name`, `dtype`, ...).

    Returns:
        The merged tensor.

    Example:

    >>> import lamina
    >>> x = lamina.KerasTensor((None, 4))
    >>> lamina.ops.shape(lamina.layers.add([x, x]))
    (None, 4)
    """
    return Add(**kwargs)(inputs)
