"""`Softmax`: the softmax activation as a layer, with optional masking."""

from lamina import activations
from lamina import ops
from lamina.backend.common import dtypes
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.layer import Layer


def _large_negative_number(dtype):
    if dtypes.standardize_dtype(dtype) == "float16":
        return -3e4
    return -1e9


class Softmax(Layer):
    """Softmax activation layer: `exp(x) / sum(exp(x))` along `axis`.

    Args:
        axis: Integer or tuple of integers, the axis (axes) along which the
            softmax normalization is applied (default -1).
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Call arguments:
        inputs: The logits.
        mask: Optional boolean (or 0/1) tensor broadcastable to `inputs`;
            masked positions (False) take no probability and output 0.

    Input shape:
        Any shape.

    Output shape:
        Same as the input.

    Example:

    >>> import lamina
    >>> x = lamina.ops.convert_to_tensor([[1.0, 1.0, 5.0]])
    >>> mask = lamina.ops.convert_to_tensor([[True, True, False]])
    >>> lamina.ops.convert_to_numpy(lamina.layers.Softmax()(x, mask=mask)).tolist()
    [[0.5, 0.5, 0.0]]
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.built = True

    def call(self, inputs, mask=None):
        if mask is not None:
            self._check_mask(inputs, mask)
            if dtypes.standardize_dtype(ops.dtype(mask)) != "bool":
                mask = ops.greater(mask, 0.5)
            inputs = ops.where(mask, inputs, _large_negative_number(inputs.dtype))
        if isinstance(self.axis, (tuple, list)) and len(self.axis) > 1:
            outputs = ops.exp(
                ops.subtract(inputs, ops.logsumexp(inputs, axis=tuple(self.axis), keepdims=True))
            )
        elif isinstance(self.axis, (tuple, list)):
            outputs = activations.softmax(inputs, axis=self.axis[0])
        else:
            outputs = activations.softmax(inputs, axis=self.axis)
        if mask is not None:
            # A fully masked axis would otherwise come out uniform.
            outputs = ops.where(mask, outputs, ops.zeros_like(outputs))
        return outputs

    def _check_mask(self, inputs, mask):
        input_shape = tuple(inputs.shape)
        mask_shape = tuple(mask.shape)
        broadcastable = len(mask_shape) <= len(input_shape) and all(
            mask_dim is None or input_dim is None or mask_dim in (1, input_dim)
            for mask_dim, input_dim in zip(mask_shape[::-1], input_shape[::-1])
        )
        if not broadcastable:
            raise ValueError(
                f"Softmax layer '{self.name}' expects a mask broadcastable to its inputs (each mask "
                f"axis 1 or equal to the input's). Received: inputs.shape={input_shape}, "
                f"mask.shape={mask_shape}"
            )

    def compute_mask(self, inputs, previous_mask=None):
        return previous_mask

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def compute_output_spec(self, inputs, mask=None):
        return KerasTensor(inputs.shape, dtype=self.dtype_policy.compute_dtype)

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config
