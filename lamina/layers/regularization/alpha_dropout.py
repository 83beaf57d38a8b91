"""`AlphaDropout`: dropout that keeps SELU activations self-normalizing."""

from lamina import ops
from lamina import random
from lamina.layers.regularization.dropout import Dropout

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


class AlphaDropout(Dropout):
    """Applies Alpha Dropout to the input.

    Dropped entries are set to SELU's negative saturation value and the
    result is transformed affinely so the mean and variance of the inputs
    are kept, which suits networks of `selu` units. Active only in training.

    Args:
        rate: Float in `[0, 1]`, the drop probability.
        noise_shape: Optional shape of the binary mask, broadcast against
            the inputs; `None` entries take the input's size.
        seed: Optional int seed of the layer's generator.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Call arguments:
        inputs: A tensor of any rank.
        training: Whether to drop (True) or pass the inputs through (False).

    Example:

    >>> import lamina
    >>> layer = lamina.layers.AlphaDropout(0.2, seed=1)
    >>> layer(lamina.ops.ones((2, 3)), training=True).shape
    (2, 3)
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(rate, noise_shape=noise_shape, seed=seed, **kwargs)

    def _concrete_noise_shape(self, inputs):
        shape = tuple(inputs.shape)
        if self.noise_shape is None:
            return shape
        if len(self.noise_shape) != len(shape):
            raise ValueError(
                f"AlphaDropout layer '{self.name}' has noise_shape={self.noise_shape} of rank "
                f"{len(self.noise_shape)}, but received inputs of shape {shape}. Give noise_shape one "
                "entry per input axis."
            )
        return tuple(size if dim is None else dim for dim, size in zip(self.noise_shape, shape))

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        alpha_prime = -_SELU_ALPHA * _SELU_SCALE
        uniform = random.uniform(self._concrete_noise_shape(inputs), seed=self.seed_generator)
        kept = ops.cast(ops.greater_equal(uniform, self.rate), inputs.dtype)
        scale = ((1 - self.rate) * (1 + self.rate * alpha_prime**2)) ** -0.5
        shift = -scale * alpha_prime * self.rate
        dropped = ops.add(ops.multiply(inputs, kept), ops.multiply(alpha_prime, ops.subtract(1.0, kept)))
        return ops.add(ops.multiply(scale, dropped), shift)

    def get_config(self):
        config = super().get_config()
        return {key: config[key] for key in ("name", "trainable", "dtype", "rate", "seed", "noise_shape")}
