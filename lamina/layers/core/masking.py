"""`Masking`: masks timesteps whose features all equal a padding value."""

from lamina import ops
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.layer import Layer


class Masking(Layer):
    """Masks a sequence by skipping timesteps equal to `mask_value`.

    A timestep `inputs[i, t, :]` is masked when every feature equals
    `mask_value`. Masked timesteps are set to zero in the output, and the
    layer produces a `(batch, timesteps)` mask that downstream layers
    taking a `mask` argument (RNNs, pooling, attention) receive
    automatically.

    Args:
        mask_value: The padding value (default `0.0`).
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Input shape:
        `(batch_size, timesteps, ..., features)`.

    Output shape:
        Same as the input.

    Example:

    >>> import lamina
    >>> x = lamina.ops.convert_to_tensor([[[1.0, 2.0], [0.0, 0.0]]])
    >>> outputs = lamina.layers.Masking()(x)
    >>> lamina.ops.convert_to_numpy(outputs._keras_mask).tolist()
    [[True, False]]
    """

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.mask_value = mask_value
        self.built = True

    def compute_mask(self, inputs, previous_mask=None):
        return ops.any(ops.not_equal(inputs, self.mask_value), axis=-1)

    def call(self, inputs):
        keep = ops.any(ops.not_equal(inputs, self.mask_value), axis=-1, keepdims=True)
        return ops.multiply(inputs, ops.cast(keep, inputs.dtype))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def compute_output_spec(self, inputs):
        return KerasTensor(inputs.shape, dtype=inputs.dtype)

    def get_config(self):
        config = super().get_config()
        config["mask_value"] = self.mask_value
        return config
