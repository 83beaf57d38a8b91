"""`UpSampling2D`: up-samples rows and columns of 2D feature maps."""

import numpy as np

from lamina import ops
from lamina.layers.reshaping.base_spatial import BaseUpSampling

_INTERPOLATIONS = ("nearest", "bilinear")


def _linear_resize_axis(inputs, axis, factor):
    """Linear interpolation by an integer `factor` along `axis`, with half-pixel centres."""
    size = inputs.shape[axis]
    source = (np.arange(size * factor) + 0.5) / factor - 0.5
    source = np.clip(source, 0, size - 1)
    lower = np.floor(source).astype("int32")
    upper = np.minimum(lower + 1, size - 1)
    weight_shape = [1] * len(inputs.shape)
    weight_shape[axis] = size * factor
    weights = ops.cast(
        ops.convert_to_tensor((source - lower).reshape(weight_shape).astype("float32")), ops.dtype(inputs)
    )
    below = ops.take(inputs, ops.convert_to_tensor(lower), axis=axis)
    above = ops.take(inputs, ops.convert_to_tensor(upper), axis=axis)
    return ops.add(below, ops.multiply(ops.subtract(above, below), weights))


class UpSampling2D(BaseUpSampling):
    """Upsampling layer for 2D inputs.

    Up-samples the rows and columns of the data by `size[0]` and `size[1]`,
    repeating entries (`"nearest"`) or interpolating linearly between them
    (`"bilinear"`, half-pixel centres, as an image resize does).

    Args:
        size: Int, or tuple of 2 ints, the up-sampling factors for rows and
            columns.
        data_format: `"channels_last"` (spatial axes before the channels) or
            `"channels_first"`; default: the global `image_data_format()`.
        interpolation: `"nearest"` or `"bilinear"`. Keras's other image
            interpolations (`"bicubic"`, `"lanczos3"`, ...) are not
            supported.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Input shape:
        `(batch, rows, cols, channels)` or `(batch, channels, rows, cols)`.

    Output shape:
        `(batch, rows * size[0], cols * size[1], channels)` (channels last).

    Example:

    >>> import lamina
    >>> lamina.layers.UpSampling2D((2, 3))(lamina.ops.ones((1, 2, 2, 1))).shape
    (1, 4, 6, 1)
    """

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(2, size, data_format=data_format, **kwargs)
        if interpolation not in _INTERPOLATIONS:
            raise ValueError(
                f"UpSampling2D layer '{self.name}' supports interpolation in {_INTERPOLATIONS}. "
                f"Received: interpolation={interpolation!r}"
            )
        self.interpolation = interpolation

    def call(self, inputs):
        if self.interpolation == "nearest":
            return super().call(inputs)
        outputs = inputs
        for axis, factor in zip(self._spatial_axes(), self.size):
            if factor > 1:
                outputs = _linear_resize_axis(outputs, axis, factor)
        return outputs

    def get_config(self):
        config = super().get_config()
        config.update(
            {"size": self.size, "data_format": self.data_format, "interpolation": self.interpolation}
        )
        return config
