"""Weight penalties: L1, L2, L1L2 and the orthogonality penalty."""

import math

from lamina import config
from lamina import ops


def _validate_factor(value, owner, name):
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or math.isnan(value)
        or math.isinf(value)
        or value < 0
    ):
        raise ValueError(f"{owner} expects {name} to be a non-negative float. Received: {name}={value!r}")
    return float(value)


class Regularizer:
    """Base class: a callable `(weights) -> scalar penalty` with a config.

    Subclasses implement `__call__(x)` and `get_config()`.

    Example:

    >>> import lamina
    >>> class Sum(lamina.regularizers.Regularizer):
    ...     def __call__(self, x):
    ...         return lamina.ops.sum(x)
    ...     def get_config(self):
    ...         return {}
    >>> float(Sum()(lamina.ops.ones((3,))))
    3.0
    """

    def __call__(self, x):
        """Returns the scalar penalty for the weight tensor `x`."""
        return 0.0

    def get_config(self):
        """Returns the constructor arguments as a JSON-friendly dict."""
        raise NotImplementedError(f"{self.__class__.__name__} does not implement get_config().")

    @classmethod
    def from_config(cls, config):
        """Creates a regularizer from the dict `get_config` returned."""
        return cls(**config)

    def __repr__(self):
        try:
            arguments = ", ".join(f"{key}={value!r}" for key, value in self.get_config().items())
        except NotImplementedError:
            arguments = ""
        return f"{self.__class__.__name__}({arguments})"


def _scaled(factor, penalty):
    return ops.multiply(ops.cast(factor, ops.dtype(penalty)), penalty)


class L1L2(Regularizer):
    """Penalty `l1 * sum(abs(x)) + l2 * sum(square(x))`.

    Args:
        l1: Non-negative L1 factor.
        l2: Non-negative L2 factor.

    Example:

    >>> import lamina
    >>> float(L1L2(l1=0.5, l2=0.5)(lamina.ops.ones((2,))))
    2.0
    """

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = _validate_factor(0.0 if l1 is None else l1, "L1L2", "l1")
        self.l2 = _validate_factor(0.0 if l2 is None else l2, "L1L2", "l2")

    def __call__(self, x):
        x = ops.convert_to_tensor(x)
        penalty = ops.zeros((), dtype=ops.dtype(x))
        if self.l1:
            penalty = ops.add(penalty, _scaled(self.l1, ops.sum(ops.absolute(x))))
        if self.l2:
            penalty = ops.add(penalty, _scaled(self.l2, ops.sum(ops.square(x))))
        return penalty

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class L1(Regularizer):
    """Penalty `l1 * sum(abs(x))`.

    Args:
        l1: Non-negative L1 factor.

    Example:

    >>> import lamina
    >>> round(float(L1(0.1)(lamina.ops.ones((2,)))), 6)
    0.2
    """

    def __init__(self, l1=0.01):
        self.l1 = _validate_factor(0.01 if l1 is None else l1, "L1", "l1")

    def __call__(self, x):
        return _scaled(self.l1, ops.sum(ops.absolute(ops.convert_to_tensor(x))))

    def get_config(self):
        return {"l1": self.l1}


class L2(Regularizer):
    """Penalty `l2 * sum(square(x))`.

    Args:
        l2: Non-negative L2 factor.

    Example:

    >>> import lamina
    >>> float(L2(0.5)(lamina.ops.ones((2,))))
    1.0
    """

    def __init__(self, l2=0.01):
        self.l2 = _validate_factor(0.01 if l2 is None else l2, "L2", "l2")

    def __call__(self, x):
        return _scaled(self.l2, ops.sum(ops.square(ops.convert_to_tensor(x))))

    def get_config(self):
        return {"l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """Penalizes non-orthogonal rows (or columns) of a rank-2 weight.

    The penalty is `factor * 0.5 * sum(|G - diag(G)|) / num_pairs`, where `G`
    is the Gram matrix of the L2-normalized rows (`mode="rows"`) or columns
    (`mode="columns"`) and `num_pairs = n * (n - 1) / 2`.

    Args:
        factor: Non-negative regularization factor.
        mode: `"rows"` or `"columns"`.

    Example:

    >>> import lamina
    >>> float(OrthogonalRegularizer(factor=1.0)(lamina.ops.eye(3)))
    0.0
    """

    def __init__(self, factor=0.01, mode="rows"):
        self.factor = _validate_factor(factor, "OrthogonalRegularizer", "factor")
        if mode not in ("rows", "columns"):
            raise ValueError(
                f"OrthogonalRegularizer expects mode 'rows' or 'columns'. Received: mode={mode!r}"
            )
        self.mode = mode

    def __call__(self, x):
        x = ops.convert_to_tensor(x)
        if len(ops.shape(x)) != 2:
            raise ValueError(f"OrthogonalRegularizer expects a rank-2 weight. Received: shape={ops.shape(x)}")
        axis = 1 if self.mode == "rows" else 0
        norms = ops.sqrt(ops.sum(ops.square(x), axis=axis, keepdims=True))
        x = ops.divide(x, ops.maximum(norms, config.epsilon()))
        if self.mode == "rows":
            gram = ops.matmul(x, ops.transpose(x))
        else:
            gram = ops.matmul(ops.transpose(x), x)
        size = ops.shape(gram)[0]
        off_diagonal = ops.multiply(gram, ops.subtract(1.0, ops.eye(size, dtype=ops.dtype(x))))
        num_pairs = size * (size - 1) / 2.0
        return _scaled(self.factor * 0.5 / num_pairs, ops.sum(ops.absolute(off_diagonal)))

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}
