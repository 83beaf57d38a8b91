"""`RMSNormalization`: divides each sample by its root mean square over `axis`."""

from lamina import ops
from lamina.backend import result_type
from lamina.layers.layer import Layer
from lamina.layers.normalization.axis_utils import check_axes_in_range
from lamina.layers.normalization.axis_utils import standardize_axis_argument


class RMSNormalization(Layer):
    """Root mean square normalization (Zhang & Sennrich, 2019).

    Output: `x * rsqrt(mean(square(x), axis) + epsilon) * scale`, where
    `scale` is a learned weight shaped like the normalized axes (initialized
    to ones).

    Args:
        axis: Int or list/tuple of ints, the axes to normalize (default -1).
        epsilon: Small float added to the mean square (default 1e-6).
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Example:

    >>> import lamina
    >>> layer = lamina.layers.RMSNormalization(epsilon=0.0)
    >>> lamina.ops.convert_to_numpy(layer(lamina.ops.convert_to_tensor([[3.0, 4.0, 0.0, 0.0]]))).tolist()
    [[1.2000000476837158, 1.600000023841858, 0.0, 0.0]]
    >>> [w.path for w in layer.weights]
    ['rms_normalization/scale']
    """

    def __init__(self, axis=-1, epsilon=1e-6, **kwargs):
        super().__init__(**kwargs)
        self.axis = standardize_axis_argument(self.name, "RMSNormalization", axis)
        self.epsilon = epsilon

    def build(self, input_shape):
        check_axes_in_range(self._describe(), self.axis, input_shape)
        self.axis = sorted(self.axis) if isinstance(self.axis, list) else [self.axis]
        shape = tuple(input_shape[dim] for dim in self.axis)
        if None in shape:
            raise ValueError(
                f"{self._describe()} needs to know the size of axes {self.axis} of its inputs. "
                f"Received input_shape={tuple(input_shape)}."
            )
        self.scale = self.add_weight(name="scale", shape=shape, initializer="ones")

    def call(self, inputs):
        input_dtype = inputs.dtype
        inputs = ops.cast(inputs, result_type(input_dtype, "float32"))
        scale = ops.cast(self.scale, inputs.dtype)
        outputs = ops.rms_normalization(inputs, scale=scale, axis=self.axis, epsilon=self.epsilon)
        return ops.cast(outputs, input_dtype)

    def compute_output_shape(self, input_shape):
        check_axes_in_range(self._describe(), self.axis, input_shape)
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({"axis": self.axis, "epsilon": self.epsilon})
        return config
