"""`BaseGlobalPooling`: the shared machinery of the global pooling layers."""

from lamina import config
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer


class BaseGlobalPooling(Layer):
    """Base class of `GlobalMaxPooling{1,2,3}D` and `GlobalAveragePooling{1,2,3}D`.

    Subclasses implement `call`, reducing over `self.spatial_axes(rank)`.

    Args:
        pool_dimensions: The number of spatial axes (1, 2 or 3).
        data_format: `"channels_last"` or `"channels_first"` (default: the
            global `image_data_format()`).
        keepdims: Whether to keep the spatial axes with size 1.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Example:

    >>> BaseGlobalPooling(2).compute_output_shape((None, 5, 6, 3))
    (None, 3)
    """

    def __init__(self, pool_dimensions, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(keepdims, bool):
            raise ValueError(
                f"{self.__class__.__name__} layer '{self.name}' expects keepdims to be a bool. "
                f"Received: keepdims={keepdims!r}"
            )
        self.pool_dimensions = pool_dimensions
        self.data_format = config.standardize_data_format(data_format)
        self.keepdims = keepdims
        self.input_spec = InputSpec(ndim=pool_dimensions + 2)
        self.built = True

    def spatial_axes(self, rank):
        """The spatial axes of a rank-`rank` input, which the layer reduces."""
        if self.data_format == "channels_last":
            return tuple(range(1, rank - 1))
        return tuple(range(2, rank))

    def call(self, inputs):
        raise NotImplementedError(f"{self.__class__.__name__} must implement call(inputs).")

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        axes = self.spatial_axes(len(input_shape))
        if self.keepdims:
            return tuple(1 if axis in axes else size for axis, size in enumerate(input_shape))
        return tuple(size for axis, size in enumerate(input_shape) if axis not in axes)

    def get_config(self):
        config = super().get_config()
        config.update({"data_format": self.data_format, "keepdims": self.keepdims})
        return config
