"""`Maximum`: element-wise maximum of a list of inputs."""

from lamina import ops
from lamina.layers.merging.base_merge import Merge


class Maximum(Merge):
    """Takes the element-wise maximum of a list of inputs.

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
    >>> lamina.ops.convert_to_numpy(lamina.layers.Maximum()([x1, x2])).tolist()
    [[3.0, 5.0]]
    """

    def _merge_function(self, inputs):
        return self._apply_masked(ops.maximum, inputs)


def maximum(inputs, **kwargs):
    """Functional form of the `Maximum` layer: `Maximum(**kwargs)(inputs)`.

    Args:
        inputs: A list of tensors.
        **kwargs: Base layer arguments (`name`, `dtype`, ...).

    Returns:
        The merged tensor.

    Example:

    >>> import lamina
    >>> x = lamina.KerasTensor((None, 4))
    >>> lamina.ops.shape(lamina.layers.maximum([x, x]))
    (None, 4)
    """
    return Maximum(**kwargs)(inputs)
