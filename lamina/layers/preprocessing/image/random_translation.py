"""`RandomTranslation`: shifts images by a random offset during training."""

from lamina import ops
from lamina import random
from lamina.layers.preprocessing.image.base_affine_layer import BaseAffineLayer
from lamina.layers.preprocessing.image.base_affine_layer import check_axis_factor


class RandomTranslation(BaseAffineLayer):
    """Randomly translates images during training.

    The vertical shift is drawn from `[lower, upper] * height` pixels and the
    horizontal one from `[lower, upper] * width` (positive: down and right).
    At inference (`training=False`) the layer returns its inputs.

    Args:
        height_factor: A float `f` (the range `[-f, f]`) or a pair `(lower, upper)`
            in `[-1, 1]`, as fractions of the height.
        width_factor: Likewise, as fractions of the width.
        fill_mode: `"reflect"`, `"wrap"`, `"constant"` or `"nearest"`.
        interpolation: `"nearest"` or `"bilinear"`.
        seed: Optional int seed of the layer's generator.
        fill_value: Value outside the image when `fill_mode="constant"`.
        data_format: `"channels_last"`, `"channels_first"` or None (the global default).
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Example:

    >>> import lamina
    >>> layer = lamina.layers.RandomTranslation(0.2, 0.2, seed=0)
    >>> layer(lamina.ops.ones((2, 5, 5, 3)), training=True).shape
    (2, 5, 5, 3)
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        height_factor,
        width_factor,
        fill_mode="reflect",
        interpolation="bilinear",
        seed=None,
        fill_value=0.0,
        data_format=None,
        **kwargs,
    ):
        super().__init__(
            fill_mode=fill_mode,
            interpolation=interpolation,
            seed=seed,
            fill_value=fill_value,
            data_format=data_format,
            **kwargs,
        )
        self.height_factor = height_factor
        self.height_lower, self.height_upper = check_axis_factor(self, height_factor, "height_factor", True)
        self.width_factor = width_factor
        self.width_lower, self.width_upper = check_axis_factor(self, width_factor, "width_factor", True)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        batch_size, height, width = self._image_size(tuple(data.shape))
        seed = self._seed(seed)
        shape = (batch_size, 1)
        height_shift = random.uniform(shape, self.height_lower, self.height_upper, seed=seed) * height
        width_shift = random.uniform(shape, self.width_lower, self.width_upper, seed=seed) * width
        translations = ops.cast(ops.concatenate([width_shift, height_shift], axis=1), "float32")
        return {"translations": translations, "input_shape": tuple(data.shape)}

    def _matrix(self, transformation, images):
        translations = ops.cast(transformation["translations"], "float32")
        ones = ops.ones_like(translations[:, 0:1])
        zeros = ops.zeros_like(ones)
        columns = [ones, zeros, -translations[:, 0:1], zeros, ones, -translations[:, 1:], zeros, zeros]
        return ops.concatenate(columns, axis=1)

    def get_config(self):
        config_dict = super().get_config()
        config_dict.update({"height_factor": self.height_factor, "width_factor": self.width_factor})
        return config_dict
