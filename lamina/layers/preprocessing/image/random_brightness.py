"""`RandomBrightness`: adds a random offset to images during training."""

from lamina import ops
from lamina import random
from lamina.layers.preprocessing.image.base_image_layer import BaseImagePreprocessingLayer
from lamina.random.seed_generator import SeedGenerator


class RandomBrightness(BaseImagePreprocessingLayer):
    """Randomly adjusts the brightness of images during training.

    Each image gets `delta * (max - min)` added, with `delta` drawn from
    `[lower, upper]` (a float `f` gives `[-f, f]`) and `(min, max)` the
    `value_range`; the result is clipped to `value_range`. At inference
    (`training=False`) the layer returns its inputs.

    Args:
        factor: A float in `[-1, 1]` or a pair `(lower, upper)`.
        value_range: The `(min, max)` range of the pixel values.
        seed: Optional int seed of the layer's generator.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`, `data_format`).

    Example:

    >>> import lamina
    >>> layer = lamina.layers.RandomBrightness(0.2, seed=0)
    >>> layer(lamina.ops.ones((2, 4, 4, 3)), training=False).shape
    (2, 4, 4, 3)
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(factor=factor, **kwargs)
        if (
            not isinstance(value_range, (tuple, list))
            or len(value_range) != 2
            or not all(isinstance(value, (int, float)) for value in value_range)
        ):
            raise ValueError(
                f"RandomBrightness layer '{self.name}' expects value_range to be a list of two numbers. "
                f"Received: value_range={value_range!r}"
            )
        self.value_range = sorted(value_range)
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        shape = tuple(data.shape)
        delta_shape = (1, 1, 1) if len(shape) == 3 else (shape[0], 1, 1, 1)
        if not training:
            return {"rgb_delta": ops.zeros(delta_shape)}
        delta = random.uniform(delta_shape, self.factor[0], self.factor[1], seed=self._seed(seed))
        return {"rgb_delta": delta * (self.value_range[1] - self.value_range[0])}

    def transform_images(self, images, transformation, training=True):
        images = self._cast(images)
        if not training:
            return images
        images = images + ops.cast(transformation["rgb_delta"], images.dtype)
        return ops.clip(images, self.value_range[0], self.value_range[1])

    def get_config(self):
        config_dict = super().get_config()
        config_dict.update({"factor": self.factor, "value_range": self.value_range, "seed": self.seed})
        return config_dict
