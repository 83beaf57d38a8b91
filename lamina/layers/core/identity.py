"""`Identity`: returns its input unchanged."""

import optree

from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.layer import Layer


class Identity(Layer):
    """Identity layer: returns its inputs (any nest of tensors) unchanged.

    Useful as a placeholder, e.g. for an optional block switched off by
    configuration. Masks pass through.

    Args:
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Example:

    >>> import lamina
    >>> x = lamina.ops.ones((2, 3))
    >>> lamina.layers.Identity()(x).shape
    (2, 3)
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.built = True

    def call(self, inputs):
        return inputs

    def compute_mask(self, inputs, previous_mask=None):
        return previous_mask

    def compute_output_shape(self, input_shape):
        return input_shape

    def compute_output_spec(self, inputs):
        return optree.tree_map(
            lambda tensor: KerasTensor(tensor.shape, dtype=tensor.dtype),
            inputs,
            is_leaf=lambda value: isinstance(value, KerasTensor),
        )

    def get_config(self):
        return super().get_config()
