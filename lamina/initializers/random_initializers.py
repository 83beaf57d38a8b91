"""Initializers that draw random numbers: normal, uniform, truncated normal, orthogonal.

Seeds follow Keras: an int seed gives the same values on every call, a
`lamina.random.SeedGenerator` gives new values on every call, and `None`
draws from lamina's global generator (reproducible under
`lamina.utils.set_random_seed`).
"""

import math

import numpy as np

from lamina import ops
from lamina import random
from lamina.backend.common import dtypes
from lamina.initializers.initializer import Initializer
from lamina.random.seed_generator import SeedGenerator
from lamina.saving import serialization


class RandomInitializer(Initializer):
    """Base of the seeded initializers.

    Args:
        seed: An int (same values every call), a `SeedGenerator` (new values
            every call) or None (the global generator).
    """

    def __init__(self, seed=None):
        if isinstance(seed, dict):
            seed = serialization.deserialize_keras_object(
                seed, module_objects={"SeedGenerator": SeedGenerator}
            )
        if seed is not None and not isinstance(seed, SeedGenerator):
            if isinstance(seed, bool) or not isinstance(seed, int):
                raise ValueError(
                    f"{self.__class__.__name__} expects seed to be an int, a "
                    f"lamina.random.SeedGenerator or None. Received: seed={seed!r}"
                )
        self.seed = seed

    def _check_float(self, dtype):
        dtype = dtypes.standardize_dtype(dtype)
        if not dtypes.is_float(dtype):
            raise ValueError(
                f"{self.__class__.__name__} draws floats and cannot create a weight "
                f"of dtype {dtype}. Use a float dtype, or Zeros/Ones/Constant for "
                "other dtypes."
            )
        return dtype

    def get_config(self):
        return {"seed": serialization.serialize_keras_object(self.seed)}


class RandomNormal(RandomInitializer):
    """Draws from a normal distribution `N(mean, stddev**2)`.

    Args:
        mean: Mean of the distribution.
        stddev: Standard deviation of the distribution.
        seed: An int, a `SeedGenerator`, or None.

    Example:

    >>> import lamina
    >>> initializer = RandomNormal(stddev=1.0, seed=1)
    >>> a = lamina.ops.convert_to_numpy(initializer((2, 2)))
    >>> b = lamina.ops.convert_to_numpy(initializer((2, 2)))
    >>> bool((a == b).all())
    True
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed=seed)
        self.mean = mean
        self.stddev = stddev

    def __call__(self, shape, dtype=None):
        dtype = self._check_float(dtype)
        return random.normal(shape, mean=self.mean, stddev=self.stddev, dtype=dtype, seed=self.seed)

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


class TruncatedNormal(RandomInitializer):
    """Draws from a normal distribution, redrawing values more than two stddevs from the mean.

    Args:
        mean: Mean of the distribution (before truncation).
        stddev: Standard deviation of the distribution (before truncation).
        seed: An int, a `SeedGenerator`, or None.

    Example:

    >>> import lamina
    >>> x = lamina.ops.convert_to_numpy(TruncatedNormal(stddev=1.0, seed=1)((100,)))
    >>> bool((abs(x) <= 2.0).all())
    True
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed=seed)
        self.mean = mean
        self.stddev = stddev

    def __call__(self, shape, dtype=None):
        dtype = self._check_float(dtype)
        return random.truncated_normal(shape, mean=self.mean, stddev=self.stddev, dtype=dtype, seed=self.seed)

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


class RandomUniform(RandomInitializer):
    """Draws from a uniform distribution on `[minval, maxval)`.

    Args:
        minval: Lower bound of the range.
        maxval: Upper bound of the range (excluded).
        seed: An int, a `SeedGenerator`, or None.

    Example:

    >>> import lamina
    >>> x = lamina.ops.convert_to_numpy(RandomUniform(0.0, 1.0, seed=1)((100,)))
    >>> bool((x >= 0.0).all() and (x < 1.0).all())
    True
    """

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        super().__init__(seed=seed)
        self.minval = minval
        self.maxval = maxval

    def __call__(self, shape, dtype=None):
        dtype = self._check_float(dtype)
        return random.uniform(shape, minval=self.minval, maxval=self.maxval, dtype=dtype, seed=self.seed)

    def get_config(self):
        return {**super().get_config(), "minval": self.minval, "maxval": self.maxval}


class Orthogonal(RandomInitializer):
    """Draws a random orthogonal matrix (QR of a normal matrix), times `gain`.

    For shapes of rank > 2, a matrix of shape `(prod(shape[:-1]), shape[-1])`
    is drawn and reshaped. With fewer rows than columns the rows are
    orthonormal, otherwise the columns are.

    Args:
        gain: Multiplicative factor applied to the orthogonal matrix.
        seed: An int, a `SeedGenerator`, or None.

    Example:

    >>> import numpy as np
    >>> import lamina
    >>> q = lamina.ops.convert_to_numpy(Orthogonal(seed=1)((3, 3)))
    >>> bool(np.allclose(q.T @ q, np.eye(3), atol=1e-5))
    True
    """

    def __init__(self, gain=1.0, seed=None):
        super().__init__(seed=seed)
        self.gain = gain

    def __call__(self, shape, dtype=None):
        shape = tuple(shape)
        if len(shape) < 2:
            raise ValueError(
                "Orthogonal initializer needs a shape of rank >= 2. Received: "
                f"shape={shape} of rank {len(shape)}."
            )
        dtype = self._check_float(dtype)
        num_rows = math.prod(shape[:-1])
        num_columns = shape[-1]
        flat_shape = (max(num_rows, num_columns), min(num_rows, num_columns))
        matrix = random.normal(flat_shape, dtype=dtype, seed=self.seed)
        # The decomposition runs once per weight, on the host in float64: a compiling
        # backend (JAX) would otherwise compile a program per step below for every shape.
        q, r = np.linalg.qr(ops.convert_to_numpy(matrix).astype(np.float64))
        # Multiplying by the signs of diag(r) makes the decomposition unique,
        # so Q is uniformly distributed over orthogonal matrices.
        q = q * np.sign(np.diag(r))
        if num_rows < num_columns:
            q = q.T
        value = self.gain * q.reshape(shape)
        # Cast on the host where NumPy has the dtype (bfloat16 is cast by the backend).
        host_dtype = dtype if dtype in ("float16", "float32", "float64") else "float32"
        return ops.convert_to_tensor(value.astype(host_dtype), dtype=dtype)

    def get_config(self):
        return {**super().get_config(), "gain": self.gain}
