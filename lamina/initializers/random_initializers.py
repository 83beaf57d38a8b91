"""Initializers that draw random numbers, scaled by the tensor's fan-in and fan-out."""

import math

from lamina import random
from lamina.initializers.initializer import Initializer
from lamina.random.seed_generator import SeedGenerator


def compute_fans(shape):
    """Returns `(fan_in, fan_out)` for a weight of `shape` (Dense or convolution kernel)."""
    shape = tuple(shape)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive_field = math.prod(shape[:-2])
    return shape[-2] * receptive_field, shape[-1] * receptive_field


class RandomInitializer(Initializer):
    """Base of seeded initializers: an int seed gives the same values every call."""

    def __init__(self, seed=None):
        if seed is not None and not isinstance(seed, int):
            raise ValueError(f"{self.__class__.__name__} seed must be an int or None. Received: seed={seed!r}")
        self.seed = seed
        self._generator = None if seed is None else SeedGenerator(seed)

    def _draw_seed(self):
        return self.seed if self.seed is not None else None

    def get_config(self):
        return {"seed": self.seed}


class VarianceScaling(RandomInitializer):
    """Draws with variance `scale / n`, where n is fan_in, fan_out or their mean.

    Args:
        scale: Scaling factor (positive float).
        mode: `"fan_in"`, `"fan_out"` or `"fan_avg"`.
        distribution: `"truncated_normal"`, `"untruncated_normal"` or `"uniform"`.
        seed: Optional int seed.

    Example:

    >>> import lamina
    >>> VarianceScaling(scale=2.0, mode="fan_in", seed=1)((3, 4)).shape
    (3, 4)
    """

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None):
        if scale <= 0:
            raise ValueError(f"VarianceScaling scale must be positive. Received: scale={scale}")
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(f"VarianceScaling mode must be fan_in, fan_out or fan_avg. Received: mode={mode!r}")
        distribution = distribution.lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        if distribution not in ("truncated_normal", "untruncated_normal", "uniform"):
            raise ValueError(
                "VarianceScaling distribution must be truncated_normal, "
                f"untruncated_normal or uniform. Received: distribution={distribution!r}"
            )
        super().__init__(seed=seed)
        self.scale = scale
        self.mode = mode
        self.distribution = distribution

    def __call__(self, shape, dtype=None):
        fan_in, fan_out = compute_fans(shape)
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        variance = self.scale / max(1.0, fan)
        seed = self._draw_seed()
        if self.distribution == "truncated_normal":
            stddev = math.sqrt(variance) / 0.87962566103423978
            return random.truncated_normal(shape, stddev=stddev, dtype=dtype, seed=seed)
        if self.distribution == "untruncated_normal":
            return random.normal(shape, stddev=math.sqrt(variance), dtype=dtype, seed=seed)
        limit = math.sqrt(3.0 * variance)
        return random.uniform(shape, minval=-limit, maxval=limit, dtype=dtype, seed=seed)

    def get_config(self):
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution, "seed": self.seed}


class GlorotUniform(VarianceScaling):
    """Glorot (Xavier) uniform: limits `±sqrt(6 / (fan_in + fan_out))`. The default kernel initializer.

    Example:

    >>> import lamina
    >>> GlorotUniform(seed=1)((3, 4)).shape
    (3, 4)
    """

    def __init__(self, seed=None):
        super().__init__(scale=1.0, mode="fan_avg", distribution="uniform", seed=seed)

    def get_config(self):
        return {"seed": self.seed}
