"""Lamb: Adam steps rescaled per layer by the weight-to-update norm ratio."""

from lamina import ops
from lamina.optimizers.learning_rate import value_of
from lamina.optimizers.optimizer import Optimizer


class Lamb(Optimizer):
    """Optimizer implementing the LAMB algorithm (You et al., 2019).

    Computes the bias-corrected Adam direction
    `update = (m / (1 - beta_1^t)) / (sqrt(v / (1 - beta_2^t)) + epsilon)`, then
    steps by `w = w - ratio * learning_rate * update` with the trust ratio
    `ratio = ||w|| / ||update||` (1 when either norm is zero), which keeps
    the step proportional to each variable's size.

    Args:
        learning_rate: A float, a schedule, or a callable (default 0.001).
        beta_1: Decay rate of the first-moment estimates (default 0.9).
        beta_2: Decay rate of the second-moment estimates (default 0.999).
        epsilon: Small constant for numerical stability (default 1e-7).
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
        ema_momentum, ema_overwrite_frequency, loss_scale_factor,
        gradient_accumulation_steps, name: See `lamina.optimizers.Optimizer`.

    Example:

    >>> import lamina
    >>> weight = lamina.Variable([3.0, 4.0], name="weight")
    >>> optimizer = Lamb(learning_rate=0.1)
    >>> optimizer.apply([lamina.ops.convert_to_tensor([1.0, 1.0])], [weight])
    >>> [round(value, 4) for value in weight.numpy().tolist()]
    [2.6464, 3.6464]
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-7,
        weight_decay=None,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=None,
        loss_scale_factor=None,
        gradient_accumulation_steps=None,
        name=None,
        **kwargs,
    ):
        super().__init__(
            learning_rate=learning_rate,
            name=name,
            weight_decay=weight_decay,
            clipnorm=clipnorm,
            clipvalue=clipvalue,
            global_clipnorm=global_clipnorm,
            use_ema=use_ema,
            ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency,
            loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps,
            **kwargs,
        )
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, variables):
        """Creates the `momentum` and `velocity` slots."""
        if self.built:
            return
        super().build(variables)
        self._momentums, self._velocities = self.add_optimizer_variables(variables, ["momentum", "velocity"])

    def update_step(self, gradient, variable, learning_rate):
        """Applies the LAMB update to one variable."""
        dtype = variable.dtype
        learning_rate = ops.cast(learning_rate, dtype)
        gradient = ops.cast(gradient, dtype)
        local_step = ops.cast(value_of(self.iterations) + 1, dtype)
        beta_1_power = ops.power(ops.cast(self.beta_1, dtype), local_step)
        beta_2_power = ops.power(ops.cast(self.beta_2, dtype), local_step)
        index = self._get_variable_index(variable)
        momentum = self._momentums[index]
        velocity = self._velocities[index]
        self.assign_add(momentum, (gradient - momentum.value) * (1 - self.beta_1))
        self.assign_add(velocity, (ops.square(gradient) - velocity.value) * (1 - self.beta_2))
        corrected_momentum = momentum.value / (1.0 - beta_1_power)
        root_velocity = ops.sqrt(velocity.value / (1.0 - beta_2_power)) + self.epsilon
        update = corrected_momentum / root_velocity
        weight_norm = ops.sqrt(ops.sum(ops.square(variable.value)))
        update_norm = ops.sqrt(ops.sum(ops.square(update)))
        both_positive = ops.logical_and(ops.greater(weight_norm, 0), ops.greater(update_norm, 0))
        # The divisor is made safe first so the unused branch never divides by zero.
        safe_update_norm = ops.where(ops.greater(update_norm, 0), update_norm, 1.0)
        ratio = ops.cast(ops.where(both_positive, weight_norm / safe_update_norm, 1.0), dtype)
        self.assign_sub(variable, ratio * learning_rate * update)

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
