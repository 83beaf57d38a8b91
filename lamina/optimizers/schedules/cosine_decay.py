"""Cosine learning rate decays: with an optional linear warmup, and with warm restarts (SGDR)."""

import math

from lamina import ops
from lamina.optimizers.schedules.learning_rate_schedule import LearningRateSchedule
from lamina.optimizers.schedules.learning_rate_schedule import check_positive_steps
from lamina.optimizers.schedules.learning_rate_schedule import initial_value
from lamina.optimizers.schedules.learning_rate_schedule import step_as


def _cosine_factor(completed_fraction, dtype):
    pi = ops.convert_to_tensor(math.pi, dtype=dtype)
    return ops.multiply(0.5, ops.add(1.0, ops.cos(ops.multiply(pi, completed_fraction))))


class CosineDecay(LearningRateSchedule):
    """A cosine decay of the learning rate, after an optional linear warmup.

    Without `warmup_target` the rate goes from `initial_learning_rate` to
    `initial_learning_rate * alpha` along a half cosine over `decay_steps`:
    `lr * ((1 - alpha) * 0.5 * (1 + cos(pi * min(step, decay_steps) / decay_steps)) + alpha)`.
    With `warmup_target`, it first rises linearly from `initial_learning_rate`
    to `warmup_target` over `warmup_steps`, then decays from `warmup_target`
    the same way (Loshchilov & Hutter, SGDR; Goyal et al. for the warmup).

    Args:
        initial_learning_rate: A Python float. The learning rate at step 0.
        decay_steps: A Python int > 0. The number of steps to decay over.
        alpha: The final learning rate as a fraction of the decay's start
            (default `0.0`).
        name: The schedule's name (default `"CosineDecay"`).
        warmup_target: The learning rate reached after the warmup, or None
            (default) for no warmup.
        warmup_steps: The number of warmup steps (default `0`).

    Returns:
        A callable taking the step and returning the learning rate.

    Example:

    >>> schedule = CosineDecay(0.1, decay_steps=10)
    >>> round(float(schedule(5)), 6), round(float(schedule(10)), 6)
    (0.05, 0.0)
    >>> warm = CosineDecay(0.0, decay_steps=10, warmup_target=0.1, warmup_steps=4)
    >>> round(float(warm(2)), 6), round(float(warm(4)), 6)
    (0.05, 0.1)
    """

    def __init__(
        self,
        initial_learning_rate,
        decay_steps,
        alpha=0.0,
        name="CosineDecay",
        warmup_target=None,
        warmup_steps=0,
    ):
        super().__init__()
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_steps = warmup_steps
        self.warmup_target = warmup_target
        check_positive_steps("decay_steps", decay_steps)

    def _decayed(self, step, decay_steps, start, dtype):
        factor = _cosine_factor(ops.divide(step, decay_steps), dtype)
        return ops.multiply(start, ops.add(ops.multiply(1 - self.alpha, factor), self.alpha))

    def __call__(self, step):
        initial_learning_rate = initial_value(self.initial_learning_rate)
        dtype = initial_learning_rate.dtype
        decay_steps = ops.cast(self.decay_steps, dtype)
        step = step_as(step, dtype)
        if self.warmup_target is None:
            return self._decayed(ops.minimum(step, decay_steps), decay_steps, initial_learning_rate, dtype)
        warmup_target = ops.cast(self.warmup_target, dtype)
        warmup_steps = ops.cast(self.warmup_steps, dtype)
        step = ops.minimum(step, ops.add(decay_steps, warmup_steps))
        # Both branches are computed and one is selected: no Python branch on the step,
        # so the schedule runs inside a compiled step.
        warmup = ops.add(
            ops.multiply(ops.subtract(warmup_target, initial_learning_rate), ops.divide(step, warmup_steps)),
            initial_learning_rate,
        )
        decayed = self._decayed(ops.subtract(step, warmup_steps), decay_steps, warmup_target, dtype)
        return ops.where(ops.less(step, warmup_steps), warmup, decayed)

    def get_config(self):
        """Returns the constructor arguments."""
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "alpha": self.alpha,
            "name": self.name,
            "warmup_target": self.warmup_target,
            "warmup_steps": self.warmup_steps,
        }


class CosineDecayRestarts(LearningRateSchedule):
    """A cosine decay with warm restarts (SGDR, Loshchilov & Hutter).

    The multiplier decays from 1 to `alpha` along a half cosine over
    `first_decay_steps`; then the decay restarts. Each period lasts `t_mul`
    times longer than the previous one and starts at `m_mul` times its
    learning rate.

    Args:
        initial_learning_rate: A Python float. The learning rate at step 0.
        first_decay_steps: A Python int > 0. The length of the first period.
        t_mul: The growth factor of the period length (default `2.0`).
        m_mul: The factor applied to the starting rate at each restart
            (default `1.0`).
        alpha: The minimum learning rate as a fraction of the period's start
            (default `0.0`).
        name: The schedule's name (default `"SGDRDecay"`).

    Returns:
        A callable taking the step and returning the learning rate.

    Example:

    >>> schedule = CosineDecayRestarts(0.1, first_decay_steps=10, t_mul=1.0, m_mul=0.5)
    >>> round(float(schedule(5)), 6), round(float(schedule(10)), 6)
    (0.05, 0.05)
    """

    def __init__(
        self,
        initial_learning_rate,
        first_decay_steps,
        t_mul=2.0,
        m_mul=1.0,
        alpha=0.0,
        name="SGDRDecay",
    ):
        super().__init__()
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name
        check_positive_steps("first_decay_steps", first_decay_steps)

    def __call__(self, step):
        initial_learning_rate = initial_value(self.initial_learning_rate)
        dtype = initial_learning_rate.dtype
        alpha = ops.cast(self.alpha, dtype)
        t_mul = ops.cast(self._t_mul, dtype)
        m_mul = ops.cast(self._m_mul, dtype)
        completed_fraction = ops.divide(step_as(step, dtype), ops.cast(self.first_decay_steps, dtype))
        if self._t_mul == 1.0:
            restart = ops.floor(completed_fraction)
            completed_fraction = ops.subtract(completed_fraction, restart)
        else:
            # Periods grow geometrically: period i starts at (1 - t_mul**i) / (1 - t_mul).
            restart = ops.floor(
                ops.divide(
                    ops.log(ops.subtract(1.0, ops.multiply(completed_fraction, ops.subtract(1.0, t_mul)))),
                    ops.log(t_mul),
                )
            )
            period_start = ops.divide(ops.subtract(1.0, ops.power(t_mul, restart)), ops.subtract(1.0, t_mul))
            completed_fraction = ops.divide(
                ops.subtract(completed_fraction, period_start), ops.power(t_mul, restart)
            )
        cosine = ops.multiply(ops.power(m_mul, restart), _cosine_factor(completed_fraction, dtype))
        decayed = ops.add(ops.multiply(ops.subtract(1.0, alpha), cosine), alpha)
        return ops.multiply(initial_learning_rate, decayed)

    def get_config(self):
        """Returns the constructor arguments."""
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "first_decay_steps": self.first_decay_steps,
            "t_mul": self._t_mul,
            "m_mul": self._m_mul,
            "alpha": self.alpha,
            "name": self.name,
        }
