"""`ReLU`: the rectified linear unit as a layer, optionally leaky, capped and shifted."""

from lamina import activations
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.layer import Layer


class ReLU(Layer):
    """Rectified Linear Unit activation layer.

    Computes, element-wise:
    `max_value` if `x >= max_value`; `x` if `threshold <= x < max_value`;
    `negative_slope * (x - threshold)` otherwise.

    Args:
        max_value: Float >= 0, the largest output value (None: uncapped).
        negative_slope: Float >= 0, slope below the threshold.
        threshold: Float >= 0, the value below which the slope applies.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Input shape:
        Any shape.

    Output shape:
        Same as the input.

    Example:

    >>> import lamina
    >>> layer = lamina.layers.ReLU(max_value=2.0)
    >>> lamina.ops.convert_to_numpy(layer(lamina.ops.convert_to_tensor([-1.0, 1.0, 5.0]))).tolist()
    [0.0, 1.0, 2.0]
    """

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        if max_value is not None and max_value < 0.0:
            raise ValueError(
                f"ReLU layer '{self.name}': max_value cannot be negative. Received: max_value={max_value}"
            )
        if negative_slope is None or negative_slope < 0.0:
            raise ValueError(
                f"ReLU layer '{self.name}': negative_slope cannot be None or negative. "
                f"Received: negative_slope={negative_slope}"
            )
        if threshold is None or threshold < 0.0:
            raise ValueError(
                f"ReLU layer '{self.name}': threshold cannot be None or negative. "
                f"Received: threshold={threshold}"
            )
        self.max_value = max_value
        self.negative_slope = negative_slope
        self.threshold = threshold
        self.built = True

    def call(self, inputs):
        return activations.relu(
            inputs, negative_slope=self.negative_slope, max_value=self.max_value, threshold=self.threshold
        )

    def compute_mask(self, inputs, previous_mask=None):
        return previous_mask

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def compute_output_spec(self, inputs):
        return KerasTensor(inputs.shape, dtype=self.dtype_policy.compute_dtype)

    def get_config(self):
        config = super().get_config()
        config.update(
            {"max_value": self.max_value, "negative_slope": self.negative_slope, "threshold": self.threshold}
        )
        return config
