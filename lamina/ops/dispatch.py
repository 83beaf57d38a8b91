"""The `symbolic` decorator that gives every op its shape rule."""

import functools

from lamina.backend.common.keras_tensor import KerasTensor
from lamina.backend.common.keras_tensor import any_symbolic_tensors
from lamina.ops.operation import FunctionOperation

_SEARCHED = (KerasTensor, list, tuple, dict)


def symbolic(shape_rule):
    """Declares `shape_rule` as the op's behaviour on symbolic tensors.

    The decorated function is the eager implementation. When any argument is a
    `KerasTensor`, the call instead becomes a graph node whose output spec is
    `shape_rule(*args, **kwargs)` (a KerasTensor or a nest of them).

    Args:
        shape_rule: A function with the op's signature returning the output spec.

    Returns:
        A decorator.

    Example:

    >>> import lamina
    >>> @symbolic(lambda x: lamina.KerasTensor(x.shape, dtype=x.dtype))
    ... def double(x):
    ...     return lamina.ops.multiply(x, 2.0)
    >>> lamina.ops.convert_to_numpy(double(lamina.ops.ones((2,)))).tolist()
    [2.0, 2.0]
    >>> double(lamina.Input((3,))).shape
    (None, 3)
    """

    def decorate(function):
        @functools.wraps(function)
        def op(*args, **kwargs):
            # Concrete positional tensors (the eager hot path) settle it without a nested scan.
            for value in args:
                if isinstance(value, _SEARCHED):
                    break
            else:
                if not kwargs or not any_symbolic_tensors((), kwargs):
                    return function(*args, **kwargs)
            if any_symbolic_tensors(args, kwargs):
                return FunctionOperation(function, shape_rule)(*args, **kwargs)
            return function(*args, **kwargs)

        op.shape_rule = shape_rule
        return op

    return decorate
