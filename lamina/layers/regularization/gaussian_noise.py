"""`GaussianNoise`: adds zero-centred Gaussian noise during training."""

from lamina import ops
from lamina import random
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.layer import Layer
from lamina.random.seed_generator import SeedGenerator


class GaussianNoise(Layer):
    """Applies additive zero-centered Gaussian noise.

    Useful to mitigate overfitting (a form of random data augmentation).
    Active only in training; at inference it returns its input.

    Args:
        stddev: Float in `[0, 1]`, the standard deviation of the noise.
        seed: Optional int seed of the layer's generator.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Call arguments:
        inputs: A tensor of any rank.
        training: Whether to add noise (True) or pass the inputs through.

    Example:

    >>> import lamina
    >>> layer = lamina.layers.GaussianNoise(0.1, seed=1)
    >>> layer(lamina.ops.ones((2, 3)), training=True).shape
    (2, 3)
    """

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(stddev, bool) or not isinstance(stddev, (int, float)) or not 0 <= stddev <= 1:
            raise ValueError(
                f"GaussianNoise layer '{self.name}' expects stddev to be a float in [0, 1]. "
                f"Received: stddev={stddev!r}"
            )
        self.stddev = stddev
        self.seed = seed
        if stddev > 0:
            self.seed_generator = SeedGenerator(seed)
        self.built = True

    def call(self, inputs, training=False):
        if not training or self.stddev == 0:
            return inputs
        noise = random.normal(
            ops.shape(inputs), stddev=self.stddev, dtype=inputs.dtype, seed=self.seed_generator
        )
        return ops.add(inputs, noise)

    def compute_mask(self, inputs, previous_mask=None):
        return previous_mask

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def compute_output_spec(self, inputs, training=False):
        return KerasTensor(inputs.shape, dtype=self.dtype_policy.compute_dtype)

    def get_config(self):
        config = super().get_config()
        config.update({"stddev": self.stddev, "seed": self.seed})
        return config
