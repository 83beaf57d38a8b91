"""`Dropout`: randomly zeroes inputs during training."""

from lamina import ops
from lamina import random
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.layer import Layer
from lamina.random.seed_generator import SeedGenerator


class Dropout(Layer):
    """Sets input entries to 0 with probability `rate` during training.

    Kept entries are scaled by `1 / (1 - rate)` so the expected sum is
    unchanged. Dropout is active only when the layer is called with
    `training=True` (as `fit` does); at inference it returns its input.

    The layer owns a `lamina.random.SeedGenerator`, whose state is a
    non-trainable variable: a compiled training step threads it like any
    other state, so every step draws a fresh mask.

    Args:
        rate: Float in `[0, 1]`, the fraction of entries to drop.
        noise_shape: Optional shape of the binary mask, broadcast against
            the inputs; `None` entries take the input's size. For example
            `(batch_size, 1, features)` drops the same features at every
            timestep.
        seed: Optional int seed of the layer's generator.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Call arguments:
        inputs: A tensor of any rank.
        training: Whether to drop (True) or pass the inputs through (False).

    Example:

    >>> import lamina
    >>> layer = lamina.layers.Dropout(0.5, seed=1)
    >>> x = lamina.ops.ones((2, 4))
    >>> lamina.ops.convert_to_numpy(layer(x)).tolist()
    [[1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0]]
    >>> sorted(set(lamina.ops.convert_to_numpy(layer(x, training=True)).ravel().tolist()))
    [0.0, 2.0]
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
            raise ValueError(
                f"Dropout layer '{self.name}' expects rate to be a float in [0, 1]. Received: rate={rate!r}"
            )
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise ValueError(
                f"Dropout layer '{self.name}' expects seed to be an int or None. Received: seed={seed!r}"
            )
        self.rate = rate
        self.seed = seed
        self.noise_shape = self._validate_noise_shape(noise_shape)
        if rate > 0:
            self.seed_generator = SeedGenerator(seed)
        self.built = True

    def _validate_noise_shape(self, noise_shape):
        if noise_shape is None:
            return None
        if isinstance(noise_shape, str):
            noise_shape = None
        try:
            noise_shape = tuple(noise_shape)
        except TypeError:
            noise_shape = None
        if noise_shape is None or not all(
            dim is None or (isinstance(dim, int) and not isinstance(dim, bool) and dim > 0)
            for dim in noise_shape
        ):
            raise ValueError(
                f"Dropout layer '{self.name}' expects noise_shape to be a tuple of positive "
                "ints or None entries (e.g. (None, 1, 16)). Received: "
                f"noise_shape={noise_shape!r}"
            )
        return noise_shape

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        if self.rate == 1:
            return ops.zeros_like(inputs)
        noise_shape = self.noise_shape
        if noise_shape is not None and len(noise_shape) != len(inputs.shape):
            raise ValueError(
                f"Dropout layer '{self.name}' has noise_shape={noise_shape} of rank "
                f"{len(noise_shape)}, but received inputs of shape {tuple(inputs.shape)} "
                f"(rank {len(inputs.shape)}). Give noise_shape one entry per input axis."
            )
        return random.dropout(inputs, self.rate, noise_shape=noise_shape, seed=self.seed_generator)

    def compute_mask(self, inputs, previous_mask):
        return previous_mask

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def compute_output_spec(self, inputs, training=False):
        dtype = inputs.dtype
        if self.autocast and dtype.startswith(("float", "bfloat")):
            dtype = self.dtype_policy.compute_dtype
        return KerasTensor(inputs.shape, dtype=dtype)

    def get_config(self):
        config = super().get_config()
        config.update({"rate": self.rate, "seed": self.seed, "noise_shape": self.noise_shape})
        return config
