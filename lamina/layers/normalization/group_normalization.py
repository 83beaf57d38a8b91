"""`GroupNormalization`: normalizes each sample over groups of channels."""

from lamina import constraints
from lamina import initializers
from lamina import ops
from lamina import regularizers
from lamina.backend import result_type
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.layers.normalization.axis_utils import check_axes_in_range


class GroupNormalization(Layer):
    """Splits the channels into `groups` and normalizes each group of each sample (Wu & He, 2018).

    The mean and variance are taken over the group's channels and all other
    non-batch axes. `groups=1` is layer normalization over all features;
    `groups=-1` (one channel per group) is instance normalization.

    Args:
        groups: Number of groups (default 32); must divide the number of
            channels. -1 means one group per channel.
        axis: The channel axis (int, default -1).
        epsilon: Small float added to the variance (default 1e-3).
        center: Whether to add the learned per-channel offset `beta`.
        scale: Whether to multiply by the learned per-channel factor `gamma`.
        beta_initializer: Initializer of `beta` (default `"zeros"`).
        gamma_initializer: Initializer of `gamma` (default `"ones"`).
        beta_regularizer: Optional regularizer of `beta`.
        gamma_regularizer: Optional regularizer of `gamma`.
        beta_constraint: Optional constraint of `beta`.
        gamma_constraint: Optional constraint of `gamma`.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Example:

    >>> import lamina
    >>> layer = lamina.layers.GroupNormalization(groups=2, epsilon=0.0)
    >>> x = lamina.ops.convert_to_tensor([[1.0, 3.0, 10.0, 20.0]])
    >>> lamina.ops.convert_to_numpy(layer(x)).tolist()
    [[-1.0, 1.0, -1.0, 1.0]]
    """

    def __init__(
        self,
        groups=32,
        axis=-1,
        epsilon=1e-3,
        center=True,
        scale=True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if isinstance(groups, bool) or not isinstance(groups, int) or (groups < 1 and groups != -1):
            raise ValueError(
                f"GroupNormalization layer '{self.name}' expects groups to be a positive int or -1. "
                f"Received: groups={groups!r}"
            )
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise TypeError(
                f"GroupNormalization layer '{self.name}' expects axis to be an int. Received: axis={axis!r}"
            )
        self.groups = groups
        self.axis = axis
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)

    def build(self, input_shape):
        check_axes_in_range(self._describe(), self.axis, input_shape)
        channels = input_shape[self.axis]
        if channels is None:
            raise ValueError(
                f"{self._describe()} needs to know the size of axis {self.axis} of its inputs. "
                f"Received input_shape={tuple(input_shape)}."
            )
        if self.groups == -1:
            self.groups = channels
        if channels < self.groups or channels % self.groups != 0:
            raise ValueError(
                f"{self._describe()} expects groups={self.groups} to divide the number of channels "
                f"(axis {self.axis} of the inputs). Received input_shape={tuple(input_shape)} "
                f"with {channels} channels."
            )
        self.input_spec = InputSpec(ndim=len(input_shape), axes={self.axis: channels})
        self.gamma = None
        if self.scale:
            self.gamma = self.add_weight(
                name="gamma",
                shape=(channels,),
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
                autocast=False,
            )
        self.beta = None
        if self.center:
            self.beta = self.add_weight(
                name="beta",
                shape=(channels,),
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
                autocast=False,
            )

    def call(self, inputs):
        input_dtype = inputs.dtype
        rank = len(inputs.shape)
        axis = self.axis % rank
        dynamic_shape = ops.shape(inputs)
        channels = inputs.shape[axis]
        # Split the channel axis into (groups, channels // groups).
        group_shape = [-1] + [
            dynamic_shape[dim] if inputs.shape[dim] is None else inputs.shape[dim] for dim in range(1, rank)
        ]
        group_shape[axis : axis + 1] = [self.groups, channels // self.groups]
        grouped = ops.cast(ops.reshape(inputs, group_shape), result_type(input_dtype, "float32"))
        reduction_axes = [dim for dim in range(1, rank + 1) if dim != axis]
        mean, variance = ops.moments(grouped, axes=reduction_axes, keepdims=True)
        broadcast_shape = [1] * (rank + 1)
        broadcast_shape[axis : axis + 2] = [self.groups, channels // self.groups]
        inverse = ops.rsqrt(variance + self.epsilon)
        if self.gamma is not None:
            inverse = inverse * ops.reshape(ops.cast(self.gamma, grouped.dtype), broadcast_shape)
        offset = -mean * inverse
        if self.beta is not None:
            offset = offset + ops.reshape(ops.cast(self.beta, grouped.dtype), broadcast_shape)
        outputs = ops.reshape(ops.cast(grouped * inverse + offset, input_dtype), dynamic_shape)
        return ops.cast(outputs, self.dtype_policy.compute_dtype)

    def compute_output_shape(self, input_shape):
        check_axes_in_range(self._describe(), self.axis, input_shape)
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "groups": self.groups,
                "axis": self.axis,
                "epsilon": self.epsilon,
                "center": self.center,
                "scale": self.scale,
                "beta_initializer": initializers.serialize(self.beta_initializer),
                "gamma_initializer": initializers.serialize(self.gamma_initializer),
                "beta_regularizer": regularizers.serialize(self.beta_regularizer),
                "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
                "beta_constraint": constraints.serialize(self.beta_constraint),
                "gamma_constraint": constraints.serialize(self.gamma_constraint),
            }
        )
        return config
