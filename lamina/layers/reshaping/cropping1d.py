"""`Cropping1D`: crops entries off the start and end of sequences."""

from lamina.layers.reshaping.base_spatial import BaseCropping


class Cropping1D(BaseCropping):
    """Cropping layer for 1D input (e.g. temporal sequence).

    Crops along the time dimension (axis 1).

    Args:
        cropping: Int (same at both ends) or tuple of 2 ints
            `(crop_start, crop_end)`.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Input shape:
        `(batch_size, axis_to_crop, features)`.

    Output shape:
        `(batch_size, cropped_axis, features)`.

    Example:

    >>> import lamina
    >>> lamina.layers.Cropping1D((1, 2))(lamina.ops.ones((2, 6, 3))).shape
    (2, 3, 3)
    """

    def __init__(self, cropping=(1, 1), **kwargs):
        if isinstance(cropping, (list, tuple)) and len(cropping) == 2:
            cropping = (tuple(cropping),)
        super().__init__(1, cropping, data_format="channels_last", **kwargs)

    def get_config(self):
        config = super().get_config()
        config["cropping"] = self.cropping[0]
        return config
