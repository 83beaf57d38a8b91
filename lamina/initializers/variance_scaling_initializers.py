"""`VarianceScaling` and its named cases: Glorot, He and LeCun, normal and uniform."""

import math

from lamina import random
from lamina.initializers.random_initializers import RandomInitializer
from lamina.saving import serialization

# The stddev of a unit normal truncated to [-2, 2]; dividing by it restores the
# requested variance after truncation.
_TRUNCATED_NORMAL_STDDEV = 0.87962566103423978


def compute_fans(shape, input_axes=None, output_axes=None):
    """Returns `(fan_in, fan_out)` for a weight of `shape`.

    Dense kernels are `(fan_in, fan_out)`; convolution kernels are
    `(*spatial, in_channels, out_channels)` and both fans are multiplied by
    the receptive field size. `input_axes` / `output_axes` override this.

    Example:

    >>> compute_fans((3, 3, 4, 8))
    (36, 72)
    """
    shape = tuple(shape)
    if input_axes is not None and output_axes is not None:
        fan_in = math.prod(shape[axis] for axis in input_axes)
        fan_out = math.prod(shape[axis] for axis in output_axes)
        return int(fan_in), int(fan_out)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return int(shape[0]), int(shape[0])
    if len(shape) == 2:
        return int(shape[0]), int(shape[1])
    receptive_field = math.prod(shape[:-2])
    return int(shape[-2] * receptive_field), int(shape[-1] * receptive_field)


class VarianceScaling(RandomInitializer):
    """Draws with variance `scale / n`, where n is fan_in, fan_out or their mean.

    With `distribution="truncated_normal"` (or `"untruncated_normal"`) the
    samples come from a (truncated) normal with that variance; with
    `"uniform"` from `[-limit, limit]`, `limit = sqrt(3 * scale / n)`.

    Args:
        scale: Scaling factor (positive float).
        mode: `"fan_in"`, `"fan_out"` or `"fan_avg"`.
        distribution: `"truncated_normal"` (alias `"normal"`),
            `"untruncated_normal"` or `"uniform"`.
        seed: An int, a `SeedGenerator`, or None.
        input_axes: Optional axes that count as inputs for `fan_in`.
        output_axes: Optional axes that count as outputs for `fan_out`.

    Example:

    >>> import lamina
    >>> lamina.ops.shape(VarianceScaling(scale=2.0, mode="fan_in", seed=1)((3, 4)))
    (3, 4)
    """

    def __init__(
        self,
        scale=1.0,
        mode="fan_in",
        distribution="truncated_normal",
        seed=None,
        input_axes=None,
        output_axes=None,
    ):
        if not isinstance(scale, (int, float)) or scale <= 0:
            raise ValueError(f"VarianceScaling expects a positive scale. Received: scale={scale!r}")
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(
                "VarianceScaling expects mode to be 'fan_in', 'fan_out' or 'fan_avg'. "
                f"Received: mode={mode!r}"
            )
        distribution = str(distribution).lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        if distribution not in ("truncated_normal", "untruncated_normal", "uniform"):
            raise ValueError(
                "VarianceScaling expects distribution to be 'truncated_normal', "
                f"'untruncated_normal' or 'uniform'. Received: distribution={distribution!r}"
            )
        super().__init__(seed=seed)
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        self.input_axes = input_axes
        self.output_axes = output_axes

    def __call__(self, shape, dtype=None):
        dtype = self._check_float(dtype)
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        variance = self.scale / max(1.0, fan)
        if self.distribution == "truncated_normal":
            stddev = math.sqrt(variance) / _TRUNCATED_NORMAL_STDDEV
            return random.truncated_normal(shape, stddev=stddev, dtype=dtype, seed=self.seed)
        if self.distribution == "untruncated_normal":
            return random.normal(shape, stddev=math.sqrt(variance), dtype=dtype, seed=self.seed)
        limit = math.sqrt(3.0 * variance)
        return random.uniform(shape, minval=-limit, maxval=limit, dtype=dtype, seed=self.seed)

    def get_config(self):
        return {
            **super().get_config(),
            "scale": self.scale,
            "mode": self.mode,
            "distribution": self.distribution,
            "input_axes": self.input_axes,
            "output_axes": self.output_axes,
        }


