"""`SpectralNormalization`: wraps a layer and divides its kernel by its largest singular value."""

from lamina import initializers
from lamina import ops
from lamina.layers.core.wrapper import Wrapper
from lamina.layers.input_spec import InputSpec


class SpectralNormalization(Wrapper):
    """Constrains the spectral norm of a wrapped layer's kernel (Miyato et al., 2018).

    In training mode each call runs `power_iterations` steps of the power
    method, starting from the non-trainable vector `vector_u`, to estimate
    the kernel's largest singular value `sigma`, then replaces the kernel by
    `kernel / sigma` before calling the wrapped layer. At inference the
    wrapped layer runs unchanged. An all-zero kernel is left as it is.

    Args:
        layer: The layer to wrap; it must have a `kernel` (e.g. `Dense`,
            `Conv2D`) or `embeddings` (`Embedding`) weight.
        power_iterations: Number of power-method steps per training call
            (int > 0, default 1).
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Example:

    >>> import lamina
    >>> layer = lamina.layers.SpectralNormalization(lamina.layers.Dense(2, name="dense"))
    >>> layer(lamina.ops.ones((1, 3))).shape
    (1, 2)
    >>> [w.path for w in layer.weights]
    ['spectral_normalization/dense/kernel', 'spectral_normalization/vector_u', \
'spectral_normalization/dense/bias']
    """

    def __init__(self, layer, power_iterations=1, **kwargs):
        super().__init__(layer, **kwargs)
        if (
            isinstance(power_iterations, bool)
            or not isinstance(power_iterations, int)
            or power_iterations <= 0
        ):
            raise ValueError(
                f"SpectralNormalization layer '{self.name}' expects power_iterations to be an int > 0. "
                f"Received: power_iterations={power_iterations!r}"
            )
        self.power_iterations = power_iterations

    def build(self, input_shape):
        super().build(input_shape)
        self.input_spec = InputSpec(min_ndim=1, axes={-1: input_shape[-1]})
        if getattr(self.layer, "kernel", None) is not None:
            self.kernel = self.layer.kernel
        elif getattr(self.layer, "embeddings", None) is not None:
            self.kernel = self.layer.embeddings
        else:
            raise ValueError(
                f"{self._describe()} wraps a {type(self.layer).__name__} layer, which has no "
                "'kernel' nor 'embeddings' weight to normalize."
            )
        self.kernel_shape = tuple(self.kernel.shape)
        self.vector_u = self.add_weight(
            name="vector_u",
            shape=(1, self.kernel_shape[-1]),
            initializer=initializers.TruncatedNormal(stddev=0.02),
            trainable=False,
            dtype=self.kernel.dtype,
        )

    def call(self, inputs, training=False):
        if training:
            new_vector_u, new_kernel = ops.cond(
                ops.all(ops.equal(self.kernel.value, 0)),
                lambda: (self.vector_u.value, self.kernel.value),
                self.normalized_weights,
            )
            self.vector_u.assign(new_vector_u)
            self.kernel.assign(new_kernel)
        return ops.cast(self.layer(inputs), inputs.dtype)

    def normalized_weights(self):
        """Returns `(new_vector_u, kernel / sigma)` after the power-method steps.

        Returns:
            A tuple of the updated `vector_u` value and the normalized kernel.
        """
        weights = ops.reshape(self.kernel.value, (-1, self.kernel_shape[-1]))
        vector_u = self.vector_u.value
        for _ in range(self.power_iterations):
            vector_v = ops.normalize(ops.matmul(vector_u, ops.transpose(weights)), axis=None)
            vector_u = ops.normalize(ops.matmul(vector_v, weights), axis=None)
        # sigma is an estimate: the gradient flows through the kernel only.
        vector_u = ops.stop_gradient(vector_u)
        vector_v = ops.stop_gradient(vector_v)
        sigma = ops.matmul(ops.matmul(vector_v, weights), ops.transpose(vector_u))
        kernel = ops.reshape(ops.divide(self.kernel.value, sigma), self.kernel_shape)
        return ops.cast(vector_u, self.vector_u.dtype), ops.cast(kernel, self.kernel.dtype)

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self):
        config = super().get_config()
        config["power_iterations"] = self.power_iterations
        return config
