"""`LayerNormalization`: normalizes each sample over its feature axes."""

import warnings

from lamina import constraints
from lamina import initializers
from lamina import ops
from lamina import regularizers
from lamina.backend import result_type
from lamina.layers.layer import Layer
from lamina.layers.normalization.axis_utils import check_axes_in_range
from lamina.layers.normalization.axis_utils import standardize_axis_argument
from lamina.ops.nn_normalization import _layer_normalization


class LayerNormalization(Layer):
    """Normalizes each sample independently over `axis` (Ba et al., 2016).

    Output: `gamma * (x - mean) / sqrt(variance + epsilon) + beta`, with the
    mean and variance taken over `axis` for each sample. `gamma` and `beta`
    have the shape of the normalized axes.

    Args:
        axis: Int or list/tuple of ints, the axes to normalize (default -1).
        epsilon: Small float added to the variance (default 1e-3).
        center: Whether to add the learned offset `beta`.
        scale: Whether to multiply by the learned factor `gamma`.
        beta_initializer: Initializer of `beta` (default `"zeros"`).
        gamma_initializer: Initializer of `gamma` (default `"ones"`).
        beta_regularizer: Optional regularizer of `beta`.
        gamma_regularizer: Optional regularizer of `gamma`.
        beta_constraint: Optional constraint of `beta`.
        gamma_constraint: Optional constraint of `gamma`.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`), and the
            deprecated `rms_scaling` (divides by the standard deviation without
            centering; prefer `RMSNormalization`).

    Example:

    >>> import lamina
    >>> layer = lamina.layers.LayerNormalization(epsilon=0.0)
    >>> lamina.ops.convert_to_numpy(layer(lamina.ops.convert_to_tensor([[1.0, 3.0]]))).tolist()
    [[-1.0, 1.0]]
    >>> [w.path for w in layer.weights]
    ['layer_normalization/gamma', 'layer_normalization/beta']
    """

    def __init__(
        self,
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
        rms_scaling = kwargs.pop("rms_scaling", False)
        if rms_scaling:
            warnings.warn(
                "LayerNormalization(rms_scaling=True) is deprecated: it divides by the standard "
                "deviation, not the root mean square. Use lamina.layers.RMSNormalization instead.",
                stacklevel=2,
            )
        super().__init__(**kwargs)
        self.axis = standardize_axis_argument(self.name, "LayerNormalization", axis)
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.rms_scaling = rms_scaling
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        # The statistics are computed in float32 whatever the policy; the output is cast at the end.
        self.autocast = False

    def build(self, input_shape):
        check_axes_in_range(self._describe(), self.axis, input_shape)
        self.axis = sorted(self.axis) if isinstance(self.axis, list) else [self.axis]
        shape = tuple(input_shape[dim] for dim in self.axis)
        if None in shape:
            raise ValueError(
                f"{self._describe()} needs to know the size of axes {self.axis} of its inputs. "
                f"Received input_shape={tuple(input_shape)}."
            )
        self.gamma = None
        if self.scale or self.rms_scaling:
            self.gamma = self.add_weight(
                name="gamma",
                shape=shape,
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
                autocast=False,
            )
        self.beta = None
        if self.center and not self.rms_scaling:
            self.beta = self.add_weight(
                name="beta",
                shape=shape,
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
                autocast=False,
            )

    def call(self, inputs):
        inputs = ops.cast(inputs, result_type(inputs.dtype, "float32"))
        gamma = None if self.gamma is None else ops.cast(self.gamma, inputs.dtype)
        beta = None if self.beta is None else ops.cast(self.beta, inputs.dtype)
        # The private op skips the rms_scaling deprecation warning, given once by the constructor.
        outputs = _layer_normalization(
            inputs, gamma=gamma, beta=beta, axis=self.axis, epsilon=self.epsilon, rms_scaling=self.rms_scaling
        )
        return ops.cast(outputs, self.dtype_policy.compute_dtype)

    def compute_mask(self, inputs, previous_mask):
        return previous_mask

    def compute_output_shape(self, input_shape):
        check_axes_in_range(self._describe(), self.axis, input_shape)
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "axis": self.axis,
                "epsilon": self.epsilon,
                "center": self.center,
                "scale": self.scale,
                "rms_scaling": self.rms_scaling,
                "beta_initializer": initializers.serialize(self.beta_initializer),
                "gamma_initializer": initializers.serialize(self.gamma_initializer),
                "beta_regularizer": regularizers.serialize(self.beta_regularizer),
                "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
                "beta_constraint": constraints.serialize(self.beta_constraint),
                "gamma_constraint": constraints.serialize(self.gamma_constraint),
            }
        )
        return config
