"""Adadelta: step sizes from running averages of squared gradients and squared updates."""

from lamina import ops
from lamina.optimizers.optimizer import Optimizer


class Adadelta(Optimizer):
    """Optimizer implementing the Adadelta algorithm (Zeiler, 2012).

    With `rms(x) = sqrt(x + epsilon)`:
    `accumulated_grad = rho * accumulated_grad + (1 - rho) * g^2`,
    `delta = -rms(accumulated_delta_var) * g / rms(accumulated_grad)`,
    `accumulated_delta_var = rho * accumulated_delta_var + (1 - rho) * delta^2`,
    `w = w + learning_rate * delta`.

    Args:
        learning_rate: A float, a schedule, or a callable (default 0.001; the
            original paper uses 1.0).
        rho: Decay rate of the running averages (default 0.95).
        epsilon: Small constant for numerical stability (default 1e-7).
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
        ema_momentum, ema_overwrite_frequency, loss_scale_factor,
        gradient_accumulation_steps, name: See `lamina.optimizers.Optimizer`.

    Example:

    >>> import lamina
    >>> weight = lamina.Variable([1.0], name="weight")
    >>> optimizer = Adadelta(learning_rate=1.0)
    >>> optimizer.apply([lamina.ops.convert_to_tensor([1.0])], [weight])
    >>> round(float(weight.numpy()[0]), 4)
    0.9986
    >>> [variable.path for variable in optimizer.variables][2:]
    ['adadelta/weight_accumulated_grad', 'adadelta/weight_accumulated_delta_var']
    """

    def __init__(
        self,
        learning_rate=0.001,
        rho=0.95,
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
            weight_decay=weight_decay,
            clipnorm=clipnorm,
            clipvalue=clipvalue,
            global_clipnorm=global_clipnorm,
            use_ema=use_ema,
            ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency,
            loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps,
            name=name,
            **kwargs,
        )
        self.rho = rho
        self.epsilon = epsilon

    def build(self, variables):
        """Creates the `accumulated_grad` and `accumulated_delta_var` slots."""
        if self.built:
            return
        super().build(variables)
        self._accumulated_grads, self._accumulated_delta_vars = self.add_optimizer_variables(
            variables, ["accumulated_grad", "accumulated_delta_var"]
        )

    def update_step(self, gradient, variable, learning_rate):
        """Applies the Adadelta update to one variable."""
        learning_rate = ops.cast(learning_rate, variable.dtype)
        gradient = ops.cast(gradient, variable.dtype)
        rho = self.rho
        index = self._get_variable_index(variable)
        accumulated_grad = self._accumulated_grads[index]
        accumulated_delta_var = self._accumulated_delta_vars[index]
        self.assign(accumulated_grad, rho * accumulated_grad.value + (1 - rho) * ops.square(gradient))
        delta = -(
            ops.sqrt(accumulated_delta_var.value + self.epsilon)
            * gradient
            / ops.sqrt(accumulated_grad.value + self.epsilon)
        )
        self.assign(accumulated_delta_var, rho * accumulated_delta_var.value + (1 - rho) * ops.square(delta))
        self.assign_add(variable, learning_rate * delta)

    def get_config(self):
        config = super().get_config()
        config.update({"rho": self.rho, "epsilon": self.epsilon})
        return config
