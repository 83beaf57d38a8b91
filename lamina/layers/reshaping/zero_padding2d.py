"""`ZeroPadding2D`: pads zero rows and columns around 2D feature maps."""

from lamina.layers.reshaping.base_spatial import BaseZeroPadding


class ZeroPadding2D(BaseZeroPadding):
    """Zero-padding layer for 2D input (e.g. picture).

    Args:
        padding: Int (same on every side), tuple of 2 ints (symmetric
            height and width padding) or tuple of 2 pairs
            `((top, bottom), (left, right))`.
        data_format: `"channels_last"` (spatial axes before the channels) or
            `"channels_first"`; default: the global `image_data_format()`.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Input shape:
        `(batch, rows, cols, channels)` or `(batch, channels, rows, cols)`.

    Output shape:
        The input with `rows + top + bottom` rows and `cols + left + right` columns.

    Example:

    >>> import lamina
    >>> lamina.layers.ZeroPadding2D(((1, 0), 2))(lamina.ops.ones((1, 2, 2, 3))).shape
    (1, 3, 6, 3)
    """

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(2, padding, data_format=data_format, **kwargs)

    def get_config(self):
        config = super().get_config()
        config.update({"padding": self.padding, "data_format": self.data_format})
        return config
