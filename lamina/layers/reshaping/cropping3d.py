"""`Cropping3D`: crops off the three spatial axes of volumes."""

from lamina.layers.reshaping.base_spatial import BaseCropping


class Cropping3D(BaseCropping):
    """Cropping layer for 3D data (e.g. spatial or spatio-temporal).

    Args:
        cropping: Int (same on every side), tuple of 3 ints (symmetric
            crops per axis) or tuple of 3 `(before, after)` pairs.
        data_format: `"channels_last"` (spatial axes before the channels) or
            `"channels_first"`; default: the global `image_data_format()`.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Input shape:
        `(batch, dim1, dim2, dim3, channels)` (channels last) or
        `(batch, channels, dim1, dim2, dim3)`.

    Output shape:
        The input with each spatial axis shortened by its two crops.

    Example:

    >>> import lamina
    >>> lamina.layers.Cropping3D((1, 0, (0, 2)))(lamina.ops.ones((1, 4, 4, 4, 2))).shape
    (1, 2, 4, 2, 2)
    """

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(3, cropping, data_format=data_format, **kwargs)

    def get_config(self):
        config = super().get_config()
        config.update({"cropping": self.cropping, "data_format": self.data_format})
        return config
