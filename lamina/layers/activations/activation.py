"""`Activation`: applies an activation function to its input."""

from lamina import activations
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.layer import Layer


class Activation(Layer):
    """Applies an activation function to an output.

    Args:
        activation: An activation function or the name of one (`"relu"`,
            `"softmax"`, ...). None means linear.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Input shape:
        Any shape.

    Output shape:
        Same as the input.

    Example:

    >>> import lamina
    >>> layer = lamina.layers.Activation("relu")
    >>> lamina.ops.convert_to_numpy(layer(lamina.ops.convert_to_tensor([-3.0, 2.0]))).tolist()
    [0.0, 2.0]
    """

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)
        self.built = True

    def call(self, inputs):
        return self.activation(inputs)

    def compute_mask(self, inputs, previous_mask):
        return previous_mask

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def compute_output_spec(self, inputs):
        dtype = inputs.dtype
        if self.autocast and dtype.startswith(("float", "bfloat")):
            dtype = self.dtype_policy.compute_dtype
        return KerasTensor(inputs.shape, dtype=dtype)

    def get_config(self):
        config = super().get_config()
        config["activation"] = activations.serialize(self.activation)
        return config
