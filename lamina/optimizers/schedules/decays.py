"""Exponential, inverse-time, polynomial and piecewise-constant learning rate decays."""

from lamina import ops
from lamina.optimizers.schedules.learning_rate_schedule import LearningRateSchedule
from lamina.optimizers.schedules.learning_rate_schedule import check_positive_steps
from lamina.optimizers.schedules.learning_rate_schedule import initial_value
from lamina.optimizers.schedules.learning_rate_schedule import step_as


class ExponentialDecay(LearningRateSchedule):
    """A learning rate that decays exponentially with the step.

    It is `initial_learning_rate * decay_rate ** (step / decay_steps)`; with
    `staircase=True` the exponent is `floor(step / decay_steps)`, so the rate
    drops at discrete intervals.

    Args:
        initial_learning_rate: A Python float. The learning rate at step 0.
        decay_steps: A Python int > 0. The number of steps per decay period.
        decay_rate: A Python float. The factor applied per period.
        staircase: Whether to decay in discrete steps (default False).
        name: The schedule's name (default `"ExponentialDecay"`).

    Returns:
        A callable taking the step and returning the learning rate (a float32
        scalar tensor for a float `initial_learning_rate`).

    Example:

    >>> schedule = ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    >>> round(float(schedule(10)), 6), round(float(schedule(5)), 6)
    (0.05, 0.070711)
    >>> round(float(ExponentialDecay(0.1, 10, 0.5, staircase=True)(15)), 6)
    0.05
    """

    def __init__(
        self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name="ExponentialDecay"
    ):
        super().__init__()
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name
        check_positive_steps("decay_steps", decay_steps)

    def __call__(self, step):
        initial_learning_rate = initial_value(self.initial_learning_rate)
        dtype = initial_learning_rate.dtype
        exponent = ops.divide(step_as(step, dtype), ops.cast(self.decay_steps, dtype))
        if self.staircase:
            exponent = ops.floor(exponent)
        return ops.multiply(initial_learning_rate, ops.power(ops.cast(self.decay_rate, dtype), exponent))

    def get_config(self):
        """Returns the constructor arguments."""
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


class InverseTimeDecay(LearningRateSchedule):
    """A learning rate that decays as `1 / t`.

    It is `initial_learning_rate / (1 + decay_rate * step / decay_steps)`;
    with `staircase=True`, `step / decay_steps` is floored.

    Args:
        initial_learning_rate: A Python float. The learning rate at step 0.
        decay_steps: A Python number > 0. How often the decay applies.
        decay_rate: A Python number. The decay rate.
        staircase: Whether to decay in discrete steps (default False).
        name: The schedule's name (default `"InverseTimeDecay"`).

    Returns:
        A callable taking the step and returning the learning rate.

    Example:

    >>> schedule = InverseTimeDecay(0.1, decay_steps=1, decay_rate=0.5)
    >>> round(float(schedule(2)), 6)
    0.05
    """

    def __init__(
        self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name="InverseTimeDecay"
    ):
        super().__init__()
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name
        check_positive_steps("decay_steps", decay_steps)

    def __call__(self, step):
        initial_learning_rate = initial_value(self.initial_learning_rate)
        dtype = initial_learning_rate.dtype
        progress = ops.divide(step_as(step, dtype), ops.cast(self.decay_steps, dtype))
        if self.staircase:
            progress = ops.floor(progress)
        denominator = ops.add(ops.cast(1, dtype), ops.multiply(ops.cast(self.decay_rate, dtype), progress))
        return ops.divide(initial_learning_rate, denominator)

    def get_config(self):
        """Returns the constructor arguments."""
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


