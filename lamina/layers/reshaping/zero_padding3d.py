"""`ZeroPadding3D`: pads zeros around the three spatial axes of volumes."""

from lamina.layers.reshaping.base_spatial import BaseZeroPadding


class ZeroPadding3D(BaseZeroPadding):
    """Zero-padding layer for 3D data (spatial or spatio-temporal).

    Args:
        padding: Int (same on every side), tuple of 3 ints (symmetric
            per axis) or tuple of 3 `(before, after)` pairs.
        data_format: `"channels_last"` (spatial axes before the channels) or
            `"channels_first"`; default: the global `image_data_format()`.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Input shape:
        `(batch, dim1, dim2, dim3, channels)` (channels last) or
        `(batch, channels, dim1, dim2, dim3)`.

    Output shape:
        Each spatial axis lengthened by its two paddings.

    Example:

    >>> import lamina
    >>> lamina.layers.ZeroPadding3D(1)(lamina.ops.ones((1, 1, 1, 1, 2))).shape
    (1, 3, 3, 3, 2)
    """

    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(3, padding, data_format=data_format, **kwargs)

    def get_config(self):
        config = super().get_config()
        config.update({"padding": self.padding, "data_format": self.data_format})
        return config
