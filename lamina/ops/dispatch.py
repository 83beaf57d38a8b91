"""The `symbolic` decorator that gives every op its shape rule."""

import functools

from lamina.backend.common.keras_tensor import any_symbolic_tensors
from lamina.ops.operation import FunctionOperation


def symbolic(shape_rule):
    """Declares `shape_rule` as the op's behaviour on symbolic tensors.

    The decorated function is the eager implementation. When any argument is a
    `KerasTensor`, the call instead becomes a graph node whose output spec is
    `shape_rule(*args, **kwargs)` (a KerasTensor or a nest of them).

    Args:
        shape_rule: A function with the op's signature returning the output spec.

    Returns:
        A decorator.
    """

    def decorate(function):
        @functools.wraps(function)
        def op(*args, **kwargs):
            if any_symbolic_tensors(args, kwargs):
                return FunctionOperation(function, shape_rule)(*args, **kwargs)
            return function(*args, **kwargs)

        op.shape_rule = shape_rule
        return op

    return decorate
