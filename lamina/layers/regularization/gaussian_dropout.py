"""`GaussianDropout`: multiplies inputs by 1-centred Gaussian noise during training."""

import math

from lamina import ops
from lamina import random
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.layer import Layer
from lamina.random.seed_generator import SeedGenerator


class GaussianDropout(Layer):
    """Applies multiplicative 1-centered Gaussian noise.

    During training, inputs are multiplied by noise drawn from
    `N(1, rate / (1 - rate))` (variance), which has the same mean and
    variance as dropout's scaled Bernoulli mask. At inference it returns
    its input.

    Args:
        rate: Float in `[0, 1)`, the drop probability being imitated.
        seed: Optional int seed of the layer's generator.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Call arguments:
        inputs: A tensor of any rank.
        training: Whether to add noise (True) or pass the inputs through.

    Example:

    >>> import lamina
    >>> layer = lamina.layers.GaussianDropout(0.2, seed=1)
    >>> lamina.ops.convert_to_numpy(layer(lamina.ops.ones((1, 2)))).tolist()
    [[1.0, 1.0]]
    """

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate < 1:
            raise ValueError(
                f"GaussianDropout layer '{self.name}' expects rate to be a float in [0, 1). "
                f"Received: rate={rate!r}"
            )
        self.rate = rate
        self.seed = seed
        if rate > 0:
            self.seed_generator = SeedGenerator(seed)
        self.built = True

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        stddev = math.sqrt(self.rate / (1.0 - self.rate))
        noise = random.normal(
            ops.shape(inputs), mean=1.0, stddev=stddev, dtype=inputs.dtype, seed=self.seed_generator
        )
        return ops.multiply(inputs, noise)

    def compute_mask(self, inputs, previous_mask=None):
        return previous_mask

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def compute_output_spec(self, inputs, training=False):
        return KerasTensor(inputs.shape, dtype=self.dtype_policy.compute_dtype)

    def get_config(self):
        config = super().get_config()
        config.update({"rate": self.rate, "seed": self.seed})
        return config
