"""`MaxPooling2D`: maximum pooling over 2 spatial axes."""

from lamina.layers.pooling.base_pooling import BasePooling


class MaxPooling2D(BasePooling):
    """Maximum pooling for 2D data (spatial).

    Slides a window of `pool_size` over the spatial axes with steps of
    `strides` and keeps the maximum of each window.

    Args:
        pool_size: An int or a tuple of 2 ints, the window size.
        strides: An int, a tuple of 2 ints or None (default: `pool_size`).
        padding: `"valid"` (no padding) or `"same"` (pad so that each spatial
            axis becomes `ceil(size / stride)` long), in any case.
        data_format: `"channels_last"` (inputs `(batch, rows, cols, channels)`) or
            `"channels_first"` (inputs `(batch, channels, rows, cols)`). Default: the global
            `image_data_format()`.
        name: The layer's name.
        **kwargs: Base layer arguments (`dtype`, `trainable`).

    Input shape:
        A rank-4 tensor, `(batch, rows, cols, channels)` or `(batch, channels, rows, cols)`.

    Output shape:
        The same layout with each spatial axis pooled: `(size - pool) // stride + 1`
        entries with `"valid"` padding, `ceil(size / stride)` with `"same"`.

    Example:

    >>> import lamina
    >>> x = lamina.ops.reshape(lamina.ops.arange(16.0), (1, 4, 4, 1))
    >>> y = lamina.layers.MaxPooling2D(pool_size=2)(x)
    >>> lamina.ops.shape(y)
    (1, 2, 2, 1)
    """

    def __init__(
        self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, name=None, **kwargs
    ):
        super().__init__(
            pool_size,
            strides,
            pool_dimensions=2,
            pool_mode="max",
            padding=padding,
            data_format=data_format,
            name=name,
            **kwargs,
        )


MaxPool2D = MaxPooling2D
