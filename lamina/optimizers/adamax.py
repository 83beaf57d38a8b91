"""Adamax: Adam with the infinity norm in place of the second moment."""

from lamina import ops
from lamina.optimizers.learning_rate import value_of
from lamina.optimizers.optimizer import Optimizer


class Adamax(Optimizer):
    """Optimizer implementing the Adamax algorithm (Kingma & Ba, 2014, section 7).

    With `t` the step number (from 1): `m = m + (g - m) * (1 - beta_1)`,
    `u = max(beta_2 * u, |g|)`,
    `w = w - learning_rate * m / ((1 - beta_1^t) * (u + epsilon))`.

    Args:
        learning_rate: A float, a schedule, or a callable (default 0.001).
        beta_1: Decay rate of the first-moment estimates (default 0.9).
        beta_2: Decay rate of the weighted infinity norm (default 0.999).
        epsilon: Small constant for numerical stability (default 1e-7).
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
        ema_momentum, ema_overwrite_frequency, loss_scale_factor,
        gradient_accumulation_steps, name: See `lamina.optimizers.Optimizer`.

    Example:

    >>> import lamina
    >>> weight = lamina.Variable([1.0], name="weight")
    >>> optimizer = Adamax(learning_rate=0.1)
    >>> optimizer.apply([lamina.ops.convert_to_tensor([0.5])], [weight])
    >>> round(float(weight.numpy()[0]), 4)
    0.9
    >>> [variable.path for variable in optimizer.variables][2:]
    ['adamax/weight_momentum', 'adamax/weight_norm']
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
        """Creates the `momentum` and `norm` (weighted infinity norm) slots."""
        if self.built:
            return
        super().build(variables)
        self._momentums, self._norms = self.add_optimizer_variables(variables, ["momentum", "norm"])

    def update_step(self, gradient, variable, learning_rate):
        """Applies the Adamax update to one variable."""
        dtype = variable.dtype
        learning_rate = ops.cast(learning_rate, dtype)
        gradient = ops.cast(gradient, dtype)
        local_step = ops.cast(value_of(self.iterations) + 1, dtype)
        beta_1_power = ops.power(ops.cast(self.beta_1, dtype), local_step)
        index = self._get_variable_index(variable)
        momentum = self._momentums[index]
        norm = self._norms[index]
        self.assign_add(momentum, (gradient - momentum.value) * (1 - self.beta_1))
        self.assign(norm, ops.maximum(self.beta_2 * norm.value, ops.abs(gradient)))
        self.assign_sub(
            variable, learning_rate * momentum.value / ((1 - beta_1_power) * (norm.value + self.epsilon))
        )

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
