"""`Resizing`: resizes images to a fixed height and width."""

from lamina import ops
from lamina.layers.preprocessing.image.base_image_layer import BaseImagePreprocessingLayer
from lamina.ops.image_resize import RESIZE_INTERPOLATIONS


class Resizing(BaseImagePreprocessingLayer):
    """Resizes images to `(height, width)` with `lamina.ops.image.resize`.

    Args:
        height: Output height.
        width: Output width.
        interpolation: `"bilinear"`, `"nearest"`, `"bicubic"`, `"lanczos3"` or `"lanczos5"`.
        crop_to_aspect_ratio: Whether to first crop the largest centered box with the
            output's aspect ratio (no distortion).
        pad_to_aspect_ratio: Whether to first pad to the output's aspect ratio.
        fill_mode: Only `"constant"` (padding with `fill_value`).
        fill_value: Value of the padding when `pad_to_aspect_ratio=True`.
        antialias: Whether to filter when downsampling.
        data_format: `"channels_last"`, `"channels_first"` or None (the global default).
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Input shape:
        `(batch, height, width, channels)` or `(height, width, channels)` (channels last).

    Output shape:
        The same with the new height and width.

    Example:

    >>> import lamina
    >>> lamina.layers.Resizing(4, 6)(lamina.ops.ones((2, 8, 8, 3))).shape
    (2, 4, 6, 3)
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        height,
        width,
        interpolation="bilinear",
        crop_to_aspect_ratio=False,
        pad_to_aspect_ratio=False,
        fill_mode="constant",
        fill_value=0.0,
        antialias=False,
        data_format=None,
        **kwargs,
    ):
        super().__init__(data_format=data_format, **kwargs)
        for argument, value in (("height", height), ("width", width)):
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ValueError(
                    f"Resizing layer '{self.name}' expects {argument} to be a positive int. "
                    f"Received: {argument}={value!r}"
                )
        self._check_choice("interpolation", interpolation, RESIZE_INTERPOLATIONS)
        self._check_choice("fill_mode", fill_mode, ("constant",))
        if crop_to_aspect_ratio and pad_to_aspect_ratio:
            raise ValueError(
                f"Resizing layer '{self.name}' accepts only one of crop_to_aspect_ratio and "
                "pad_to_aspect_ratio set to True. Received both True."
            )
        self.height = height
        self.width = width
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self.pad_to_aspect_ratio = pad_to_aspect_ratio
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.antialias = bool(antialias)

    def transform_images(self, images, transformation=None, training=True):
        outputs = ops.image.resize(
            images,
            (self.height, self.width),
            interpolation=self.interpolation,
            antialias=self.antialias,
            crop_to_aspect_ratio=self.crop_to_aspect_ratio,
            pad_to_aspect_ratio=self.pad_to_aspect_ratio,
            fill_mode=self.fill_mode,
            fill_value=self.fill_value,
            data_format=self.data_format,
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
        config_dict.update(
            {
                "height": self.height,
                "width": self.width,
                "interpolation": self.interpolation,
                "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
                "pad_to_aspect_ratio": self.pad_to_aspect_ratio,
                "fill_mode": self.fill_mode,
                "fill_value": self.fill_value,
                "antialias": self.antialias,
                "data_format": self.data_format,
            }
        )
        return config_dict
