"""Shared machinery of the N-D cropping, zero-padding and up-sampling layers."""

from lamina import config as lamina_config
from lamina import ops
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.layers.reshaping import spatial_arguments


class BaseSpatial(Layer):
    """A weightless layer acting on the `num_spatial` spatial axes of `(batch, ..., channels)` inputs.

    Args:
        num_spatial: Number of spatial axes (1, 2 or 3).
        data_format: `"channels_last"`, `"channels_first"` or None (the
            global `image_data_format()`).
        **kwargs: Base layer arguments.
    """

    def __init__(self, num_spatial, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.num_spatial = num_spatial
        self.data_format = lamina_config.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=num_spatial + 2)
        self.built = True

    def _spatial_axes(self):
        return spatial_arguments.spatial_axes(self.data_format, self.num_spatial)

    def compute_output_spec(self, inputs):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=inputs.dtype)


class BaseCropping(BaseSpatial):
    """Crops `(before, after)` entries off each spatial axis."""

    def __init__(self, num_spatial, cropping, data_format=None, **kwargs):
        super().__init__(num_spatial, data_format=data_format, **kwargs)
        self.cropping = spatial_arguments.normalize_pairs(cropping, num_spatial, "cropping", self)

    def call(self, inputs):
        self.compute_output_shape(tuple(inputs.shape))
        index = [slice(None)] * len(inputs.shape)
        for axis, (before, after) in zip(self._spatial_axes(), self.cropping):
            index[axis] = slice(before, inputs.shape[axis] - after)
        return inputs[tuple(index)]

    def compute_output_shape(self, input_shape):
        output_shape = list(input_shape)
        for axis, (before, after) in zip(self._spatial_axes(), self.cropping):
            if input_shape[axis] is None:
                continue
            if before + after >= input_shape[axis]:
                raise ValueError(
                    f"{type(self).__name__} layer '{self.name}' cannot crop {before + after} entries "
                    f"(cropping={self.cropping}) off axis {axis} of size {input_shape[axis]}: nothing "
                    f"would remain. Received input_shape={tuple(input_shape)}"
                )
            output_shape[axis] = input_shape[axis] - before - after
        return tuple(output_shape)


class BaseZeroPadding(BaseSpatial):
    """Pads `(before, after)` zeros onto each spatial axis."""

    def __init__(self, num_spatial, padding, data_format=None, **kwargs):
        super().__init__(num_spatial, data_format=data_format, **kwargs)
        self.padding = spatial_arguments.normalize_pairs(padding, num_spatial, "padding", self)

    def call(self, inputs):
        pad_width = [(0, 0)] * len(inputs.shape)
        for axis, pair in zip(self._spatial_axes(), self.padding):
            pad_width[axis] = pair
        return ops.pad(inputs, pad_width)

    def compute_output_shape(self, input_shape):
        output_shape = list(input_shape)
        for axis, (before, after) in zip(self._spatial_axes(), self.padding):
            if input_shape[axis] is not None:
                output_shape[axis] = input_shape[axis] + before + after
        return tuple(output_shape)


class BaseUpSampling(BaseSpatial):
    """Repeats each entry of every spatial axis `size` times (nearest-neighbour up-sampling)."""

    def __init__(self, num_spatial, size, data_format=None, **kwargs):
        super().__init__(num_spatial, data_format=data_format, **kwargs)
        self.size = spatial_arguments.normalize_sizes(size, num_spatial, "size", self)

    def call(self, inputs):
        outputs = inputs
        for axis, factor in zip(self._spatial_axes(), self.size):
            if factor > 1:
                outputs = ops.repeat(outputs, factor, axis=axis)
        return outputs

    def compute_output_shape(self, input_shape):
        output_shape = list(input_shape)
        for axis, factor in zip(self._spatial_axes(), self.size):
            if input_shape[axis] is not None:
                output_shape[axis] = input_shape[axis] * factor
        return tuple(output_shape)
