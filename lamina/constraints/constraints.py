"""Weight constraints: projections applied to a weight after each optimizer step."""

from lamina import config
from lamina import ops


class Constraint:
    """Base class: a callable `(weights) -> projected weights` with a config.

    Example:

    >>> import lamina
    >>> class Clip(lamina.constraints.Constraint):
    ...     def __call__(self, w):
    ...         return lamina.ops.clip(w, -1.0, 1.0)
    >>> lamina.ops.convert_to_numpy(Clip()(lamina.ops.convert_to_tensor([-3.0, 0.5]))).tolist()
    [-1.0, 0.5]
    """

    def __call__(self, w):
        """Returns the projection of the weight `w` (unchanged by default)."""
        return w

    def get_config(self):
        """Returns the constructor arguments as a JSON-friendly dict."""
        return {}

    @classmethod
    def from_config(cls, config):
        """Creates a constraint from the dict `get_config` returned."""
        return cls(**config)

    def __repr__(self):
        arguments = ", ".join(f"{key}={value!r}" for key, value in self.get_config().items())
        return f"{self.__class__.__name__}({arguments})"


def _norms(w, axis):
    if isinstance(axis, list):
        axis = tuple(axis)
    return ops.sqrt(ops.sum(ops.square(w), axis=axis, keepdims=True))


def _rescale(w, norms, desired):
    return ops.multiply(w, ops.divide(desired, ops.add(norms, config.epsilon())))


class MaxNorm(Constraint):
    """Rescales each slice along `axis` whose L2 norm exceeds `max_value` down to it.

    Args:
        max_value: The largest allowed norm.
        axis: Axis (or list of axes) over which norms are computed. For a
            Dense kernel `(input_dim, units)`, `axis=0` constrains the weights
            into each unit; for a Conv2D kernel use `[0, 1, 2]`.

    Example:

    >>> import lamina
    >>> w = lamina.ops.convert_to_tensor([[3.0, 0.1], [4.0, 0.1]])
    >>> print(lamina.ops.convert_to_numpy(MaxNorm(1.0)(w)).round(3))
    [[0.6 0.1]
     [0.8 0.1]]
    """

    def __init__(self, max_value=2, axis=0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w):
        w = ops.convert_to_tensor(w)
        norms = _norms(w, self.axis)
        return _rescale(w, norms, ops.clip(norms, 0.0, self.max_value))

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


class MinMaxNorm(Constraint):
    """Moves each slice's L2 norm into `[min_value, max_value]`, at speed `rate`.

    The new norm is `rate * clip(norm, min_value, max_value) + (1 - rate) * norm`.

    Args:
        min_value: The smallest allowed norm.
        max_value: The largest allowed norm.
        rate: 1.0 enforces the bounds at once; smaller values move towards them.
        axis: Axis (or list of axes) over which norms are computed.

    Example:

    >>> import lamina
    >>> w = lamina.ops.convert_to_tensor([[3.0], [4.0]])
    >>> print(lamina.ops.convert_to_numpy(MinMaxNorm(0.0, 1.0)(w)).round(3))
    [[0.6]
     [0.8]]
    """

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w):
        w = ops.convert_to_tensor(w)
        norms = _norms(w, self.axis)
        clipped = ops.clip(norms, self.min_value, self.max_value)
        desired = ops.add(ops.multiply(clipped, self.rate), ops.multiply(norms, 1.0 - self.rate))
        return _rescale(w, norms, desired)

    def get_config(self):
        return {
            "min_value": self.min_value,
            "max_value": self.max_value,
            "rate": self.rate,
            "axis": self.axis,
        }


class NonNeg(Constraint):
    """Replaces negative weights with 0.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(NonNeg()(lamina.ops.convert_to_tensor([-1.0, 2.0]))).tolist()
    [0.0, 2.0]
    """

    def __call__(self, w):
        w = ops.convert_to_tensor(w)
        return ops.maximum(w, ops.zeros_like(w))


class UnitNorm(Constraint):
    """Rescales each slice along `axis` to unit L2 norm.

    Args:
        axis: Axis (or list of axes) over which norms are computed.

    Example:

    >>> import lamina
    >>> w = lamina.ops.convert_to_tensor([[3.0], [4.0]])
    >>> print(lamina.ops.convert_to_numpy(UnitNorm()(w)).round(3))
    [[0.6]
     [0.8]]
    """

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        w = ops.convert_to_tensor(w)
        return ops.divide(w, ops.add(_norms(w, self.axis), config.epsilon()))

    def get_config(self):
        return {"axis": self.axis}
