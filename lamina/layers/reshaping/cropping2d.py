"""`Cropping2D`: crops rows and columns off 2D feature maps."""

from lamina.layers.reshaping.base_spatial import BaseCropping


class Cropping2D(BaseCropping):
    """Cropping layer for 2D input (e.g. picture).

    Crops along the spatial dimensions, i.e. height and width.

    Args:
        cropping: Int (same on every side), tuple of 2 ints (symmetric
            height and width crops) or tuple of 2 pairs
            `((top, bottom), (left, right))`.
        data_format: `"channels_last"` (spatial axes before the channels) or
            `"channels_first"`; default: the global `image_data_format()`.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Input shape:
        `(batch, rows, cols, channels)` or `(batch, channels, rows, cols)`.

    Output shape:
        The input with `rows - top - bottom` rows and `cols - left - right` columns.

    Example:

    >>> import lamina
    >>> lamina.layers.Cropping2D(((1, 0), 2))(lamina.ops.ones((1, 5, 6, 3))).shape
    (1, 4, 2, 3)
    """

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(2, cropping, data_format=data_format, **kwargs)

    def get_config(self):
        config = super().get_config()
        config.update({"cropping": self.cropping, "data_format": self.data_format})
        return config
