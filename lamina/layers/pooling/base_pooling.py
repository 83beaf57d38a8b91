"""`BasePooling`: the shared machinery of the max and average pooling layers."""

from lamina import config
from lamina import ops
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.ops import nn_pooling


class BasePooling(Layer):
    """Base class of `MaxPooling{1,2,3}D` and `AveragePooling{1,2,3}D`.

    Args:
        pool_size: An int or a tuple of `pool_dimensions` ints, the window size.
        strides: Like `pool_size`; None means `pool_size`.
        pool_dimensions: The number of spatial axes (1, 2 or 3).
        pool_mode: `"max"` or `"average"`.
        padding: `"valid"` or `"same"` (any case).
        data_format: `"channels_last"` or `"channels_first"` (default: the
            global `image_data_format()`).
        name: The layer's name.
        **kwargs: Base layer arguments (`dtype`, `trainable`).

    Example:

    >>> import lamina
    >>> layer = BasePooling(2, None, pool_dimensions=1, pool_mode="max")
    >>> lamina.ops.shape(layer(lamina.ops.ones((1, 4, 3))))
    (1, 2, 3)
    """

    def __init__(
        self,
        pool_size,
        strides,
        pool_dimensions,
        pool_mode="max",
        padding="valid",
        data_format=None,
        name=None,
        **kwargs,
    ):
        super().__init__(name=name, **kwargs)
        owner = f"{self.__class__.__name__} layer '{self.name}'"
        self.pool_size = nn_pooling.standardize_spatial_tuple(pool_size, pool_dimensions, "pool_size", owner)
        self.strides = (
            self.pool_size
            if strides is None
            else nn_pooling.standardize_spatial_tuple(strides, pool_dimensions, "strides", owner)
        )
        if not isinstance(padding, str) or padding.lower() not in ("valid", "same"):
            raise ValueError(
                f"{owner} expects padding to be 'valid' or 'same'. Received: padding={padding!r}"
            )
        if pool_mode not in ("max", "average"):
            raise ValueError(
                f"{owner} expects pool_mode 'max' or 'average'. Received: pool_mode={pool_mode!r}"
            )
        self.padding = padding
        self.pool_mode = pool_mode
        self.pool_dimensions = pool_dimensions
        self.data_format = config.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=pool_dimensions + 2)
        self.built = True

    def call(self, inputs):
        pool = ops.max_pool if self.pool_mode == "max" else ops.average_pool
        return pool(
            inputs,
            pool_size=self.pool_size,
            strides=self.strides,
            padding=self.padding,
            data_format=self.data_format,
        )

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        padding = self.padding.lower()
        output_shape = list(input_shape)
        for index, axis in enumerate(nn_pooling.spatial_axes(len(input_shape), self.data_format)):
            size = nn_pooling.pooled_size(
                input_shape[axis], self.pool_size[index], self.strides[index], padding
            )
            if size is not None and size <= 0:
                raise ValueError(
                    f"{self.__class__.__name__} layer '{self.name}': pool_size={self.pool_size} is larger "
                    f"than the input's spatial shape with padding='valid'. Received: "
                    f"input_shape={input_shape}, data_format={self.data_format!r}"
                )
            output_shape[axis] = size
        return tuple(output_shape)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "pool_size": self.pool_size,
                "padding": self.padding,
                "strides": self.strides,
                "data_format": self.data_format,
            }
        )
        return config
