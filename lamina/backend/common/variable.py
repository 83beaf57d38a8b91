"""The backend-neutral part of `Variable`.

A backend subclass stores the value (`jax.Array`, `torch.nn.Parameter` or
`np.ndarray`) and implements `_convert_to_tensor` and `_direct_assign`. This
base class handles names and paths, initializers, dtypes, the stateless scope
(functional execution) and operator overloading.
"""

import numpy as np

from lamina.backend.common import dtypes
from lamina.backend.common import naming
from lamina.backend.common import scopes


class Variable:
    """A mutable tensor: the state of layers, optimizers and metrics.

    Args:
        initializer: An initializer (callable taking `shape` and `dtype`) or an
            array-like initial value.
        shape: The variable's shape; required with a callable initializer.
        dtype: The variable's dtype (default `floatx()`).
        trainable: Whether gradients update it.
        autocast: Whether mixed-precision layers cast it on read.
        aggregation: How replicas combine it (`"none"`, `"mean"`, `"sum"`,
            `"only_first_replica"`).
        synchronization: Kept for API parity.
        name: The variable's name (no `/`). Its `path` prefixes the names of the
            enclosing layers.

    Example:

    >>> import lamina
    >>> v = lamina.Variable(initializer=[1.0, 2.0], name="v")
    >>> v.assign_add([1.0, 1.0]).numpy().tolist()
    [2.0, 3.0]
    >>> v.path
    'v'
    """

    _lamina_variable = True

    def __init__(
        self,
        initializer,
        shape=None,
        dtype=None,
        trainable=True,
        autocast=True,
        aggregation="none",
        synchronization="auto",
        name=None,
        **kwargs,
    ):
        unknown = set(kwargs) - {"layout"}
        if unknown:
            raise TypeError(f"Variable got unexpected keyword arguments: {sorted(unknown)}")
        name = name or naming.auto_name("variable")
        self._name = naming.validate_name(name, "Variable")
        parent = scopes.current_path()
        self._path = f"{parent}/{name}" if parent else name
        self._trainable = bool(trainable)
        self._autocast = bool(autocast)
        self._aggregation = aggregation
        self._synchronization = synchronization
        self._regularizer = None
        self._constraint = None
        self._overwrite_with_gradient = False
        self._value = None
        if callable(initializer):
            if shape is None:
                raise ValueError(
                    f"Variable '{name}' has a callable initializer, so it needs an "
                    "explicit shape. Received: shape=None"
                )
            self._dtype = dtypes.standardize_dtype(dtype)
            self._shape = tuple(int(dim) for dim in shape)
            value = self._initial_value(initializer)
        else:
            value = initializer
            if dtype is None:
                dtype = dtypes.python_value_dtype(value) or getattr(value, "dtype", None)
            self._dtype = dtypes.standardize_dtype(dtype)
        self._initialize(value)
        self._shape = tuple(self._value.shape)
        if shape is not None and tuple(int(dim) for dim in shape) != self._shape:
            raise ValueError(
                f"Variable '{name}' was given shape={tuple(shape)} but an initial "
                f"value of shape {self._shape}."
            )

    # -- backend hooks ---------------------------------------------------------------

    def _initial_value(self, initializer):
        return initializer(self._shape, dtype=self._dtype)

    def _initialize(self, value):
        self._value = self._convert_to_tensor(value, dtype=self._dtype)

    def _convert_to_tensor(self, value, dtype=None):
        raise NotImplementedError

    def _direct_assign(self, value):
        raise NotImplementedError

    # -- public API ------------------------------------------------------------------

    @property
    def value(self):
        """The current value as a backend tensor (the mapped value inside a StatelessScope)."""
        value = self._value
        if scopes.in_stateless_scope():
            mapped = scopes.lookup_variable_value(self)
            if mapped is not None:
                value = mapped
        if scopes.autocast_active() and self._autocast:
            target = scopes.current_autocast_dtype()
            if target is not None and target != self._dtype and dtypes.is_float(self._dtype):
                return self._convert_to_tensor(value, dtype=target)
        return value

    def assign(self, value):
        """Sets the variable's value; returns the variable."""
        value = self._convert_to_tensor(value, dtype=self._dtype)
        if tuple(value.shape) != self._shape:
            raise ValueError(
                f"Variable '{self.path}' has shape {self._shape}; it cannot be "
                f"assigned a value of shape {tuple(value.shape)}."
            )
        scope = scopes.current_stateless_scope()
        if scope is not None:
            scope.add_update(self, value)
        else:
            self._direct_assign(value)
        return self

    def assign_add(self, value):
        """Adds `value` to the variable; returns the variable."""
        return self.assign(self.value + self._convert_to_tensor(value, dtype=self._dtype))

    def assign_sub(self, value):
        """Subtracts `value` from the variable; returns the variable."""
        return self.assign(self.value - self._convert_to_tensor(value, dtype=self._dtype))

    def numpy(self):
        """Returns the value as a NumPy array."""
        from lamina.ops.core import convert_to_numpy

        # A copy: on torch the array would otherwise share memory with the live value.
        return np.array(convert_to_numpy(self.value), copy=True)

    @property
    def name(self):
        return self._name

    @property
    def path(self):
        """The variable's path: enclosing layer names then its own (`dense/kernel`)."""
        return self._path

    @property
    def dtype(self):
        return self._dtype

    @property
    def shape(self):
        return self._shape

    @property
    def ndim(self):
        return len(self._shape)

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)

    @property
    def autocast(self):
        return self._autocast

    @property
    def aggregation(self):
        return self._aggregation

    @property
    def synchronization(self):
        return self._synchronization

    @property
    def regularizer(self):
        return self._regularizer

    @regularizer.setter
    def regularizer(self, value):
        from lamina.layers import layer_call_helpers  # layers sit above the backend

        # Models cache whether any weight is regularized until a layer change.
        layer_call_helpers.note_layer_change()
        self._regularizer = value

    @property
    def constraint(self):
        return self._constraint

    @constraint.setter
    def constraint(self, value):
        self._constraint = value

    @property
    def overwrite_with_gradient(self):
        return self._overwrite_with_gradient

    @overwrite_with_gradient.setter
    def overwrite_with_gradient(self, value):
        self._overwrite_with_gradient = bool(value)

    def __repr__(self):
        return f"<Variable path={self.path}, shape={self.shape}, dtype={self.dtype}, value={self.numpy()}>"

    # -- operators: every one goes through the value --------------------------------

    def __array__(self, dtype=None, copy=None):
        array = np.asarray(self.numpy())
        return array if dtype is None else array.astype(dtype)

    def __bool__(self):
        raise TypeError("A Variable cannot be used as a Python bool.")

    def __len__(self):
        return self._shape[0]

    def __getitem__(self, key):
        return self.value[key]

    def __neg__(self):
        return -self.value

    def __pos__(self):
        return self.value

    def __abs__(self):
        return abs(self.value)

    def __add__(self, other):
        if _is_symbolic(other):
            return other.__radd__(self)
        return self.value + _unwrap(other)

    def __radd__(self, other):
        if _is_symbolic(other):
            return other.__add__(self)
        return _unwrap(other) + self.value

    def __sub__(self, other):
        if _is_symbolic(other):
            return other.__rsub__(self)
        return self.value - _unwrap(other)

    def __rsub__(self, other):
        if _is_symbolic(other):
            return other.__sub__(self)
        return _unwrap(other) - self.value

    def __mul__(self, other):
        if _is_symbolic(other):
            return other.__rmul__(self)
        return self.value * _unwrap(other)

    def __rmul__(self, other):
        if _is_symbolic(other):
            return other.__mul__(self)
        return _unwrap(other) * self.value

    def __truediv__(self, other):
        if _is_symbolic(other):
            return other.__rtruediv__(self)
        return self.value / _unwrap(other)

    def __rtruediv__(self, other):
        if _is_symbolic(other):
            return other.__truediv__(self)
        return _unwrap(other) / self.value

    def __pow__(self, other):
        if _is_symbolic(other):
            return other.__rpow__(self)
        return self.value ** _unwrap(other)

    def __rpow__(self, other):
        if _is_symbolic(other):
            return other.__pow__(self)
        return _unwrap(other) ** self.value

    def __matmul__(self, other):
        if _is_symbolic(other):
            return other.__rmatmul__(self)
        return self.value @ _unwrap(other)

    def __rmatmul__(self, other):
        if _is_symbolic(other):
            return other.__matmul__(self)
        return _unwrap(other) @ self.value

    def __lt__(self, other):
        if _is_symbolic(other):
            return other.__gt__(self)
        return self.value < _unwrap(other)

    def __le__(self, other):
        if _is_symbolic(other):
            return other.__ge__(self)
        return self.value <= _unwrap(other)

    def __gt__(self, other):
        if _is_symbolic(other):
            return other.__lt__(self)
        return self.value > _unwrap(other)

    def __ge__(self, other):
        if _is_symbolic(other):
            return other.__le__(self)
        return self.value >= _unwrap(other)

    __hash__ = object.__hash__


def _unwrap(value):
    return value.value if isinstance(value, Variable) else value


def _is_symbolic(value):
    from lamina.backend.common.keras_tensor import KerasTensor

    return isinstance(value, KerasTensor)


def is_variable(value):
    return isinstance(value, Variable)
