"""`RandomContrast`: scales each image's deviation from its mean during training."""

from lamina import ops
from lamina import random
from lamina.layers.preprocessing.image.base_image_layer import BaseImagePreprocessingLayer
from lamina.random.seed_generator import SeedGenerator


class RandomContrast(BaseImagePreprocessingLayer):
    """Randomly adjusts the contrast of images during training.

    For each image and channel, `(x - mean) * contrast_factor + mean`, where
    `mean` is the channel's mean over the image and `contrast_factor` is drawn
    per image from `[1 - lower, 1 + upper]` (with Keras 3's factor handling, a
    single float `f` gives `lower = 0`, `upper = f`). The result is clipped to
    `value_range`. At inference (`training=False`) the layer returns its inputs.

    Args:
        factor: A float `f` in `[0, 1]` or a pair `(lower, upper)`.
        value_range: The `(min, max)` range of the pixel values.
        seed: Optional int seed of the layer's generator.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`, `data_format`).

    Example:

    >>> import lamina
    >>> layer = lamina.layers.RandomContrast(0.5, seed=0)
    >>> layer(lamina.ops.ones((2, 4, 4, 3)), training=True).shape
    (2, 4, 4, 3)
    """

    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(**kwargs)
        self._set_factor(factor)
        if not isinstance(value_range, (tuple, list)) or len(value_range) != 2:
            raise ValueError(
                f"RandomContrast layer '{self.name}' expects value_range to be a list of two numbers. "
                f"Received: value_range={value_range!r}"
            )
        self.value_range = value_range
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        shape = tuple(data.shape)
        factor_shape = (1, 1, 1) if len(shape) == 3 else (shape[0], 1, 1, 1)
        if not training:
            return {"contrast_factor": ops.zeros(factor_shape)}
        factor = random.uniform(
            factor_shape,
            1.0 - self.factor[0],
            1.0 + self.factor[1],
            dtype=self.dtype_policy.compute_dtype,
            seed=self._seed(seed),
        )
        return {"contrast_factor": factor}

    def transform_images(self, images, transformation, training=True):
        images = self._cast(images)
        if not training:
            return images
        height_axis, width_axis = self._spatial_axes(len(images.shape))
        mean = ops.mean(images, axis=height_axis, keepdims=True)
        mean = ops.mean(mean, axis=width_axis, keepdims=True)
        factor = ops.cast(transformation["contrast_factor"], self.dtype_policy.compute_dtype)
        outputs = (images - mean) * factor + mean
        return ops.clip(outputs, self.value_range[0], self.value_range[1])

    def get_config(self):
        config_dict = super().get_config()
        config_dict.update({"factor": self.factor, "value_range": self.value_range, "seed": self.seed})
        return config_dict
