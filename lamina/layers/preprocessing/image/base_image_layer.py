"""`BaseImagePreprocessingLayer`: the shared structure of the image preprocessing layers.

As in Keras 3, a layer's `call` splits into two steps: `get_random_transformation`
draws what to do (flips, angles, zoom factors, ...; None when not training), and
`transform_images` applies it. Tests and users can fix a transformation and call
`transform_images` directly. Random draws use the layer's `SeedGenerator`, whose
state is a non-trainable variable, so a compiled training step threads it.
"""

from lamina import config
from lamina import ops
from lamina.layers.layer import Layer


class BaseImagePreprocessingLayer(Layer):
    """Base class of the image preprocessing layers (`RandomFlip`, `Resizing`, ...).

    Subclasses implement `get_random_transformation` and `transform_images`.
    Inputs are rank 3 (one image) or rank 4 (a batch), in `data_format`.

    Args:
        factor: The layer's factor (a number or a `(lower, upper)` pair) for
            layers that take one; validated against `_FACTOR_BOUNDS`.
        data_format: `"channels_last"`, `"channels_first"` or None (the global default).
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).
    """

    _USE_BASE_FACTOR = True
    _FACTOR_BOUNDS = (-1, 1)

    def __init__(self, factor=None, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = config.standardize_data_format(data_format)
        if self._USE_BASE_FACTOR:
            self._set_factor(factor or 0.0)
        elif factor is not None:
            raise ValueError(
                f"{type(self).__name__} layer '{self.name}' does not take a factor argument. "
                f"Received: factor={factor!r}"
            )
        self.built = True

    def _set_factor(self, factor):
        low, high = self._FACTOR_BOUNDS
        message = (
            f"{type(self).__name__} layer '{self.name}' expects factor to be a number or a list of two "
            f"numbers in the range [{low}, {high}]. Received: factor={factor!r}"
        )
        if isinstance(factor, (tuple, list)):
            if len(factor) != 2 or not all(_is_number(value) for value in factor):
                raise ValueError(message)
            if factor[0] > high or factor[1] < low:
                raise ValueError(message)
            lower, upper = sorted(factor)
        elif _is_number(factor):
            if factor < low or factor > high:
                raise ValueError(message)
            factor = abs(factor)
            lower, upper = max(-factor, low), factor
        else:
            raise ValueError(message)
        self.factor = (lower, upper)

    def _check_choice(self, argument, value, choices):
        if value not in choices:
            raise ValueError(
                f"{type(self).__name__} layer '{self.name}' expects {argument} to be one of {choices}. "
                f"Received: {argument}={value!r}"
            )

    def _image_size(self, shape):
        """`(batch_size, height, width)` of a rank-3 (batch 1) or rank-4 input shape."""
        if len(shape) not in (3, 4):
            raise ValueError(
                f"{type(self).__name__} layer '{self.name}' expects images of rank 3 (one image) or "
                f"4 (a batch of images). Received: images.shape={tuple(shape)}"
            )
        batch_size = shape[0] if len(shape) == 4 else 1
        if self.data_format == "channels_last":
            return batch_size, shape[-3], shape[-2]
        return batch_size, shape[-2], shape[-1]

    def _spatial_axes(self, rank):
        """`(height_axis, width_axis)` (negative) for the layer's data format."""
        return (-3, -2) if self.data_format == "channels_last" else (-2, -1)

    def get_random_transformation(self, data, training=True, seed=None):
        """Draws the transformation for `data` (None when there is nothing to draw).

        Args:
            data: The images (rank 3 or 4).
            training: Whether the layer is training; random layers draw only then.
            seed: Optional seed (default: the layer's `SeedGenerator`).

        Returns:
            The transformation, a dict of tensors, or None.
        """
        return None

    def transform_images(self, images, transformation, training=True):
        """Applies `transformation` to `images` (cast to the compute dtype)."""
        raise NotImplementedError(f"{type(self).__name__} must implement transform_images.")

    def call(self, inputs, training=True):
        self._image_size(tuple(inputs.shape))
        transformation = self.get_random_transformation(inputs, training=training)
        return self.transform_images(inputs, transformation, training=training)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config_dict = super().get_config()
        config_dict.update({"data_format": self.data_format})
        return config_dict

    def _seed(self, seed):
        return self.generator if seed is None else seed

    def _cast(self, images):
        return ops.cast(images, self.dtype_policy.compute_dtype)


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)
