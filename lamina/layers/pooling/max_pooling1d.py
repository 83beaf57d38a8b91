"""`MaxPooling1D`: maximum pooling over 1 spatial axis."""

from lamina.layers.pooling.base_pooling import BasePooling


class MaxPooling1D(BasePooling):
    """Maximum pooling for 1D data (temporal).

    Slides a window of `pool_size` over the spatial axes with steps of
    `strides` and keeps the maximum of each window.

    Args:
        pool_size: An int or a tuple of 1 ints, the window size.
        strides: An int, a tuple of 1 ints or None (default: `pool_size`).
        padding: `"valid"` (no padding) or `"same"` (pad so that each spatial
            axis becomes `ceil(size / stride)` long), in any case.
        data_format: `"channels_last"` (inputs `(batch, steps, features)`) or
            `"channels_first"` (inputs `(batch, features, steps)`). Default: the global
            `image_data_format()`.
        name: The layer's name.
        **kwargs: Base layer arguments (`dtype`, `trainable`).

    Input shape:
        A rank-3 tensor, `(batch, steps, features)` or `(batch, features, steps)`.

    Output shape:
        The same layout with each spatial axis pooled: `(size - pool) // stride + 1`
        entries with `"valid"` padding, `ceil(size / stride)` with `"same"`.

    Example:

    >>> import lamina
    >>> x = lamina.ops.reshape(lamina.ops.arange(4.0), (1, 4, 1))
    >>> y = lamina.layers.MaxPooling1D(pool_size=2)(x)
    >>> lamina.ops.shape(y)
    (1, 2, 1)
    """

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, name=None, **kwargs):
        super().__init__(
            pool_size,
            strides,
            pool_dimensions=1,
            pool_mode="max",
            padding=padding,
            data_format=data_format,
            name=name,
            **kwargs,
        )


MaxPool1D = MaxPooling1D
