"""`CenterCrop`: crops the center of images to a fixed size."""

from lamina import ops
from lamina.layers.preprocessing.image.base_image_layer import BaseImagePreprocessingLayer


class CenterCrop(BaseImagePreprocessingLayer):
    """Crops the central `(height, width)` box of images.

    An image smaller than the target on either axis is instead resized to the
    target after cropping the largest centered box with the target's aspect
    ratio (as Keras's `smart_resize`).

    Args:
        height: Output height.
        width: Output width.
        data_format: `"channels_last"`, `"channels_first"` or None (the global default).
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Example:

    >>> import lamina
    >>> lamina.layers.CenterCrop(2, 3)(lamina.ops.ones((1, 4, 5, 3))).shape
    (1, 2, 3, 3)
    """

    _USE_BASE_FACTOR = False

    def __init__(self, height, width, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        for argument, value in (("height", height), ("width", width)):
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ValueError(
                    f"CenterCrop layer '{self.name}' expects {argument} to be a positive int. "
                    f"Received: {argument}={value!r}"
                )
        self.height = height
        self.width = width

    def get_random_transformation(self, data, training=True, seed=None):
        return {"input_shape": tuple(data.shape)}

    def transform_images(self, images, transformation=None, training=True):
        images = self._cast(images)
        _, height, width = self._image_size(tuple(images.shape))
        if height >= self.height and width >= self.width:
            return ops.image.crop_images(
                images,
                (height - self.height) // 2,
                (width - self.width) // 2,
                target_height=self.height,
                target_width=self.width,
                data_format=self.data_format,
            )
        outputs = ops.image.resize(
            images, (self.height, self.width), crop_to_aspect_ratio=True, data_format=self.data_format
        )
        return self._cast(outputs)

    def compute_output_shape(self, input_shape):
        output_shape = list(input_shape)
        height_axis, width_axis = self._spatial_axes(len(output_shape))
        output_shape[height_axis] = self.height
        output_shape[width_axis] = self.width
        return tuple(output_shape)

    def get_config(self):
        config_dict = super().get_config()
        config_dict.update({"height": self.height, "width": self.width, "data_format": self.data_format})
        return config_dict
