"""Initializers that do not draw random numbers: Zeros, Ones, Constant, Identity."""

from lamina import ops
from lamina.backend.common import dtypes
from lamina.initializers.initializer import Initializer


class Zeros(Initializer):
    """Initializes to 0.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(Zeros()((2,))).tolist()
    [0.0, 0.0]
    """

    # Every entry's value: a backend may build the initial value on the host from it.
    _fill_value = 0

    def __call__(self, shape, dtype=None):
        return ops.zeros(shape, dtype=dtypes.standardize_dtype(dtype))


class Ones(Initializer):
    """Initializes to 1.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(Ones()((2,))).tolist()
    [1.0, 1.0]
    """

    _fill_value = 1

    def __call__(self, shape, dtype=None):
        return ops.ones(shape, dtype=dtypes.standardize_dtype(dtype))


class Constant(Initializer):
    """Initializes every entry to the scalar `value`.

    Args:
        value: A Python scalar, convertible to the requested dtype.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(Constant(3.0)((2,))).tolist()
    [3.0, 3.0]
    """

    def __init__(self, value=0.0):
        if not isinstance(value, (int, float, bool)) and getattr(value, "shape", ()) not in ((), []):
            raise ValueError(
                "Constant initializer expects a scalar value. Received: "
                f"value with shape {tuple(value.shape)}. To start from a full array, "
                "pass the array itself as the initializer."
            )
        self.value = value

    @property
    def _fill_value(self):
        return self.value

    def __call__(self, shape, dtype=None):
        dtype = dtypes.standardize_dtype(dtype)
        return ops.multiply(ops.cast(self.value, dtype), ops.ones(shape, dtype=dtype))

    def get_config(self):
        value = self.value
        if hasattr(value, "item"):
            value = value.item()
        return {"value": value}


class Identity(Initializer):
    """Initializes a 2D matrix to `gain` times the identity (rectangular: ones on the diagonal).

    Args:
        gain: Multiplicative factor applied to the identity matrix.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(Identity(gain=2.0)((2, 3))).tolist()
    [[2.0, 0.0, 0.0], [0.0, 2.0, 0.0]]
    """

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        shape = tuple(shape)
        if len(shape) != 2:
            raise ValueError(
                "Identity initializer can only create 2D matrices. Received: "
                f"shape={shape} of rank {len(shape)}."
            )
        dtype = dtypes.standardize_dtype(dtype)
        return ops.multiply(ops.cast(self.gain, dtype), ops.eye(shape[0], shape[1], dtype=dtype))

    def get_config(self):
        return {"gain": self.gain}
