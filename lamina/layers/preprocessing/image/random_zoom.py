"""`RandomZoom`: zooms images in or out by a random factor during training."""

from lamina import ops
from lamina import random
from lamina.layers.preprocessing.image.base_affine_layer import BaseAffineLayer
from lamina.layers.preprocessing.image.base_affine_layer import check_axis_factor


class RandomZoom(BaseAffineLayer):
    """Randomly zooms images about their center during training.

    The height zoom is drawn from `[1 + lower, 1 + upper]`: a positive factor
    zooms out (the content shrinks), a negative one zooms in. Without
    `width_factor` the width zoom equals the height zoom (aspect ratio kept).
    At inference (`training=False`) the layer returns its inputs.

    Args:
        height_factor: A float `f` (the range `[-f, f]`) or a pair `(lower, upper)`
            in `(-1, 1]`.
        width_factor: Like `height_factor`, or None to zoom both axes alike.
        fill_mode: `"reflect"`, `"wrap"`, `"constant"` or `"nearest"`.
        interpolation: `"nearest"` or `"bilinear"`.
        seed: Optional int seed of the layer's generator.
        fill_value: Value outside the image when `fill_mode="constant"`.
        data_format: `"channels_last"`, `"channels_first"` or None (the global default).
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Example:

    >>> import lamina
    >>> layer = lamina.layers.RandomZoom(0.2, seed=0)
    >>> layer(lamina.ops.ones((2, 5, 5, 3)), training=True).shape
    (2, 5, 5, 3)
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        height_factor,
        width_factor=None,
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
        self.height_lower, self.height_upper = check_axis_factor(self, height_factor, "height_factor", False)
        self.width_factor = width_factor
        if width_factor is not None:
            self.width_lower, self.width_upper = check_axis_factor(self, width_factor, "width_factor", False)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        batch_size, _, _ = self._image_size(tuple(data.shape))
        seed = self._seed(seed)
        shape = (batch_size, 1)
        height_zoom = random.uniform(shape, 1.0 + self.height_lower, 1.0 + self.height_upper, seed=seed)
        if self.width_factor is None:
            width_zoom = height_zoom
        else:
            width_zoom = random.uniform(shape, 1.0 + self.width_lower, 1.0 + self.width_upper, seed=seed)
        return {"height_zoom": height_zoom, "width_zoom": width_zoom, "input_shape": tuple(data.shape)}

    def _matrix(self, transformation, images):
        _, height, width = self._image_size(tuple(images.shape))
        width_zoom = ops.cast(transformation["width_zoom"], "float32")
        height_zoom = ops.cast(transformation["height_zoom"], "float32")
        x_offset = ((width - 1.0) / 2.0) * (1.0 - width_zoom)
        y_offset = ((height - 1.0) / 2.0) * (1.0 - height_zoom)
        zeros = ops.zeros_like(width_zoom)
        columns = [width_zoom, zeros, x_offset, zeros, height_zoom, y_offset, zeros, zeros]
        return ops.concatenate(columns, axis=1)

    def get_config(self):
        config_dict = super().get_config()
        config_dict.update({"height_factor": self.height_factor, "width_factor": self.width_factor})
        return config_dict
