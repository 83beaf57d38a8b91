"""The `LearningRateSchedule` base class and the shared helpers of the built-in schedules.

A schedule maps the optimizer's step count to a learning rate. It is written
with ops only (no Python branch on the step's value), so an optimizer can
evaluate it from its `iterations` variable inside a compiled JAX step as well
as eagerly on PyTorch.
"""

from lamina import ops


class LearningRateSchedule:
    """Base class of learning rate schedules: a callable from the step to the learning rate.

    Subclasses implement `__call__(step)` (the step is a scalar integer tensor,
    the optimizer's iteration count) and `get_config()` to be serializable.

    Example:

    >>> import lamina
    >>> class HalfEveryStep(LearningRateSchedule):
    ...     def __init__(self, initial_learning_rate):
    ...         self.initial_learning_rate = initial_learning_rate
    ...     def __call__(self, step):
    ...         step = lamina.ops.cast(step, "float32")
    ...         return self.initial_learning_rate * lamina.ops.power(0.5, step)
    ...     def get_config(self):
    ...         return {"initial_learning_rate": self.initial_learning_rate}
    >>> float(HalfEveryStep(1.0)(2))
    0.25
    >>> optimizer = lamina.optimizers.SGD(learning_rate=HalfEveryStep(0.1))
    """

    def __call__(self, step):
        raise NotImplementedError(
            f"Learning rate schedule '{self.__class__.__name__}' must override `__call__(self, step)`."
        )

    def get_config(self):
        """Returns the schedule's constructor arguments (subclasses implement it)."""
        raise NotImplementedError(
            f"Learning rate schedule '{self.__class__.__name__}' must override `get_config()` in "
            "order to be serializable."
        )

    @classmethod
    def from_config(cls, config):
        """Creates a schedule from the output of `get_config()`."""
        return cls(**config)


def initial_value(learning_rate):
    """The initial learning rate as a tensor (its dtype is the schedule's dtype)."""
    return ops.convert_to_tensor(learning_rate)


def step_as(step, dtype):
    """The step (an int, a tensor or a Variable) cast to `dtype`."""
    value = getattr(step, "value", step) if _is_variable(step) else step
    return ops.cast(value, dtype)


def check_positive_steps(argument_name, value):
    """Raises ValueError unless `value` (a number of steps) is > 0."""
    if value <= 0:
        raise ValueError(f"Argument `{argument_name}` must be > 0. Received: {argument_name}={value}")


def _is_variable(value):
    from lamina.backend.common.variable import Variable

    return isinstance(value, Variable)
