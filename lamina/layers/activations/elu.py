"""`ELU`: the exponential linear unit as a layer."""

from lamina import activations
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.layer import Layer


class ELU(Layer):
    """Applies an Exponential Linear Unit function to an output.

    Computes `x` for `x > 0` and `alpha * (exp(x) - 1)` otherwise.

    Args:
        alpha: Float, the saturation value for negative inputs (default 1.0).
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Input shape:
        Any shape.

    Output shape:
        Same as the input.

    Example:

    >>> import lamina
    >>> layer = lamina.layers.ELU(alpha=2.0)
    >>> lamina.ops.convert_to_numpy(layer(lamina.ops.convert_to_tensor([0.0, 3.0]))).tolist()
    [0.0, 3.0]
    """

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = alpha
        self.built = True

    def call(self, inputs):
        return activations.elu(inputs, alpha=self.alpha)

    def compute_mask(self, inputs, previous_mask=None):
        return previous_mask

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def compute_output_spec(self, inputs):
        return KerasTensor(inputs.shape, dtype=self.dtype_policy.compute_dtype)

    def get_config(self):
        config = super().get_config()
        config["alpha"] = self.alpha
        return config
