"""`PReLU`: leaky ReLU whose negative slope is learned."""

from lamina import constraints
from lamina import initializers
from lamina import ops
from lamina import regularizers
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer


class PReLU(Layer):
    """Parametric Rectified Linear Unit activation layer.

    Computes `x` for `x >= 0` and `alpha * x` otherwise, where `alpha` is a
    learned array shaped like the input without its batch axis.

    Args:
        alpha_initializer: Initializer for `alpha` (default `"Zeros"`).
        alpha_regularizer: Regularizer for `alpha`.
        alpha_constraint: Constraint for `alpha`.
        shared_axes: Axes (counted with the batch axis as 0) along which
            `alpha` is shared, e.g. `[1, 2]` for one slope per channel of
            `(batch, height, width, channels)` feature maps.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Input shape:
        Any shape.

    Output shape:
        Same as the input.

    Example:

    >>> import lamina
    >>> layer = lamina.layers.PReLU(alpha_initializer=lamina.initializers.Constant(0.5))
    >>> lamina.ops.convert_to_numpy(layer(lamina.ops.convert_to_tensor([[-2.0, 3.0]]))).tolist()
    [[-1.0, 3.0]]
    """

    def __init__(
        self,
        alpha_initializer="Zeros",
        alpha_regularizer=None,
        alpha_constraint=None,
        shared_axes=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is None:
            self.shared_axes = None
        elif not isinstance(shared_axes, (list, tuple)):
            self.shared_axes = [shared_axes]
        else:
            self.shared_axes = list(shared_axes)

    def build(self, input_shape):
        rank = len(input_shape)
        parameter_shape = list(input_shape[1:])
        for axis in self.shared_axes or []:
            if not isinstance(axis, int) or not 1 <= axis < rank:
                raise ValueError(
                    f"PReLU layer '{self.name}' expects shared_axes between 1 and {rank - 1} for inputs "
                    f"of shape {tuple(input_shape)}. Received: shared_axes={self.shared_axes}"
                )
            parameter_shape[axis - 1] = 1
        if any(dim is None for dim in parameter_shape):
            raise ValueError(
                f"PReLU layer '{self.name}' needs every non-batch axis that is not shared to have a "
                f"known size. Received input_shape={tuple(input_shape)}, shared_axes={self.shared_axes}"
            )
        self.alpha = self.add_weight(
            shape=parameter_shape,
            name="alpha",
            initializer=self.alpha_initializer,
            regularizer=self.alpha_regularizer,
            constraint=self.alpha_constraint,
        )
        axes = {axis: input_shape[axis] for axis in range(1, rank) if axis not in (self.shared_axes or [])}
        self.input_spec = InputSpec(ndim=rank, axes=axes)

    def call(self, inputs):
        positive = ops.relu(inputs)
        negative = ops.multiply(ops.negative(self.alpha), ops.relu(ops.negative(inputs)))
        return ops.add(positive, negative)

    def compute_mask(self, inputs, previous_mask=None):
        return previous_mask

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def compute_output_spec(self, inputs):
        return KerasTensor(inputs.shape, dtype=self.dtype_policy.compute_dtype)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "alpha_initializer": initializers.serialize(self.alpha_initializer),
                "alpha_regularizer": regularizers.serialize(self.alpha_regularizer),
                "alpha_constraint": constraints.serialize(self.alpha_constraint),
                "shared_axes": self.shared_axes,
            }
        )
        return config
