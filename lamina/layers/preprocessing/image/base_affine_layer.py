"""`BaseAffineLayer`: shared arguments of the layers that warp images with `affine_transform`."""

from lamina import ops
from lamina.layers.preprocessing.image.base_image_layer import BaseImagePreprocessingLayer
from lamina.ops.image_affine import AFFINE_INTERPOLATIONS
from lamina.random.seed_generator import SeedGenerator

SUPPORTED_FILL_MODES = ("reflect", "wrap", "constant", "nearest")


class BaseAffineLayer(BaseImagePreprocessingLayer):
    """Base of `RandomRotation`, `RandomZoom` and `RandomTranslation`.

    Subclasses draw, per image, the 8-entry transform that
    `lamina.ops.image.affine_transform` takes, under the key `_MATRIX_KEY`
    of their transformation (or build it in `_matrix`).

    Args:
        fill_mode: `"reflect"`, `"wrap"`, `"constant"` or `"nearest"`.
        interpolation: `"nearest"` or `"bilinear"`.
        seed: Optional int seed of the layer's generator.
        fill_value: Value outside the image when `fill_mode="constant"`.
        data_format: `"channels_last"`, `"channels_first"` or None (the global default).
        **kwargs: `factor` (for layers that use the base factor) and base layer arguments.
    """

    def __init__(
        self,
        fill_mode="reflect",
        interpolation="bilinear",
        seed=None,
        fill_value=0.0,
        data_format=None,
        **kwargs,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self._check_choice("fill_mode", fill_mode, SUPPORTED_FILL_MODES)
        self._check_choice("interpolation", interpolation, tuple(AFFINE_INTERPOLATIONS))
        self.fill_mode = fill_mode
        self.interpolation = interpolation
        self.seed = seed
        self.fill_value = fill_value
        self.generator = SeedGenerator(seed)

    def _matrix(self, transformation, images):
        raise NotImplementedError

    def transform_images(self, images, transformation, training=True):
        images = self._cast(images)
        if not training or transformation is None:
            return images
        unbatched = len(images.shape) == 3
        if unbatched:
            images = ops.expand_dims(images, 0)
        outputs = ops.image.affine_transform(
            images,
            self._matrix(transformation, images),
            interpolation=self.interpolation,
            fill_mode=self.fill_mode,
            fill_value=self.fill_value,
            data_format=self.data_format,
        )
        if unbatched:
            outputs = ops.squeeze(outputs, 0)
        return outputs

    def get_config(self):
        config_dict = super().get_config()
        config_dict.update(
            {
                "fill_mode": self.fill_mode,
                "interpolation": self.interpolation,
                "seed": self.seed,
                "fill_value": self.fill_value,
                "data_format": self.data_format,
            }
        )
        return config_dict


def check_axis_factor(layer, factor, name, allow_minus_one):
    """Validates a height/width factor (a number or a pair in [-1, 1]); returns `(lower, upper)`."""
    message = (
        f"{type(layer).__name__} layer '{layer.name}' expects {name} to be a float or a pair of floats "
        f"in the range [-1, 1]{'' if allow_minus_one else ' (excluding -1)'}. Received: {name}={factor!r}"
    )

    def check(value):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(message)
        if value > 1.0 or value < -1.0 or (value == -1.0 and not allow_minus_one):
            raise ValueError(message)

    if isinstance(factor, (tuple, list)):
        if len(factor) != 2:
            raise ValueError(message)
        check(factor[0])
        check(factor[1])
        return tuple(sorted(factor))
    check(factor)
    return -abs(factor), abs(factor)
