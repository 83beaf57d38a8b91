"""`ZeroPadding1D`: pads zeros at the start and end of sequences."""

from lamina.layers.reshaping.base_spatial import BaseZeroPadding


class ZeroPadding1D(BaseZeroPadding):
    """Zero-padding layer for 1D input (e.g. temporal sequence).

    Args:
        padding: Int (same at both ends) or tuple of 2 ints
            `(left_pad, right_pad)` of the time axis.
        data_format: `"channels_last"` (spatial axes before the channels) or
            `"channels_first"`; default: the global `image_data_format()`.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Input shape:
        `(batch, axis_to_pad, features)` (channels last) or
        `(batch, features, axis_to_pad)`.

    Output shape:
        `(batch, padded_axis, features)` (channels last).

    Example:

    >>> import lamina
    >>> lamina.layers.ZeroPadding1D((1, 2))(lamina.ops.ones((2, 3, 4))).shape
    (2, 6, 4)
    """

    def __init__(self, padding=1, data_format=None, **kwargs):
        if isinstance(padding, (list, tuple)) and len(padding) == 2:
            padding = (tuple(padding),)
        super().__init__(1, padding, data_format=data_format, **kwargs)

    def get_config(self):
        config = super().get_config()
        config.update({"padding": self.padding[0], "data_format": self.data_format})
        return config
