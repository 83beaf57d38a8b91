"""`PlanCache`: argument checks of eager ops done once per call signature.

Eager calls (every PyTorch step) repeat the same shapes and arguments, so an
op whose checks and derived arguments (paddings, normalized strides) cost more
than its kernel computes them once per signature and looks them up after.
"""

_LIMIT = 512


def exactly_hashable(value):
    """Whether equal keys imply identical arguments (`True == 1` and `2.0 == 2` would not).

    Args:
        value: An op argument.

    Returns:
        True for ints, strings, None and tuples of ints.

    Example:

    >>> exactly_hashable((1, 2)), exactly_hashable(True), exactly_hashable([1])
    (True, False, False)
    """
    kind = type(value)
    if kind is tuple:
        for item in value:
            if type(item) is not int:
                return False
        return True
    return kind is int or kind is str or value is None


def all_exactly_hashable(arguments):
    """Whether every argument is `exactly_hashable` (a loop, not `all()`: it runs on every eager op call).

    Example:

    >>> all_exactly_hashable(((1, 2), "same", None)), all_exactly_hashable((2, 2.0))
    (True, False)
    """
    for argument in arguments:
        if not exactly_hashable(argument):
            return False
    return True


def tensor_signature(value):
    """The `(type, shape, dtype)` of a tensor-like argument: what its checks depend on.

    Args:
        value: An op argument.

    Returns:
        A hashable tuple, or None for values without a static shape and dtype
        (lists, Python numbers), which are checked afresh on every call.

    Example:

    >>> import numpy as np
    >>> tensor_signature(np.zeros((2, 3), "float32"))[1:]
    ((2, 3), dtype('float32'))
    >>> tensor_signature([1.0]) is None
    True
    """
    try:
        signature = (type(value), value.shape, value.dtype)
        hash(signature)
    except (AttributeError, TypeError):
        return None
    return signature


def call_signature(tensors, arguments):
    """The cache key of an op call on `tensors` with static `arguments`, or None when it has none.

    Args:
        tensors: The tensor arguments.
        arguments: The other arguments, a tuple.

    Returns:
        A hashable tuple of the tensors' `tensor_signature`s and `arguments`, or
        None when a tensor has no static signature or an argument is not
        `exactly_hashable` (such calls are planned afresh).

    Example:

    >>> import numpy as np
    >>> call_signature([np.zeros((2,), "float32")], (-1,))[-1]
    (-1,)
    >>> call_signature([np.zeros((2,), "float32")], ([1],)) is None
    True
    """
    if not all_exactly_hashable(arguments):
        return None
    signatures = []
    for tensor in tensors:
        signature = tensor_signature(tensor)
        if signature is None:
            return None
        signatures.append(signature)
    signatures.append(arguments)
    return tuple(signatures)


class PlanCache:
    """A bounded dict from call signatures to computed plans (cleared when full).

    Example:

    >>> cache = PlanCache()
    >>> cache.get(("conv", (1, 28, 28, 1)), lambda: "checked")
    'checked'
    """

    def __init__(self, limit=_LIMIT):
        self.limit = limit
        self._plans = {}

    def get(self, key, compute):
        """The plan for `key`, computed by `compute()` the first time (errors are not cached)."""
        plan = self._plans.get(key)
        if plan is None:
            plan = compute()
            if len(self._plans) >= self.limit:
                self._plans.clear()
            self._plans[key] = plan
        return plan
