"""`ActivityRegularization`: adds an L1/L2 penalty on its input to the losses."""

from lamina import regularizers
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.layer import Layer


class ActivityRegularization(Layer):
    """Layer that applies an update to the cost function based on input activity.

    Returns its input unchanged and adds `l1 * sum(|x|) + l2 * sum(x**2)`
    (averaged over the batch, as every activity regularizer is) to
    `layer.losses` on each call.

    Args:
        l1: L1 regularization factor (positive float).
        l2: L2 regularization factor (positive float).
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Input shape:
        Any shape.

    Output shape:
        Same as the input.

    Example:

    >>> import lamina
    >>> layer = lamina.layers.ActivityRegularization(l1=0.5)
    >>> _ = layer(lamina.ops.ones((2, 3)))
    >>> len(layer.losses)
    1
    """

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        kwargs.pop("activity_regularizer", None)
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.l1 = l1
        self.l2 = l2
        self.built = True

    def call(self, inputs):
        return inputs

    def compute_mask(self, inputs, previous_mask=None):
        return previous_mask

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def compute_output_spec(self, inputs):
        return KerasTensor(inputs.shape, dtype=inputs.dtype)

    def get_config(self):
        config = super().get_config()
        config.pop("activity_regularizer", None)
        config.update({"l1": self.l1, "l2": self.l2})
        return config
