"""`KerasTensor`: a symbolic value with a shape and a dtype, and no data.

Functional models are built by calling layers and ops on KerasTensors; each
call records a `Node` in the graph and stamps its outputs with a
`_keras_history` (operation, node index, tensor index).
"""

from lamina.backend.common import dtypes


def _ops():
    from lamina import ops

    return ops


class KerasTensor:
    """A symbolic tensor: shape and dtype, no value.

    Args:
        shape: Tuple of ints or `None` for unknown sizes.
        dtype: Dtype name (default `floatx()`).
        sparse: Whether the tensor is sparse (kept for API parity).
        name: Optional name.

    Example:

    >>> import lamina
    >>> x = lamina.KerasTensor((None, 3))
    >>> (x + 1.0).shape
    (None, 3)
    """

    def __init__(self, shape, dtype="float32", sparse=False, ragged=False, record_history=True, name=None):
        try:
            shape = tuple(None if dim is None else int(dim) for dim in shape)
        except (TypeError, ValueError):
            raise ValueError(
                f"KerasTensor shape must be a tuple of ints or None. Received: shape={shape!r}"
            ) from None
        self._shape = shape
        self._dtype = dtypes.standardize_dtype(dtype)
        self.sparse = bool(sparse)
        self.ragged = bool(ragged)
        self.record_history = record_history
        self.name = name

    @property
    def shape(self):
        return self._shape

    @property
    def dtype(self):
        return self._dtype

    @property
    def ndim(self):
        return len(self._shape)

    def reshape(self, new_shape):
        return _ops().reshape(self, new_shape)

    def squeeze(self, axis=None):
        return _ops().squeeze(self, axis=axis)

    def __repr__(self):
        name = f", name={self.name}" if self.name else ""
        return f"<KerasTensor shape={self.shape}, dtype={self.dtype}{name}>"

    def __iter__(self):
        raise NotImplementedError(
            "Iterating over a symbolic KerasTensor is not supported: its values are "
            "unknown until the model runs. Use lamina.ops.unstack() or slicing."
        )

    def __bool__(self):
        raise TypeError(
            "A symbolic KerasTensor has no truth value: its values are unknown until "
            "the model runs. Use lamina.ops.cond() or lamina.ops.where()."
        )

    def __array__(self, *args, **kwargs):
        raise ValueError(
            "A symbolic KerasTensor cannot be converted to a NumPy array. It is a "
            "placeholder used to build Functional models; call the model on real "
            "data (model(x) or model.predict(x)) to get values."
        )

    def __len__(self):
        if not self._shape or self._shape[0] is None:
            raise TypeError(f"len() of a KerasTensor with shape {self.shape} is unknown.")
        return self._shape[0]

    def __neg__(self):
        return _ops().negative(self)

    def __abs__(self):
        return _ops().absolute(self)

    def __invert__(self):
        return _ops().logical_not(self)

    def __add__(self, other):
        return _ops().add(self, other)

    def __radd__(self, other):
        return _ops().add(other, self)

    def __sub__(self, other):
        return _ops().subtract(self, other)

    def __rsub__(self, other):
        return _ops().subtract(other, self)

    def __mul__(self, other):
        return _ops().multiply(self, other)

    def __rmul__(self, other):
        return _ops().multiply(other, self)

    def __truediv__(self, other):
        return _ops().true_divide(self, other)

    def __rtruediv__(self, other):
        return _ops().true_divide(other, self)

    def __floordiv__(self, other):
        return _ops().floor_divide(self, other)

    def __rfloordiv__(self, other):
        return _ops().floor_divide(other, self)

    def __mod__(self, other):
        return _ops().mod(self, other)

    def __rmod__(self, other):
        return _ops().mod(other, self)

    def __pow__(self, other):
        return _ops().power(self, other)

    def __rpow__(self, other):
        return _ops().power(other, self)

    def __matmul__(self, other):
        return _ops().matmul(self, other)

    def __rmatmul__(self, other):
        return _ops().matmul(other, self)

    def __lt__(self, other):
        return _ops().less(self, other)

    def __le__(self, other):
        return _ops().less_equal(self, other)

    def __gt__(self, other):
        return _ops().greater(self, other)

    def __ge__(self, other):
        return _ops().greater_equal(self, other)

    def __and__(self, other):
        return _ops().logical_and(self, other)

    def __or__(self, other):
        return _ops().logical_or(self, other)

    def __xor__(self, other):
        return _ops().logical_xor(self, other)

    def __getitem__(self, key):
        return _ops().get_item(self, key)

    __hash__ = object.__hash__


def is_keras_tensor(x):
    """Returns whether `x` is a symbolic `KerasTensor`."""
    return isinstance(x, KerasTensor)


def any_symbolic_tensors(args=(), kwargs=None):
    """Returns whether any argument (searched one level into lists, tuples and dicts) is symbolic."""
    for value in args:
        if isinstance(value, KerasTensor):
            return True
        if isinstance(value, (list, tuple)):
            for item in value:
                if isinstance(item, KerasTensor):
                    return True
        elif isinstance(value, dict):
            for item in value.values():
                if isinstance(item, KerasTensor):
                    return True
    if kwargs:
        return any_symbolic_tensors(tuple(kwargs.values()))
    return False
