"""`Permute`: reorders the non-batch axes of its input."""

from lamina import ops
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer


class Permute(Layer):
    """Permutes the dimensions of the input according to a given pattern.

    Useful e.g. to connect RNNs and convnets.

    Args:
        dims: Tuple of integers, the permutation pattern, without the batch
            axis. Indexing starts at 1: `(2, 1)` swaps the first and second
            axes after the batch axis.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Input shape:
        Any shape of rank `len(dims) + 1`.

    Output shape:
        The input shape with its non-batch axes reordered by `dims`.

    Example:

    >>> import lamina
    >>> lamina.layers.Permute((2, 1))(lamina.ops.ones((2, 3, 4))).shape
    (2, 4, 3)
    """

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        dims = tuple(dims)
        if sorted(dims) != list(range(1, len(dims) + 1)):
            raise ValueError(
                f"Permute layer '{self.name}' expects dims to be a permutation of 1..{len(dims)} "
                f"(indexing starts at 1, the batch axis is not listed). Received: dims={dims}"
            )
        self.dims = dims
        self.input_spec = InputSpec(ndim=len(dims) + 1)
        self.built = True

    def call(self, inputs):
        return ops.transpose(inputs, (0,) + self.dims)

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + tuple(input_shape[dim] for dim in self.dims)

    def compute_output_spec(self, inputs):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=inputs.dtype)

    def get_config(self):
        config = super().get_config()
        config["dims"] = self.dims
        return config
