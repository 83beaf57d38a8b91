"""`RandomCrop`: crops a random `(height, width)` window during training."""

from lamina import ops
from lamina import random
from lamina.layers.preprocessing.image.base_image_layer import BaseImagePreprocessingLayer
from lamina.random.seed_generator import SeedGenerator
from lamina.random.seed_generator import _draw_python_seed


class RandomCrop(BaseImagePreprocessingLayer):
    """Randomly crops images to `(height, width)` during training.

    In training, one random window (the same for the whole batch) of the target
    size is cut out. At inference, and in training when an image is not larger
    than the target on both axes, the layer instead crops the largest centered
    box with the target's aspect ratio and resizes it (bilinear) to the target.

    Args:
        height: Output height.
        width: Output width.
        seed: Optional int seed of the layer's generator (drawn at random when None,
            and kept in the config).
        data_format: `"channels_last"`, `"channels_first"` or None (the global default).
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Example:

    >>> import lamina
    >>> layer = lamina.layers.RandomCrop(3, 4, seed=0)
    >>> layer(lamina.ops.ones((2, 6, 6, 3)), training=True).shape
    (2, 3, 4, 3)
    """

    _USE_BASE_FACTOR = False

    def __init__(self, height, width, seed=None, data_format=None, name=None, **kwargs):
        super().__init__(data_format=data_format, name=name, **kwargs)
        for argument, value in (("height", height), ("width", width)):
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ValueError(
                    f"RandomCrop layer '{self.name}' expects {argument} to be a positive int. "
                    f"Received: {argument}={value!r}"
                )
        self.height = height
        self.width = width
        self.seed = seed if seed is not None else _draw_python_seed()
        self.generator = SeedGenerator(self.seed)

    def get_random_transformation(self, data, training=True, seed=None):
        _, height, width = self._image_size(tuple(data.shape))
        if not (training and height > self.height and width > self.width):
            return None
        seed = self._seed(seed)
        top = ops.cast(random.uniform((), 0, float(height - self.height + 1), seed=seed), "int32")
        left = ops.cast(random.uniform((), 0, float(width - self.width + 1), seed=seed), "int32")
        return top, left

    def transform_images(self, images, transformation, training=True):
        images = self._cast(images)
        _, height, width = self._image_size(tuple(images.shape))
        if transformation is None:
            if (height, width) == (self.height, self.width):
                return images
            outputs = ops.image.resize(
                images, (self.height, self.width), crop_to_aspect_ratio=True, data_format=self.data_format
            )
            return self._cast(outputs)
        top, left = transformation
        height_axis, width_axis = self._spatial_axes(len(images.shape))
        # Offsets are tensors (traced under jit), so the window is gathered, not sliced.
        rows = ops.arange(self.height, dtype="int32") + ops.cast(top, "int32")
        cols = ops.arange(self.width, dtype="int32") + ops.cast(left, "int32")
        images = ops.take(images, rows, axis=len(images.shape) + height_axis)
        return ops.take(images, cols, axis=len(images.shape) + width_axis)

    def compute_output_shape(self, input_shape):
        output_shape = list(input_shape)
        height_axis, width_axis = self._spatial_axes(len(output_shape))
        output_shape[height_axis] = self.height
        output_shape[width_axis] = self.width
        return tuple(output_shape)

    def get_config(self):
        config_dict = super().get_config()
        config_dict.update(
            {"height": self.height, "width": self.width, "seed": self.seed, "data_format": self.data_format}
        )
        return config_dict
