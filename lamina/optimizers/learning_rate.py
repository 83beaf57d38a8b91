"""How an optimizer holds its learning rate: a Variable, a schedule or a callable.

A float learning rate lives in the `learning_rate` Variable (so it is saved,
settable, and part of the compiled state). A `LearningRateSchedule` (or any
callable taking the iteration) is called with the iteration count at each
step; a callable taking no argument is simply called.
"""

import inspect

from lamina import ops
from lamina.backend import current
from lamina.backend.common.variable import Variable
from lamina.config import floatx
from lamina.saving import serialization


class LearningRateMixin:
    """The `learning_rate` property of `Optimizer`."""

    @property
    def learning_rate(self):
        """The current learning rate: the `learning_rate` Variable, or the schedule's value."""
        learning_rate = self._learning_rate
        if isinstance(learning_rate, Variable):
            return learning_rate
        if _takes_an_argument(learning_rate):
            return learning_rate(self._iterations.value)
        return learning_rate()

    @learning_rate.setter
    def learning_rate(self, learning_rate):
        self._set_learning_rate(learning_rate)

    def _set_learning_rate(self, learning_rate):
        previous = getattr(self, "_learning_rate", None)
        if is_schedule(learning_rate):
            self._learning_rate = learning_rate
            if isinstance(previous, Variable):
                self._variables = [v for v in self._variables if v is not previous]
            return
        if isinstance(previous, Variable):
            previous.assign(ops.cast(value_of(learning_rate), previous.dtype))
            return
        if previous is not None:
            raise TypeError(
                f"{self.__class__.__name__} was created with a learning rate schedule, so its "
                "learning rate cannot be set to a number. Create the optimizer with a float "
                "learning_rate to make it settable."
            )
        if isinstance(learning_rate, bool) or not _is_number(learning_rate):
            raise ValueError(
                f"{self.__class__.__name__}: `learning_rate` should be a float, a "
                "LearningRateSchedule, or a callable returning the learning rate. Received: "
                f"learning_rate={learning_rate!r}"
            )
        with self._name_scope():
            variable = current.core.Variable(
                initializer=float(learning_rate),
                dtype=floatx(),
                trainable=False,
                aggregation="only_first_replica",
                name="learning_rate",
            )
        self._variables.append(variable)
        self._learning_rate = variable

    def _learning_rate_config(self):
        if isinstance(self._learning_rate, Variable):
            return float(self._learning_rate.numpy())
        return serialization.serialize_keras_object(self._learning_rate)


def value_of(value):
    """The tensor behind a Variable (other values pass through)."""
    return value.value if isinstance(value, Variable) else value


def is_schedule(value):
    """Whether `value` is a schedule or callable learning rate rather than a number."""
    return callable(value) and not isinstance(value, Variable) and not _is_number(value)


def deserialize_schedule(config, custom_objects=None):
    """Rebuilds a serialized learning rate schedule."""
    try:
        from lamina.optimizers import schedules
    except ImportError:
        module_objects = {}
    else:
        module_objects = getattr(schedules, "ALL_OBJECTS_DICT", {})
    return serialization.deserialize_keras_object(
        config,
        custom_objects=custom_objects,
        module_objects=module_objects,
        printable_module_name="learning rate schedule",
    )


def _is_number(value):
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return getattr(value, "ndim", 0) == 0


def _takes_an_argument(function):
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return True
    kinds = (
        inspect.Parameter.POSITIONAL_ONLY,
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
        inspect.Parameter.VAR_POSITIONAL,
    )
    return any(parameter.kind in kinds for parameter in signature.parameters.values())
