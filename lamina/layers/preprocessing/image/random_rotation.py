"""`RandomRotation`: rotates images by a random angle during training."""

import math

from lamina import ops
from lamina import random
from lamina.layers.preprocessing.image.base_affine_layer import BaseAffineLayer


class RandomRotation(BaseAffineLayer):
    """Randomly rotates images about their center during training.

    Each image turns by an angle drawn uniformly from
    `[lower * 360, upper * 360]` degrees (counter-clockwise for positive
    values). At inference (`training=False`) the layer returns its inputs.

    Args:
        factor: A float `f` (the range `[-f, f]`) or a pair `(lower, upper)`,
            as fractions of a full turn, within `[-1, 1]`.
        fill_mode: `"reflect"`, `"wrap"`, `"constant"` or `"nearest"`.
        interpolation: `"nearest"` or `"bilinear"`.
        seed: Optional int seed of the layer's generator.
        fill_value: Value outside the image when `fill_mode="constant"`.
        data_format: `"channels_last"`, `"channels_first"` or None (the global default).
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Example:

    >>> import lamina
    >>> layer = lamina.layers.RandomRotation(0.1, seed=0)
    >>> layer(lamina.ops.ones((2, 5, 5, 3)), training=True).shape
    (2, 5, 5, 3)
    """

    def __init__(
        self,
        factor,
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
            factor=factor,
            **kwargs,
        )

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        batch_size, height, width = self._image_size(tuple(data.shape))
        angle = random.uniform(
            (batch_size,), minval=self.factor[0] * 360.0, maxval=self.factor[1] * 360.0, seed=self._seed(seed)
        )
        return {
            "angle": angle,
            "rotation_matrix": rotation_matrix(angle, height, width),
            "image_height": height,
            "image_width": width,
            "batch_size": batch_size,
        }

    def _matrix(self, transformation, images):
        return transformation["rotation_matrix"]

    def get_config(self):
        config_dict = super().get_config()
        config_dict.update({"factor": self.factor})
        return config_dict


def rotation_matrix(angle, height, width):
    """The `(batch, 8)` transforms rotating by `angle` degrees about the image center.

    Example:

    >>> import lamina
    >>> matrix = rotation_matrix(lamina.ops.zeros((1,)), 3, 3)
    >>> lamina.ops.convert_to_numpy(matrix).tolist()
    [[1.0, -0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0]]
    """
    radians = angle * (math.pi / 180.0)
    center_x = 0.5 * (width - 1)
    center_y = 0.5 * (height - 1)
    cos = ops.cos(radians)
    sin = ops.sin(radians)
    a0 = cos
    a1 = -sin
    a2 = center_x - center_x * a0 - center_y * a1
    b0 = sin
    b1 = cos
    b2 = center_y - center_x * b0 - center_y * b1
    zeros = ops.zeros_like(angle)
    return ops.stack([a0, a1, a2, b0, b1, b2, zeros, zeros], axis=1)
