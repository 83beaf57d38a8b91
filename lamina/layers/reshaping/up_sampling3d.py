"""`UpSampling3D`: repeats the entries of the three spatial axes of volumes."""

from lamina.layers.reshaping.base_spatial import BaseUpSampling


class UpSampling3D(BaseUpSampling):
    """Upsampling layer for 3D inputs.

    Repeats the 1st, 2nd and 3rd spatial dimensions by `size[0]`,
    `size[1]` and `size[2]`.

    Args:
        size: Int, or tuple of 3 ints, the up-sampling factors.
        data_format: `"channels_last"` (spatial axes before the channels) or
            `"channels_first"`; default: the global `image_data_format()`.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Input shape:
        `(batch, dim1, dim2, dim3, channels)` (channels last) or
        `(batch, channels, dim1, dim2, dim3)`.

    Output shape:
        Each spatial axis multiplied by its factor.

    Example:

    >>> import lamina
    >>> lamina.layers.UpSampling3D(2)(lamina.ops.ones((1, 1, 2, 3, 1))).shape
    (1, 2, 4, 6, 1)
    """

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        super().__init__(3, size, data_format=data_format, **kwargs)

    def get_config(self):
        config = super().get_config()
        config.update({"size": self.size, "data_format": self.data_format})
        return config
