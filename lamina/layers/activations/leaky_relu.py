"""`LeakyReLU`: `x` for `x >= 0`, `negative_slope * x` otherwise."""

import warnings

from lamina import activations
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.layer import Layer


class LeakyReLU(Layer):
    """Leaky version of a Rectified Linear Unit activation layer.

    Computes `x` for `x >= 0` and `negative_slope * x` otherwise, so a small
    gradient flows when the unit is not active.

    Args:
        negative_slope: Float >= 0, the slope for negative inputs (default
            0.3). The Keras 2 name `alpha` is accepted with a warning.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Input shape:
        Any shape.

    Output shape:
        Same as the input.

    Example:

    >>> import lamina
    >>> layer = lamina.layers.LeakyReLU(negative_slope=0.5)
    >>> lamina.ops.convert_to_numpy(layer(lamina.ops.convert_to_tensor([-2.0, 3.0]))).tolist()
    [-1.0, 3.0]
    """

    def __init__(self, negative_slope=0.3, **kwargs):
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
            warnings.warn("Argument `alpha` is deprecated. Use `negative_slope` instead.", stacklevel=2)
        super().__init__(**kwargs)
        if negative_slope is None or negative_slope < 0:
            raise ValueError(
                f"LeakyReLU layer '{self.name}': negative_slope cannot be None or negative; expected "
                f"a float >= 0. Received: negative_slope={negative_slope}"
            )
        self.negative_slope = negative_slope
        self.built = True

    def call(self, inputs):
        return activations.leaky_relu(inputs, negative_slope=self.negative_slope)

    def compute_mask(self, inputs, previous_mask=None):
        return previous_mask

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def compute_output_spec(self, inputs):
        return KerasTensor(inputs.shape, dtype=self.dtype_policy.compute_dtype)

    def get_config(self):
        config = super().get_config()
        config["negative_slope"] = self.negative_slope
        return config
