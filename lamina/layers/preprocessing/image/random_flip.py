"""`RandomFlip`: flips images horizontally and/or vertically during training."""

from lamina import ops
from lamina import random
from lamina.layers.preprocessing.image.base_image_layer import BaseImagePreprocessingLayer
from lamina.random.seed_generator import SeedGenerator

HORIZONTAL = "horizontal"
VERTICAL = "vertical"
HORIZONTAL_AND_VERTICAL = "horizontal_and_vertical"


class RandomFlip(BaseImagePreprocessingLayer):
    """Randomly flips images during training.

    Each image is flipped with probability 1/2 (in `"horizontal_and_vertical"`
    mode, one draw decides both flips, as in Keras). At inference
    (`training=False`) the layer returns its inputs.

    Args:
        mode: `"horizontal"` (left-right), `"vertical"` (up-down) or
            `"horizontal_and_vertical"`.
        seed: Optional int seed of the layer's generator.
        data_format: `"channels_last"`, `"channels_first"` or None (the global default).
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Call arguments:
        inputs: Rank-3 or rank-4 images.
        training: Whether to flip (True, the default) or return the inputs.

    Example:

    >>> import lamina
    >>> layer = lamina.layers.RandomFlip("horizontal")
    >>> x = lamina.ops.reshape(lamina.ops.arange(2.0), (1, 1, 2, 1))
    >>> flips = {"flips": lamina.ops.ones((1, 1, 1, 1), dtype="bool")}
    >>> lamina.ops.convert_to_numpy(layer.transform_images(x, flips)).ravel().tolist()
    [1.0, 0.0]
    """

    _USE_BASE_FACTOR = False

    def __init__(self, mode=HORIZONTAL_AND_VERTICAL, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._check_choice("mode", mode, (HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL))
        self.mode = mode
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        shape = tuple(data.shape)
        flips_shape = (1, 1, 1) if len(shape) == 3 else (shape[0], 1, 1, 1)
        draws = random.uniform(flips_shape, seed=self._seed(seed))
        return {"flips": ops.less_equal(draws, 0.5), "input_shape": shape}

    def transform_images(self, images, transformation, training=True):
        images = self._cast(images)
        if not training or transformation is None:
            return images
        flips = transformation["flips"]
        height_axis, width_axis = self._spatial_axes(len(images.shape))
        if self.mode in (HORIZONTAL, HORIZONTAL_AND_VERTICAL):
            images = ops.where(flips, ops.flip(images, axis=width_axis), images)
        if self.mode in (VERTICAL, HORIZONTAL_AND_VERTICAL):
            images = ops.where(flips, ops.flip(images, axis=height_axis), images)
        return images

    def get_config(self):
        config_dict = super().get_config()
        config_dict.update({"seed": self.seed, "mode": self.mode, "data_format": self.data_format})
        return config_dict
