"""`BatchNormalization`: normalizes with batch statistics in training, moving statistics at inference."""

from lamina import constraints
from lamina import initializers
from lamina import ops
from lamina import regularizers
from lamina.backend import epsilon as backend_epsilon
from lamina.backend import result_type
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer

_RENORM_CLIPPING_KEYS = ("rmax", "rmin", "dmax")


class BatchNormalization(Layer):
    """Normalizes its inputs over the batch (and every non-feature axis).

    With `training=True` (as `fit` calls it) the layer uses the mean and
    variance of the current batch and moves its moving statistics toward
    them: `moving = moving * momentum + batch * (1 - momentum)`. At
    inference it uses the moving statistics. Output:
    `gamma * (x - mean) / sqrt(variance + epsilon) + beta`.

    Setting `layer.trainable = False` freezes the layer: it then always
    runs in inference mode (as in Keras 3), even inside `fit`.

    Args:
        axis: The feature axis (int, default -1).
        momentum: Momentum of the moving statistics (default 0.99).
        epsilon: Small float added to the variance (default 1e-3).
        center: Whether to add the learned offset `beta`.
        scale: Whether to multiply by the learned factor `gamma`.
        beta_initializer: Initializer of `beta` (default `"zeros"`).
        gamma_initializer: Initializer of `gamma` (default `"ones"`).
        moving_mean_initializer: Initializer of the moving mean (default `"zeros"`).
        moving_variance_initializer: Initializer of the moving variance (default `"ones"`).
        beta_regularizer: Optional regularizer of `beta`.
        gamma_regularizer: Optional regularizer of `gamma`.
        beta_constraint: Optional constraint of `beta`.
        gamma_constraint: Optional constraint of `gamma`.
        renorm: Whether to use batch renormalization (adds the non-trainable
            `moving_stddev`, `renorm_mean` and `renorm_stddev`).
        renorm_clipping: Optional dict with keys `"rmax"`, `"rmin"`, `"dmax"`
            bounding the renormalization corrections.
        renorm_momentum: Momentum of the renormalization statistics.
        synchronized: Must be False (cross-device statistics need the
            TensorFlow backend in Keras too).
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Call arguments:
        inputs: A tensor of any rank.
        training: Whether to use (and update with) batch statistics.
        mask: Optional boolean tensor of rank `inputs.ndim - 1`; masked
            positions are left out of the batch statistics.

    Example:

    >>> import lamina
    >>> layer = lamina.layers.BatchNormalization(momentum=0.5, epsilon=0.0)
    >>> x = lamina.ops.convert_to_tensor([[0.0, 2.0], [2.0, 6.0]])
    >>> lamina.ops.convert_to_numpy(layer(x, training=True)).tolist()
    [[-1.0, -1.0], [1.0, 1.0]]
    >>> lamina.ops.convert_to_numpy(layer.moving_mean).tolist()
    [0.5, 2.0]
    >>> [w.path for w in layer.weights]
    ['batch_normalization/gamma', 'batch_normalization/beta', \
'batch_normalization/moving_mean', 'batch_normalization/moving_variance']
    """

    def __init__(
        self,
        axis=-1,
        momentum=0.99,
        epsilon=1e-3,
        center=True,
        scale=True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        moving_mean_initializer="zeros",
        moving_variance_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        renorm=False,
        renorm_clipping=None,
        renorm_momentum=0.99,
        synchronized=False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise TypeError(
                f"BatchNormalization layer '{self.name}' expects axis to be an int. Received: axis={axis!r}"
            )
        if synchronized:
            raise ValueError(
                f"BatchNormalization layer '{self.name}': synchronized=True is only supported with "
                "the TensorFlow backend (as in Keras). Received: synchronized=True"
            )
        self.axis = int(axis)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.synchronized = synchronized
        self.renorm = renorm
        if renorm:
            renorm_clipping = self._validate_renorm_clipping(renorm_clipping or {})
        self.renorm_clipping = renorm_clipping
        self.renorm_momentum = renorm_momentum
        self.gamma = None
        self.beta = None
        self.moving_mean = None
        self.moving_variance = None
        self._reduction_axes = None

    def _validate_renorm_clipping(self, clipping):
        unknown = set(clipping) - set(_RENORM_CLIPPING_KEYS)
        if unknown:
            raise ValueError(
                f"BatchNormalization layer '{self.name}' expects renorm_clipping keys among "
                f"{list(_RENORM_CLIPPING_KEYS)}. Received: renorm_clipping={clipping!r}"
            )
        rmax, rmin, dmax = clipping.get("rmax"), clipping.get("rmin"), clipping.get("dmax")
        if rmax is not None and rmin is not None and rmax < rmin:
            raise ValueError(
                f"BatchNormalization layer '{self.name}' expects renorm_clipping rmax >= rmin. "
                f"Received: rmax={rmax}, rmin={rmin}"
            )
        if dmax is not None and dmax < 0:
            raise ValueError(
                f"BatchNormalization layer '{self.name}' expects renorm_clipping dmax >= 0. "
                f"Received: dmax={dmax}"
            )
        return clipping

    def build(self, input_shape):
        rank = len(input_shape)
        if not -rank <= self.axis < rank:
            raise ValueError(
                f"{self._describe()} has axis={self.axis}, out of range for inputs of rank {rank} "
                f"(shape {tuple(input_shape)})."
            )
        features = input_shape[self.axis]
        if features is None:
            raise ValueError(
                f"{self._describe()} needs to know the size of axis {self.axis} of its inputs. "
                f"Received input_shape={tuple(input_shape)}."
            )
        shape = (features,)
        if self.scale:
            self.gamma = self._add_state(
                "gamma", shape, self.gamma_initializer, True, self.gamma_regularizer, self.gamma_constraint
            )
        if self.center:
            self.beta = self._add_state(
                "beta", shape, self.beta_initializer, True, self.beta_regularizer, self.beta_constraint
            )
        self.moving_mean = self._add_state("moving_mean", shape, self.moving_mean_initializer, False)
        self.moving_variance = self._add_state(
            "moving_variance", shape, self.moving_variance_initializer, False
        )
        if self.renorm:
            variance_initializer = self.moving_variance_initializer

            def stddev_initializer(shape, dtype=None):
                return ops.sqrt(variance_initializer(shape, dtype=dtype))

            self.moving_stddev = self._add_state("moving_stddev", shape, stddev_initializer, False)
            self.renorm_mean = self._add_state("renorm_mean", shape, self.moving_mean_initializer, False)
            self.renorm_stddev = self._add_state("renorm_stddev", shape, stddev_initializer, False)
        self.input_spec = InputSpec(ndim=rank, axes={self.axis: features})
        self._reduction_axes = [dim for dim in range(rank) if dim != self.axis % rank]

    def _add_state(self, name, shape, initializer, trainable, regularizer=None, constraint=None):
        return self.add_weight(
            name=name,
            shape=shape,
            initializer=initializer,
            regularizer=regularizer,
            constraint=constraint,
            trainable=trainable,
            autocast=False,
        )

    def call(self, inputs, training=None, mask=None):
        if mask is not None and len(mask.shape) != len(inputs.shape) - 1:
            raise ValueError(
                f"{self._describe()} expects a mask of rank inputs.ndim - 1. Received: "
                f"mask.shape={tuple(mask.shape)}, inputs.shape={tuple(inputs.shape)}"
            )
        inputs = ops.cast(inputs, result_type(inputs.dtype, "float32"))
        dtype = inputs.dtype
        moving_mean = ops.cast(self.moving_mean, dtype)
        moving_variance = ops.cast(self.moving_variance, dtype)
        gamma = ops.cast(self.gamma, dtype) if self.scale else None
        beta = ops.cast(self.beta, dtype) if self.center else None
        if training and self.trainable:
            mean, variance = self._moments(inputs, mask)
            if self.renorm:
                gamma, beta = self._renormalize(mean, variance, gamma, beta, dtype)
                self._update_renorm_statistics(mean, variance)
            else:
                self.moving_mean.assign(moving_mean * self.momentum + mean * (1.0 - self.momentum))
                self.moving_variance.assign(
                    moving_variance * self.momentum + variance * (1.0 - self.momentum)
                )
        else:
            mean, variance = moving_mean, moving_variance
        outputs = ops.batch_normalization(
            inputs, mean, variance, axis=self.axis, offset=beta, scale=gamma, epsilon=self.epsilon
        )
        return ops.cast(outputs, self.dtype_policy.compute_dtype)

    def _moments(self, inputs, mask):
        if mask is None:
            return ops.moments(inputs, axes=self._reduction_axes)
        # Masked positions carry no weight; the epsilon keeps fully masked features finite.
        weights = ops.broadcast_to(ops.expand_dims(ops.cast(mask, "bool"), -1), ops.shape(inputs))
        float_weights = ops.cast(weights, inputs.dtype)
        total = ops.sum(float_weights, self._reduction_axes, keepdims=True) + backend_epsilon()
        mean = ops.sum(ops.where(weights, inputs, 0.0), self._reduction_axes, keepdims=True) / total
        squared = ops.square(ops.where(weights, inputs - mean, 0.0))
        variance = ops.sum(squared, self._reduction_axes, keepdims=True) / total
        return ops.reshape(mean, (-1,)), ops.reshape(variance, (-1,))

    def _renormalize(self, mean, variance, gamma, beta, dtype):
        stddev = ops.sqrt(variance + self.epsilon)
        renorm_mean = ops.cast(self.renorm_mean, dtype)
        renorm_stddev = ops.maximum(ops.cast(self.renorm_stddev, dtype), ops.sqrt(self.epsilon))
        r = stddev / renorm_stddev
        d = (mean - renorm_mean) / renorm_stddev
        clipping = self.renorm_clipping
        if clipping.get("rmin") is not None:
            r = ops.maximum(r, clipping["rmin"])
        if clipping.get("rmax") is not None:
            r = ops.minimum(r, clipping["rmax"])
        if clipping.get("dmax") is not None:
            d = ops.clip(d, -clipping["dmax"], clipping["dmax"])
        # The corrections are constants for the gradient (Ioffe, 2017).
        r, d = ops.stop_gradient(r), ops.stop_gradient(d)
        # (x_hat * r + d) * gamma + beta, folded into one scale and offset.
        new_gamma = r if gamma is None else r * gamma
        new_beta = d if gamma is None else d * gamma
        if beta is not None:
            new_beta = new_beta + beta
        return new_gamma, new_beta

    def _update_renorm_statistics(self, mean, variance):
        dtype = mean.dtype
        stddev = ops.sqrt(variance + self.epsilon)
        keep = self.renorm_momentum
        self.renorm_mean.assign(ops.cast(self.renorm_mean, dtype) * keep + mean * (1.0 - keep))
        self.renorm_stddev.assign(ops.cast(self.renorm_stddev, dtype) * keep + stddev * (1.0 - keep))
        keep = self.momentum
        self.moving_mean.assign(ops.cast(self.moving_mean, dtype) * keep + mean * (1.0 - keep))
        moving_stddev = ops.cast(self.moving_stddev, dtype) * keep + stddev * (1.0 - keep)
        self.moving_stddev.assign(moving_stddev)
        self.moving_variance.assign(ops.relu(moving_stddev * moving_stddev - self.epsilon))

    def compute_mask(self, inputs, previous_mask):
        return previous_mask

    def compute_output_shape(self, input_shape):
        rank = len(input_shape)
        if not -rank <= self.axis < rank:
            raise ValueError(
                f"{self._describe()} has axis={self.axis}, out of range for inputs of shape "
                f"{tuple(input_shape)}."
            )
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "axis": self.axis,
                "momentum": self.momentum,
                "epsilon": self.epsilon,
                "center": self.center,
                "scale": self.scale,
                "beta_initializer": initializers.serialize(self.beta_initializer),
                "gamma_initializer": initializers.serialize(self.gamma_initializer),
                "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
                "moving_variance_initializer": initializers.serialize(self.moving_variance_initializer),
                "beta_regularizer": regularizers.serialize(self.beta_regularizer),
                "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
                "beta_constraint": constraints.serialize(self.beta_constraint),
                "gamma_constraint": constraints.serialize(self.gamma_constraint),
                "synchronized": self.synchronized,
                "renorm": self.renorm,
                "renorm_clipping": self.renorm_clipping,
                "renorm_momentum": self.renorm_momentum,
            }
        )
        return config
