"""`Rescaling`: multiplies inputs by `scale` and adds `offset`."""

from lamina import config
from lamina import ops
from lamina.layers.layer import Layer


class Rescaling(Layer):
    """Rescales inputs to a new range: `inputs * scale + offset`.

    For example, `Rescaling(1.0 / 255)` maps `[0, 255]` to `[0, 1]`, and
    `Rescaling(1.0 / 127.5, offset=-1)` maps it to `[-1, 1]`. Inputs are cast
    to the layer's compute dtype first.

    Args:
        scale: Float (or a per-channel list of floats) the inputs are multiplied by.
        offset: Float (or a per-channel list of floats) added afterwards.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Call arguments:
        inputs: A tensor of any shape.

    Example:

    >>> import lamina
    >>> layer = lamina.layers.Rescaling(1.0 / 255)
    >>> lamina.ops.convert_to_numpy(layer(lamina.ops.full((1, 2), 255.0))).tolist()
    [[1.0, 1.0]]
    """

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale
        self.offset = offset
        self.supports_masking = True
        self.built = True

    def _parameter(self, value):
        value = ops.cast(value, self.dtype_policy.compute_dtype)
        shape = tuple(ops.shape(value))
        if shape and config.image_data_format() == "channels_first":
            value = ops.reshape(value, shape + (1,) * (3 - len(shape)))
        return value

    def call(self, inputs):
        inputs = ops.cast(inputs, self.dtype_policy.compute_dtype)
        return inputs * self._parameter(self.scale) + self._parameter(self.offset)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def compute_mask(self, inputs, previous_mask):
        return previous_mask

    def get_config(self):
        config_dict = super().get_config()
        config_dict.update({"scale": self.scale, "offset": self.offset})
        return config_dict
