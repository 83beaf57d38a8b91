"""`AveragePooling3D`: average pooling over 3 spatial axes."""

from lamina.layers.pooling.base_pooling import BasePooling


class AveragePooling3D(BasePooling):
    """Average pooling for 3D data (spatial or spatio-temporal).

    Slides a window of `pool_size` over the spatial axes with steps of
    `strides` and keeps the average of each window.

    With `padding="same"`, padded entries are left out of each window's
    average, so border windows average fewer values.

    Args:
        pool_size: An int or a tuple of 3 ints, the window size.
        strides: An int, a tuple of 3 ints or None (default: `pool_size`).
        padding: `"valid"` (no padding) or `"same"` (pad so that each spatial
            axis becomes `ceil(size / stride)` long), in any case.
        data_format: `"channels_last"` (inputs `(batch, dim1, dim2, dim3, channels)`) or
            `"channels_first"` (inputs `(batch, channels, dim1, dim2, dim3)`). Default: the global
            `image_data_format()`.
        name: The layer's name.
        **kwargs: Base layer arguments (`dtype`, `trainable`).

    Input shape:
        A rank-5 tensor, `(batch, dim1, dim2, dim3, channels)` or `(batch, channels, dim1, dim2, dim3)`.

    Output shape:
        The same layout with each spatial axis pooled: `(size - pool) // stride + 1`
        entries with `"valid"` padding, `ceil(size / stride)` with `"same"`.

    Example:

    >>> import lamina
    >>> x = lamina.ops.reshape(lamina.ops.arange(8.0), (1, 2, 2, 2, 1))
    >>> y = lamina.layers.AveragePooling3D(pool_size=2)(x)
    >>> lamina.ops.shape(y)
    (1, 1, 1, 1, 1)
    """

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None, name=None, **kwargs):
        super().__init__(
            pool_size,
            strides,
            pool_dimensions=3,
            pool_mode="average",
            padding=padding,
            data_format=data_format,
            name=name,
            **kwargs,
        )


AvgPool3D = AveragePooling3D