class _NamedVarianceScaling(VarianceScaling):
    """A VarianceScaling whose scale, mode and distribution are fixed by its name."""

    _SCALE = 1.0
    _MODE = "fan_in"
    _DISTRIBUTION = "truncated_normal"

    def __init__(self, seed=None, input_axes=None, output_axes=None):
        super().__init__(
            scale=self._SCALE,
            mode=self._MODE,
            distribution=self._DISTRIBUTION,
            seed=seed,
            input_axes=input_axes,
            output_axes=output_axes,
        )

    def get_config(self):
        return {
            "seed": serialization.serialize_keras_object(self.seed),
            "input_axes": self.input_axes,
            "output_axes": self.output_axes,
        }


class GlorotUniform(_NamedVarianceScaling):
    """Glorot (Xavier) uniform: `U(-limit, limit)`, `limit = sqrt(6 / (fan_in + fan_out))`.

    The default kernel initializer of Dense and convolution layers.

    Args:
        seed: An int, a `SeedGenerator`, or None.
        input_axes: Optional axes that count as inputs for `fan_in`.
        output_axes: Optional axes that count as outputs for `fan_out`.

    Example:

    >>> import lamina
    >>> lamina.ops.shape(GlorotUniform(seed=1)((3, 4)))
    (3, 4)
    """

    _MODE = "fan_avg"
    _DISTRIBUTION = "uniform"


class GlorotNormal(_NamedVarianceScaling):
    """Glorot (Xavier) normal: truncated normal with `stddev = sqrt(2 / (fan_in + fan_out))`.

    Args:
        seed: An int, a `SeedGenerator`, or None.
        input_axes: Optional axes that count as inputs for `fan_in`.
        output_axes: Optional axes that count as outputs for `fan_out`.

    Example:

    >>> import lamina
    >>> lamina.ops.shape(GlorotNormal(seed=1)((3, 4)))
    (3, 4)
    """

    _MODE = "fan_avg"


class HeNormal(_NamedVarianceScaling):
    """He normal: truncated normal with `stddev = sqrt(2 / fan_in)`, suited to ReLU.

    Args:
        seed: An int, a `SeedGenerator`, or None.
        input_axes: Optional axes that count as inputs for `fan_in`.
        output_axes: Optional axes that count as outputs for `fan_out`.

    Example:

    >>> import lamina
    >>> lamina.ops.shape(HeNormal(seed=1)((3, 4)))
    (3, 4)
    """

    _SCALE = 2.0


class HeUniform(_NamedVarianceScaling):
    """He uniform: `U(-limit, limit)`, `limit = sqrt(6 / fan_in)`.

    Args:
        seed: An int, a `SeedGenerator`, or None.
        input_axes: Optional axes that count as inputs for `fan_in`.
        output_axes: Optional axes that count as outputs for `fan_out`.

    Example:

    >>> import lamina
    >>> lamina.ops.shape(HeUniform(seed=1)((3, 4)))
    (3, 4)
    """

    _SCALE = 2.0
    _DISTRIBUTION = "uniform"


class LecunNormal(_NamedVarianceScaling):
    """LeCun normal: truncated normal with `stddev = sqrt(1 / fan_in)`, suited to SELU.

    Args:
        seed: An int, a `SeedGenerator`, or None.
        input_axes: Optional axes that count as inputs for `fan_in`.
        output_axes: Optional axes that count as outputs for `fan_out`.

    Example:

    >>> import lamina
    >>> lamina.ops.shape(LecunNormal(seed=1)((3, 4)))
    (3, 4)
    """


class LecunUniform(_NamedVarianceScaling):
    """LeCun uniform: `U(-limit, limit)`, `limit = sqrt(3 / fan_in)`.

    Args:
        seed: An int, a `SeedGenerator`, or None.
        input_axes: Optional axes that count as inputs for `fan_in`.
        output_axes: Optional axes that count as outputs for `fan_out`.

    Example:

    >>> import lamina
    >>> lamina.ops.shape(LecunUniform(seed=1)((3, 4)))
    (3, 4)
    """

    _DISTRIBUTION = "uniform"
