"""`SpatialDropout1D/2D/3D`: dropout of whole feature maps (channels)."""

from lamina import config as lamina_config
from lamina import random
from lamina.layers.input_spec import InputSpec
from lamina.layers.regularization.dropout import Dropout


class BaseSpatialDropout(Dropout):
    """Dropout that zeroes whole channels: the mask has size 1 on every spatial axis.

    Args:
        rate: Float in `[0, 1]`, the fraction of channels to drop.
        num_spatial: Number of spatial axes of the inputs.
        data_format: Where the channels are (`"channels_last"` or
            `"channels_first"`; default: the global `image_data_format()`).
        seed: Optional int seed of the layer's generator.
        name: Layer name.
        dtype: Layer dtype policy.
    """

    def __init__(self, rate, num_spatial, data_format="channels_last", seed=None, name=None, dtype=None):
        super().__init__(rate, seed=seed, name=name, dtype=dtype)
        self.num_spatial = num_spatial
        self.data_format = lamina_config.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=num_spatial + 2)

    def _noise_shape(self, inputs):
        shape = tuple(inputs.shape)
        ones = (1,) * self.num_spatial
        if self.data_format == "channels_first":
            return (shape[0], shape[1]) + ones
        return (shape[0],) + ones + (shape[-1],)

    def call(self, inputs, training=False):
        if training and self.rate > 0:
            return random.dropout(
                inputs, self.rate, noise_shape=self._noise_shape(inputs), seed=self.seed_generator
            )
        return inputs

    def get_config(self):
        # Keras 3 saves spatial dropout with this short config (dtype as a plain string).
        return {
            "rate": self.rate,
            "seed": self.seed,
            "name": self.name,
            "dtype": self.dtype_policy.variable_dtype,
        }


class SpatialDropout1D(BaseSpatialDropout):
    """Spatial 1D version of Dropout: drops entire 1D feature maps (channels).

    Use it instead of `Dropout` when adjacent timesteps are strongly
    correlated, as in early convolution layers: dropping whole channels
    regularizes where element-wise dropout would not.

    Args:
        rate: Float in `[0, 1]`, the fraction of channels to drop.
        seed: Optional int seed of the layer's generator.
        name: Layer name.
        dtype: Layer dtype policy.

    Call arguments:
        inputs: A 3D tensor `(samples, timesteps, channels)`.
        training: Whether to drop (True) or pass the inputs through (False).

    Example:

    >>> import lamina
    >>> layer = lamina.layers.SpatialDropout1D(0.5, seed=1)
    >>> outputs = lamina.ops.convert_to_numpy(layer(lamina.ops.ones((2, 3, 4)), training=True))
    >>> bool((outputs == outputs[:, :1, :]).all())
    True
    """

    def __init__(self, rate, seed=None, name=None, dtype=None):
        super().__init__(rate, 1, data_format="channels_last", seed=seed, name=name, dtype=dtype)


class SpatialDropout2D(BaseSpatialDropout):
    """Spatial 2D version of Dropout: drops entire 2D feature maps (channels).

    Args:
        rate: Float in `[0, 1]`, the fraction of channels to drop.
        data_format: `"channels_last"` (channels at axis 3) or
            `"channels_first"` (axis 1); default: the global
            `image_data_format()`.
        seed: Optional int seed of the layer's generator.
        name: Layer name.
        dtype: Layer dtype policy.

    Call arguments:
        inputs: A 4D tensor.
        training: Whether to drop (True) or pass the inputs through (False).

    Example:

    >>> import lamina
    >>> layer = lamina.layers.SpatialDropout2D(0.5, seed=1)
    >>> layer(lamina.ops.ones((2, 3, 3, 4)), training=True).shape
    (2, 3, 3, 4)
    """

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None):
        super().__init__(rate, 2, data_format=data_format, seed=seed, name=name, dtype=dtype)

    def get_config(self):
        config = super().get_config()
        config["data_format"] = self.data_format
        return config


class SpatialDropout3D(BaseSpatialDropout):
    """Spatial 3D version of Dropout: drops entire 3D feature maps (channels).

    Args:
        rate: Float in `[0, 1]`, the fraction of channels to drop.
        data_format: `"channels_last"` (channels at axis 4) or
            `"channels_first"` (axis 1); default: the global
            `image_data_format()`.
        seed: Optional int seed of the layer's generator.
        name: Layer name.
        dtype: Layer dtype policy.

    Call arguments:
        inputs: A 5D tensor.
        training: Whether to drop (True) or pass the inputs through (False).

    Example:

    >>> import lamina
    >>> layer = lamina.layers.SpatialDropout3D(0.5, seed=1)
    >>> layer(lamina.ops.ones((1, 2, 2, 2, 3)), training=True).shape
    (1, 2, 2, 2, 3)
    """

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None):
        super().__init__(rate, 3, data_format=data_format, seed=seed, name=name, dtype=dtype)

    def get_config(self):
        config = super().get_config()
        config["data_format"] = self.data_format
        return config
