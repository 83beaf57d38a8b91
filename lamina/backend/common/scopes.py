"""Scopes that change how variables behave while a function runs.

`StatelessScope` is the one mechanism behind functional execution on every
backend: inside it, reading a variable returns the value it is mapped to, and
assigning records the new value in the scope instead of mutating the variable.
`SymbolicScope` marks code that runs on `KerasTensor`s to infer shapes.
`NameScope` builds variable paths (`dense/kernel`).
"""

from lamina.backend.common import global_state


def _stack(name):
    return global_state.get_global_attribute(name, [], set_to_default=True)


class StatelessScope:
    """Runs code without mutating variables.

    Args:
        state_mapping: Optional list of `(variable, value)` pairs: inside the
            scope `variable.value` returns `value`.
        collect_losses: Whether `add_loss` calls are gathered in the scope.
        initialize_variables: Whether variables created inside the scope are
            initialized when it exits.

    Example:

    >>> import lamina
    >>> v = lamina.Variable(1.0)
    >>> with StatelessScope([(v, 2.0)]) as scope:
    ...     _ = v.assign(v.value + 1.0)
    ...     new_value = scope.get_current_value(v)
    >>> float(v.numpy()), float(lamina.ops.convert_to_numpy(new_value))
    (1.0, 3.0)
    """

    def __init__(self, state_mapping=None, collect_losses=False, initialize_variables=True):
        from lamina.ops.core import convert_to_tensor

        self.collect_losses = collect_losses
        self.initialize_variables = initialize_variables
        self.losses = []
        self._values = {}
        for variable, value in state_mapping or ():
            if not hasattr(variable, "_lamina_variable"):
                raise ValueError(
                    "StatelessScope's state_mapping must hold (Variable, value) "
                    f"pairs. Received a {type(variable).__name__} as a key."
                )
            self._values[id(variable)] = convert_to_tensor(value, dtype=variable.dtype)
        self._assigned = {}

    def add_update(self, variable, value):
        self._values[id(variable)] = value
        self._assigned[id(variable)] = variable

    def get_current_value(self, variable):
        return self._values.get(id(variable))

    def add_loss(self, loss):
        self.losses.append(loss)

    def __enter__(self):
        _stack("stateless_scopes").append(self)
        _open_stateless_scopes[0] += 1
        return self

    def __exit__(self, *exc_info):
        _stack("stateless_scopes").pop()
        _open_stateless_scopes[0] -= 1


# Open StatelessScopes in all threads: while none is open, every variable read (each
# eager op) skips the thread-local stack lookup. The stacks themselves stay per thread.
_open_stateless_scopes = [0]


def current_stateless_scope():
    if not _open_stateless_scopes[0]:
        return None
    stack = _stack("stateless_scopes")
    return stack[-1] if stack else None


def lookup_variable_value(variable):
    """The value `variable` is mapped to by the innermost StatelessScope that maps it, or None."""
    stack = _stack("stateless_scopes")
    for scope in reversed(stack):
        value = scope._values.get(id(variable))
        if value is not None:
            return value
    return None


def in_stateless_scope():
    return bool(_open_stateless_scopes[0]) and bool(_stack("stateless_scopes"))


class SymbolicScope:
    """Marks code running on symbolic tensors (shape inference)."""

    def __enter__(self):
        _stack("symbolic_scopes").append(self)
        return self

    def __exit__(self, *exc_info):
        _stack("symbolic_scopes").pop()


def in_symbolic_scope():
    return bool(_stack("symbolic_scopes"))


class GraphBuildingScope:
    """Suspends every active `SymbolicScope` while a layer graph is built.

    Inside a `SymbolicScope` layers only infer output shapes and record no
    graph nodes. A model that builds its own graph the first time it is
    called (a `Sequential` without an `Input`, used inside a custom layer
    whose shapes are being inferred) needs the nodes, so it builds in this scope.
    """

    def __enter__(self):
        stack = _stack("symbolic_scopes")
        self._suspended = list(stack)
        stack.clear()
        return self

    def __exit__(self, *exc_info):
        _stack("symbolic_scopes").extend(self._suspended)


class NameScope:
    """Prefixes the paths of variables created inside it.

    Args:
        name: The scope's name, e.g. a layer's name.
    """

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        _stack("name_scopes").append(self.name)
        return self

    def __exit__(self, *exc_info):
        _stack("name_scopes").pop()


def current_path():
    return "/".join(_stack("name_scopes"))


_autocast_depth = [0]


class AutocastScope:
    """Inside it, floating-point variables read as `dtype` (mixed precision); `None` reads them as stored.

    Layers enter it around `call` when their dtype policy computes in a lower
    precision than it stores (`"mixed_float16"`): float32 weights are used as
    float16 in the computation and keep their float32 value.

    Args:
        dtype: The compute dtype, or None to turn an enclosing scope off.

    Example:

    >>> import lamina
    >>> v = lamina.Variable([1.0, 2.0])
    >>> with AutocastScope("float16"):
    ...     lamina.ops.dtype(v.value)
    'float16'
    """

    def __init__(self, dtype):
        self.dtype = dtype

    def __enter__(self):
        _stack("autocast_scopes").append(self.dtype)
        _autocast_depth[0] += 1
        return self

    def __exit__(self, *exc_info):
        _stack("autocast_scopes").pop()
        _autocast_depth[0] -= 1


def autocast_active():
    """Whether any AutocastScope is open (a cheap check for the variable read path)."""
    return _autocast_depth[0] > 0


def current_autocast_dtype():
    """The dtype floating-point variables read as right now, or None."""
    if not _autocast_depth[0]:
        return None
    stack = _stack("autocast_scopes")
    return stack[-1] if stack else None
