"""`UnitNormalization`: scales each sample to unit L2 norm over `axis`."""

from lamina import ops
from lamina.layers.layer import Layer
from lamina.layers.normalization.axis_utils import check_axes_in_range
from lamina.layers.normalization.axis_utils import standardize_axis_argument


class UnitNormalization(Layer):
    """Divides the inputs by their L2 norm over `axis`: `x / max(norm(x), 1e-12)`.

    Args:
        axis: Int or list/tuple of ints, the axes the norm runs over (default -1).
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Example:

    >>> import lamina
    >>> layer = lamina.layers.UnitNormalization()
    >>> print(lamina.ops.convert_to_numpy(layer(lamina.ops.convert_to_tensor([[3.0, 4.0]]))).round(4))
    [[0.6 0.8]]
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = standardize_axis_argument(self.name, "UnitNormalization", axis)
        self.built = True

    def call(self, inputs):
        check_axes_in_range(self._describe(), self.axis, inputs.shape)
        return ops.normalize(inputs, axis=self.axis, order=2, epsilon=1e-12)

    def compute_mask(self, inputs, previous_mask):
        return previous_mask

    def compute_output_shape(self, input_shape):
        check_axes_in_range(self._describe(), self.axis, input_shape)
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({"axis": self.axis})
        return config
