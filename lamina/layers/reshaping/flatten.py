"""`Flatten`: collapses every non-batch axis into one."""

import math

from lamina import config
from lamina import ops
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer


class Flatten(Layer):
    """Flattens the input, keeping the batch axis: `(batch, ...)` becomes `(batch, prod(...))`.

    Args:
        data_format: `"channels_last"` or `"channels_first"` (default: the
            global `image_data_format()`). With `"channels_first"`, inputs
            are first moved to channels-last order, so a model converted
            between formats flattens features in the same order.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Input shape:
        A tensor of rank >= 1: `(batch, ...)`.

    Output shape:
        `(batch, prod(non-batch axes))`, or `(batch, 1)` for rank-1 inputs.

    Example:

    >>> import lamina
    >>> lamina.ops.shape(lamina.layers.Flatten()(lamina.ops.ones((2, 3, 4))))
    (2, 12)
    """

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = config.standardize_data_format(data_format)
        self.input_spec = InputSpec(min_ndim=1)

    def call(self, inputs):
        shape = tuple(inputs.shape)
        rank = len(shape)
        if self.data_format == "channels_first" and rank > 2:
            inputs = ops.transpose(inputs, (0, *range(2, rank), 1))
        non_batch = shape[1:]
        if any(dim is None for dim in non_batch):
            flat = -1
        else:
            flat = math.prod(non_batch)
        return ops.reshape(inputs, (-1 if shape[0] is None else shape[0], flat))

    def compute_output_shape(self, input_shape):
        non_batch = tuple(input_shape[1:])
        flat = None if any(dim is None for dim in non_batch) else math.prod(non_batch)
        return (input_shape[0], flat)

    def compute_output_spec(self, inputs):
        dtype = inputs.dtype
        if self.autocast and dtype.startswith(("float", "bfloat")):
            dtype = self.dtype_policy.compute_dtype
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=dtype)

    def get_config(self):
        config = super().get_config()
        config["data_format"] = self.data_format
        return config
