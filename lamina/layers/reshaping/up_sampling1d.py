"""`UpSampling1D`: repeats each timestep of a sequence."""

from lamina.layers.reshaping.base_spatial import BaseUpSampling


class UpSampling1D(BaseUpSampling):
    """Upsampling layer for 1D inputs: repeats each temporal step `size` times.

    Args:
        size: Positive integer, the up-sampling factor.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Input shape:
        `(batch_size, steps, features)`.

    Output shape:
        `(batch_size, steps * size, features)`.

    Example:

    >>> import lamina
    >>> x = lamina.ops.convert_to_tensor([[[1.0], [2.0]]])
    >>> lamina.ops.convert_to_numpy(lamina.layers.UpSampling1D(2)(x))[0, :, 0].tolist()
    [1.0, 1.0, 2.0, 2.0]
    """

    def __init__(self, size=2, **kwargs):
        super().__init__(1, size, data_format="channels_last", **kwargs)

    def get_config(self):
        config = super().get_config()
        config["size"] = self.size[0]
        return config