class PolynomialDecay(LearningRateSchedule):
    """A learning rate that decays polynomially to `end_learning_rate` over `decay_steps`.

    With `s = min(step, decay_steps)` it is
    `(initial - end) * (1 - s / decay_steps) ** power + end`. With
    `cycle=True` the decay restarts: `decay_steps` is replaced by its first
    multiple at or above `step` (and by itself at step 0).

    Args:
        initial_learning_rate: A Python float. The learning rate at step 0.
        decay_steps: A Python int > 0. The number of steps to decay over.
        end_learning_rate: The final learning rate (default `0.0001`).
        power: The polynomial's power (default `1.0`).
        cycle: Whether to restart the decay after `decay_steps` (default False).
        name: The schedule's name (default `"PolynomialDecay"`).

    Returns:
        A callable taking the step and returning the learning rate.

    Example:

    >>> schedule = PolynomialDecay(0.1, decay_steps=10, end_learning_rate=0.0)
    >>> round(float(schedule(5)), 6), round(float(schedule(20)), 6)
    (0.05, 0.0)
    """

    def __init__(
        self,
        initial_learning_rate,
        decay_steps,
        end_learning_rate=0.0001,
        power=1.0,
        cycle=False,
        name="PolynomialDecay",
    ):
        super().__init__()
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name
        check_positive_steps("decay_steps", decay_steps)

    def __call__(self, step):
        initial_learning_rate = initial_value(self.initial_learning_rate)
        dtype = initial_learning_rate.dtype
        end_learning_rate = ops.cast(self.end_learning_rate, dtype)
        step = step_as(step, dtype)
        decay_steps = ops.cast(self.decay_steps, dtype)
        if self.cycle:
            periods = ops.where(ops.equal(step, 0), 1.0, ops.ceil(ops.divide(step, decay_steps)))
            decay_steps = ops.multiply(decay_steps, ops.cast(periods, dtype))
        else:
            step = ops.minimum(step, decay_steps)
        remaining = ops.subtract(ops.cast(1, dtype), ops.divide(step, decay_steps))
        decayed = ops.multiply(
            ops.subtract(initial_learning_rate, end_learning_rate),
            ops.power(remaining, ops.cast(self.power, dtype)),
        )
        return ops.add(decayed, end_learning_rate)

    def get_config(self):
        """Returns the constructor arguments."""
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "end_learning_rate": self.end_learning_rate,
            "power": self.power,
            "cycle": self.cycle,
            "name": self.name,
        }


class PiecewiseConstantDecay(LearningRateSchedule):
    """A learning rate that is constant between step boundaries.

    It is `values[0]` while `step <= boundaries[0]`, `values[i]` while
    `boundaries[i - 1] < step <= boundaries[i]`, and `values[-1]` after the
    last boundary.

    Args:
        boundaries: Strictly increasing step numbers.
        values: The learning rates, one more than `boundaries`.
        name: The schedule's name (default `"PiecewiseConstant"`).

    Returns:
        A callable taking the step and returning the learning rate (in the
        dtype of `values`).

    Example:

    >>> schedule = PiecewiseConstantDecay(boundaries=[10, 20], values=[1.0, 0.5, 0.1])
    >>> [round(float(schedule(step)), 6) for step in (10, 11, 25)]
    [1.0, 0.5, 0.1]
    """

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        super().__init__()
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "PiecewiseConstantDecay: the length of boundaries should be 1 less than the length "
                f"of values. Received: boundaries={boundaries} of length {len(boundaries)}, and "
                f"values={values} of length {len(values)}."
            )
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step):
        step = ops.convert_to_tensor(getattr(step, "value", step))
        boundaries = [ops.cast(boundary, step.dtype) for boundary in self.boundaries]
        values = [ops.convert_to_tensor(value) for value in self.values]
        dtype = values[0].dtype
        # One mask per interval; exactly one is 1, so the sum is that interval's value.
        result = ops.multiply(ops.cast(ops.less_equal(step, boundaries[0]), dtype), values[0])
        result = ops.add(result, ops.multiply(ops.cast(ops.greater(step, boundaries[-1]), dtype), values[-1]))
        for low, high, value in zip(boundaries[:-1], boundaries[1:], values[1:-1]):
            inside = ops.logical_and(ops.greater(step, low), ops.less_equal(step, high))
            result = ops.add(result, ops.multiply(ops.cast(inside, dtype), value))
        return result

    def get_config(self):
        """Returns the constructor arguments."""
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}
