"""L1, L2 and L1L2 weight penalties."""

from lamina import ops


class Regularizer:
    """Base class: a callable `(weights) -> scalar penalty` with a config."""

    def __call__(self, x):
        return 0.0

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class L1L2(Regularizer):
    """Penalty `l1 * sum(|x|) + l2 * sum(x**2)`.

    Args:
        l1: L1 factor.
        l2: L2 factor.

    Example:

    >>> import lamina
    >>> float(L1L2(l1=0.5, l2=0.5)(lamina.ops.ones((2,))))
    2.0
    """

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = float(l1)
        self.l2 = float(l2)

    def __call__(self, x):
        penalty = 0.0
        if self.l1:
            penalty = penalty + self.l1 * ops.sum(ops.absolute(x))
        if self.l2:
            penalty = penalty + self.l2 * ops.sum(ops.square(x))
        return penalty

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class L1(Regularizer):
    """Penalty `l1 * sum(|x|)`.

    Example:

    >>> import lamina
    >>> float(L1(0.1)(lamina.ops.ones((2,))))
    0.2
    """

    def __init__(self, l1=0.01):
        self.l1 = float(l1)

    def __call__(self, x):
        return self.l1 * ops.sum(ops.absolute(x))

    def get_config(self):
        return {"l1": self.l1}


class L2(Regularizer):
    """Penalty `l2 * sum(x**2)`.

    Example:

    >>> import lamina
    >>> float(L2(0.5)(lamina.ops.ones((2,))))
    1.0
    """

    def __init__(self, l2=0.01):
        self.l2 = float(l2)

    def __call__(self, x):
        return self.l2 * ops.sum(ops.square(x))

    def get_config(self):
        return {"l2": self.l2}
