"""`GlobalAveragePooling1D`: the average over every spatial position."""

from lamina import ops
from lamina.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalAveragePooling1D(BaseGlobalPooling):
    """Global average pooling for 1D data: one average per channel over all spatial positions.

    Masked timesteps (a `(batch, steps)` boolean mask, given as `mask=` or
    carried by the inputs) are left out of the average.

    Args:
        data_format: `"channels_last"` (inputs `(batch, steps, features)`) or
            `"channels_first"` (inputs `(batch, features, steps)`). Default: the global
            `image_data_format()`.
        keepdims: Whether to keep the spatial axes with size 1 (default False).
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Call arguments:
        inputs: A rank-3 tensor.
        mask: Optional `(batch, steps)` boolean mask; False entries are ignored.

    Input shape:
        A rank-3 tensor, `(batch, steps, features)` or `(batch, features, steps)`.

    Output shape:
        `(batch, channels)`, or with `keepdims=True` the input layout with
        every spatial axis of size 1.

    Example:

    >>> import lamina
    >>> x = lamina.ops.reshape(lamina.ops.arange(4.0), (1, 4, 1))
    >>> lamina.ops.convert_to_numpy(lamina.layers.GlobalAveragePooling1D()(x)).tolist()
    [[1.5]]
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=1, data_format=data_format, keepdims=keepdims, **kwargs)

    def call(self, inputs, mask=None):
        axes = self.spatial_axes(len(inputs.shape))
        if mask is None:
            return ops.mean(inputs, axis=axes, keepdims=self.keepdims)
        mask = ops.cast(mask, inputs.dtype)
        mask = ops.expand_dims(mask, 2 if self.data_format == "channels_last" else 1)
        total = ops.sum(inputs * mask, axis=axes, keepdims=self.keepdims)
        return total / ops.sum(mask, axis=axes, keepdims=self.keepdims)

    def compute_mask(self, inputs, previous_mask):
        # The steps axis is reduced away, so no mask goes further.
        return None


GlobalAvgPool1D = GlobalAveragePooling1D
