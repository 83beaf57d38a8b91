"""`GlobalMaxPooling1D`: the maximum over every spatial position."""

from lamina import ops
from lamina.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalMaxPooling1D(BaseGlobalPooling):
    """Global maximum pooling for 1D data: one maximum per channel over all spatial positions.

    Args:
        data_format: `"channels_last"` (inputs `(batch, steps, features)`) or
            `"channels_first"` (inputs `(batch, features, steps)`). Default: the global
            `image_data_format()`.
        keepdims: Whether to keep the spatial axes with size 1 (default False).
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Input shape:
        A rank-3 tensor, `(batch, steps, features)` or `(batch, features, steps)`.

    Output shape:
        `(batch, channels)`, or with `keepdims=True` the input layout with
        every spatial axis of size 1.

    Example:

    >>> import lamina
    >>> x = lamina.ops.reshape(lamina.ops.arange(4.0), (1, 4, 1))
    >>> lamina.ops.convert_to_numpy(lamina.layers.GlobalMaxPooling1D()(x)).tolist()
    [[3.0]]
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=1, data_format=data_format, keepdims=keepdims, **kwargs)

    def call(self, inputs):
        return ops.max(inputs, axis=self.spatial_axes(len(inputs.shape)), keepdims=self.keepdims)


GlobalMaxPool1D = GlobalMaxPooling1D
