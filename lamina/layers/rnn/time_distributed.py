"""`TimeDistributed`: applies a layer to every timestep of a sequence."""

from lamina import ops
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.core.wrapper import Wrapper
from lamina.layers.layer_call_helpers import call_signature


class TimeDistributed(Wrapper):
    """Applies the wrapped layer to every temporal slice of its input.

    Inputs have shape `(batch, time, ...)`. Each slice `inputs[:, t]` goes
    through the same wrapped layer (the same weights for every timestep), and
    the results are stacked back along axis 1. The slices are processed in one
    call on a `(batch * time, ...)` view of the input, so a `Dense` or `Conv2D`
    runs as a single large matrix product or convolution rather than a loop.

    A Keras mask of shape `(batch, time)` is passed to the wrapped layer (as a
    mask of the flattened batch) when it accepts one, and propagates unchanged.

    Args:
        layer: The `Layer` instance to apply to every timestep.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Call arguments:
        inputs: A tensor of rank >= 3, `(batch, time, ...)`.
        training: Passed to the wrapped layer.
        mask: Optional boolean tensor of shape `(batch, time)`.

    Example:

    >>> import lamina
    >>> layer = lamina.layers.TimeDistributed(lamina.layers.Dense(8, name="dense"))
    >>> layer(lamina.ops.ones((32, 10, 16))).shape
    (32, 10, 8)
    >>> [w.path for w in layer.weights]
    ['time_distributed/dense/kernel', 'time_distributed/dense/bias']
    """

    def _check_rank(self, input_shape):
        if not isinstance(input_shape, (tuple, list)) or len(input_shape) < 3:
            raise ValueError(
                f"TimeDistributed layer '{self.name}' expects one input of rank >= 3, shaped "
                f"(batch, time, ...). Received: input_shape={input_shape!r}"
            )

    def build(self, input_shape):
        self._check_rank(input_shape)
        super().build((input_shape[0], *input_shape[2:]))

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape)
        inner_shape = self.layer.compute_output_shape((input_shape[0], *input_shape[2:]))
        return (inner_shape[0], input_shape[1], *inner_shape[1:])

    def compute_output_spec(self, inputs, training=None, mask=None):
        self._check_rank(inputs.shape)
        inner = self.layer.compute_output_spec(
            KerasTensor((inputs.shape[0], *inputs.shape[2:]), dtype=inputs.dtype)
        )
        if not isinstance(inner, KerasTensor):
            raise ValueError(
                f"TimeDistributed layer '{self.name}' wraps {type(self.layer).__name__} "
                f"'{self.layer.name}', which returns several tensors; TimeDistributed needs a layer "
                "with a single output."
            )
        return KerasTensor((inputs.shape[0], inputs.shape[1], *inner.shape[1:]), dtype=inner.dtype)

    def call(self, inputs, training=None, mask=None):
        self._check_rank(tuple(inputs.shape))
        batch_size, timesteps = ops.shape(inputs)[:2]
        flat_inputs = ops.reshape(inputs, (batch_size * timesteps, *ops.shape(inputs)[2:]))
        kwargs = {}
        signature = call_signature(type(self.layer))
        if signature["has_training"]:
            kwargs["training"] = training
        if signature["has_mask"] and mask is not None:
            kwargs["mask"] = ops.reshape(mask, (batch_size * timesteps, *ops.shape(mask)[2:]))
        outputs = self.layer(flat_inputs, **kwargs)
        return ops.reshape(outputs, (batch_size, timesteps, *ops.shape(outputs)[1:]))

    def compute_mask(self, inputs, previous_mask):
        return previous_mask
