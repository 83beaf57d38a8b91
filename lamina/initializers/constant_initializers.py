"""Initializers that do not draw random numbers."""

from lamina import ops
from lamina.initializers.initializer import Initializer


class Zeros(Initializer):
    """Initializes to 0.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(Zeros()((2,))).tolist()
    [0.0, 0.0]
    """

    def __call__(self, shape, dtype=None):
        return ops.zeros(shape, dtype=dtype)


class Ones(Initializer):
    """Initializes to 1.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(Ones()((2,))).tolist()
    [1.0, 1.0]
    """

    def __call__(self, shape, dtype=None):
        return ops.ones(shape, dtype=dtype)
