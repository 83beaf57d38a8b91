"""The `Metric` base class: a value accumulated over batches.

A metric's state lives in non-trainable `Variable`s (created with
`add_variable`). `update_state` folds a batch in, `result` reads the value,
`reset_state` starts over. The stateless methods run the same code inside a
`StatelessScope`, so a compiled training step can carry the metric state as
plain values (`stateless_update_state(values, ...) -> new_values`).
"""

from lamina import initializers
from lamina import ops
from lamina.backend import current
from lamina.backend.common import naming
from lamina.backend.common import scopes
from lamina.backend.common.variable import Variable
from lamina.config import floatx


class Metric:
    """Base class of all metrics.

    Subclasses create their state in `__init__` with `add_variable` and
    implement `update_state(...)` and `result()`.

    Args:
        dtype: The dtype of the metric's computations (default `floatx()`).
        name: Optional name of the metric instance.

    Example:

    >>> import lamina
    >>> class Total(Metric):
    ...     def __init__(self, name="total"):
    ...         super().__init__(name=name)
    ...         self.total = self.add_variable(shape=(), initializer="zeros", name="total")
    ...     def update_state(self, values):
    ...         self.total.assign_add(lamina.ops.sum(values))
    ...     def result(self):
    ...         return self.total.value
    >>> metric = Total()
    >>> metric.update_state([1.0, 2.0])
    >>> float(metric.result())
    3.0
    """

    def __init__(self, dtype=None, name=None):
        object.__setattr__(self, "_variables", [])
        object.__setattr__(self, "_metrics", [])
        self.name = name or naming.auto_name(self.__class__.__name__)
        self._dtype = _compute_dtype(dtype)

    def __setattr__(self, name, value):
        # Variables and sub-metrics assigned as attributes become part of the state.
        if "_variables" not in self.__dict__:
            object.__setattr__(self, name, value)
            return
        if isinstance(value, Variable) and not any(value is v for v in self._variables):
            self._variables.append(value)
        elif isinstance(value, Metric) and value is not self and not any(value is m for m in self._metrics):
            self._metrics.append(value)
        object.__setattr__(self, name, value)

    @property
    def dtype(self):
        """The dtype of the metric's computations."""
        return self._dtype

    @property
    def variables(self):
        """The metric's state variables, in creation order (then sub-metrics')."""
        collected = list(self._variables)
        for metric in self._metrics:
            collected.extend(metric.variables)
        return collected

    def add_variable(self, shape, initializer, dtype=None, aggregation="sum", name=None):
        """Creates a non-trainable state variable, under the metric's name scope.

        Args:
            shape: The variable's shape.
            initializer: Initializer object or name (e.g. `"zeros"`).
            dtype: The variable's dtype (default `floatx()`).
            aggregation: How replicas combine it (default `"sum"`).
            name: The variable's name.

        Returns:
            The new `Variable`.
        """
        if "_variables" not in self.__dict__:
            raise RuntimeError(
                f"Metric {self.__class__.__name__}: call super().__init__() before add_variable()."
            )
        initializer = initializers.get(initializer)
        with scopes.NameScope(self.name.replace("/", ">")):
            variable = current.core.Variable(
                initializer=initializer,
                shape=tuple(shape),
                dtype=dtype,
                trainable=False,
                aggregation=aggregation,
                synchronization="on_read",
                name=name,
            )
        self._variables.append(variable)
        return variable

    def add_weight(self, shape=(), initializer=None, dtype=None, name=None):
        """Alias of `add_variable` with Keras's older argument defaults."""
        return self.add_variable(shape=shape, initializer=initializer or "zeros", dtype=dtype, name=name)

    def update_state(self, *args, **kwargs):
        """Folds one batch into the state; subclasses implement it."""
        raise NotImplementedError(f"Metric {self.__class__.__name__} must implement update_state().")

    def result(self):
        """Returns the metric's current value; subclasses implement it."""
        raise NotImplementedError(f"Metric {self.__class__.__name__} must implement result().")

    def reset_state(self):
        """Sets every state variable back to zero."""
        for variable in self.variables:
            variable.assign(ops.zeros(variable.shape, dtype=variable.dtype))

    def __call__(self, *args, **kwargs):
        """Updates the state with one batch and returns the result."""
        self.update_state(*args, **kwargs)
        return self.result()

    # -- stateless API (for compiled training steps) ------------------------------------

    def stateless_update_state(self, metric_variables, *args, **kwargs):
        """Returns the state values after `update_state(*args, **kwargs)`, without mutating.

        Args:
            metric_variables: Values matching `self.variables` one to one.
            *args: Passed to `update_state`.
            **kwargs: Passed to `update_state`.

        Returns:
            The list of new state values.
        """
        variables = self._check_state_values(metric_variables, "stateless_update_state")
        with scopes.StatelessScope(state_mapping=zip(variables, metric_variables)) as scope:
            self.update_state(*args, **kwargs)
        return _read_back(scope, variables, metric_variables)

    def stateless_result(self, metric_variables):
        """Returns `result()` computed from the given state values.

        Args:
            metric_variables: Values matching `self.variables` one to one.

        Returns:
            The metric's value.
        """
        variables = self._check_state_values(metric_variables, "stateless_result")
        with scopes.StatelessScope(state_mapping=zip(variables, metric_variables)):
            return self.result()

    def stateless_reset_state(self):
        """Returns the state values `reset_state()` would set, without mutating."""
        variables = self.variables
        with scopes.StatelessScope() as scope:
            self.reset_state()
        return _read_back(scope, variables, variables)

    def _check_state_values(self, metric_variables, method):
        variables = self.variables
        if len(metric_variables) != len(variables):
            raise ValueError(
                f"{self.__class__.__name__}.{method}: metric_variables must match "
                f"{self.__class__.__name__}().variables one to one. Received "
                f"{len(metric_variables)} values for {len(variables)} variables."
            )
        return variables

    # -- configuration ------------------------------------------------------------------

    def get_config(self):
        """Returns the metric's config: `name` and `dtype` (plus subclass arguments)."""
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        """Creates a metric from its config."""
        return cls(**config)

    def _obj_type(self):
        return "Metric"

    def __repr__(self):
        return f"<{self.__class__.__name__} name={self.name}>"

    def __str__(self):
        return self.__repr__()


def _read_back(scope, variables, fallback_values):
    values = []
    for variable, fallback in zip(variables, fallback_values):
        value = scope.get_current_value(variable)
        if value is None:
            value = fallback.value if isinstance(fallback, Variable) else fallback
        values.append(value)
    return values


def _compute_dtype(dtype):
    from lamina import dtype_policies

    return dtype_policies.get(dtype or floatx()).compute_dtype
