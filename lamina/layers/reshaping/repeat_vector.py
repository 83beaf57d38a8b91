"""`RepeatVector`: repeats a `(batch, features)` input `n` times along a new axis."""

from lamina import ops
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer


class RepeatVector(Layer):
    """Repeats the input `n` times.

    Args:
        n: Positive integer, the repetition factor.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Input shape:
        2D tensor `(batch_size, features)`.

    Output shape:
        3D tensor `(batch_size, n, features)`.

    Example:

    >>> import lamina
    >>> lamina.layers.RepeatVector(3)(lamina.ops.ones((2, 4))).shape
    (2, 3, 4)
    """

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(n, int) or isinstance(n, bool) or n <= 0:
            raise ValueError(
                f"RepeatVector layer '{self.name}' expects n to be a positive integer. Received: n={n!r}"
            )
        self.n = n
        self.input_spec = InputSpec(ndim=2)
        self.built = True

    def call(self, inputs):
        return ops.repeat(ops.expand_dims(inputs, 1), self.n, axis=1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def compute_output_spec(self, inputs):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=inputs.dtype)

    def get_config(self):
        config = super().get_config()
        config["n"] = self.n
        return config
