"""RMSprop: divide the gradient by a running root mean square of recent gradients."""

from lamina import ops
from lamina.optimizers.optimizer import Optimizer


class RMSprop(Optimizer):
    """RMSprop optimizer (the default optimizer of `Model.compile`).

    Keeps a moving average of squared gradients,
    `velocity = rho * velocity + (1 - rho) * g**2`, and steps by
    `learning_rate * g / sqrt(velocity + epsilon)`. With `centered=True` the
    variance estimate subtracts the squared moving average of the gradients;
    with `momentum > 0` the steps accumulate in a momentum slot.

    Args:
        learning_rate: A float, a schedule, or a callable (default 0.001).
        rho: Discount factor of the squared-gradient average (default 0.9).
        momentum: Momentum factor (default 0: no momentum slot).
        epsilon: Small constant for numerical stability (default 1e-7).
        centered: Whether to normalize by the estimated variance of the gradient.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
        ema_momentum, ema_overwrite_frequency, loss_scale_factor,
        gradient_accumulation_steps, name: See `lamina.optimizers.Optimizer`.

    Example:

    >>> import lamina
    >>> weight = lamina.Variable([1.0])
    >>> optimizer = RMSprop(learning_rate=0.1)
    >>> optimizer.apply([lamina.ops.convert_to_tensor([1.0])], [weight])
    >>> round(float(weight.numpy()[0]), 4)
    0.6838
    """

    def __init__(
        self,
        learning_rate=0.001,
        rho=0.9,
        momentum=0.0,
        epsilon=1e-7,
        centered=False,
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
        if not 0 <= rho <= 1:
            raise ValueError(f"RMSprop: `rho` must be in [0, 1]. Received: rho={rho!r}")
        if not 0 <= momentum <= 1:
            raise ValueError(f"RMSprop: `momentum` must be in [0, 1]. Received: momentum={momentum!r}")
        self.rho = float(rho)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.centered = bool(centered)

    def build(self, variables):
        """Creates the `velocity` slots, then `momentum` and `average_gradient` ones when used."""
        if self.built:
            return
        super().build(variables)
        self.velocities = self.add_optimizer_variables(variables, "velocity")
        self.momentums = []
        if self.momentum > 0:
            self.momentums = self.add_optimizer_variables(variables, "momentum")
        self.average_gradients = []
        if self.centered:
            self.average_gradients = self.add_optimizer_variables(variables, "average_gradient")

    def update_step(self, gradient, variable, learning_rate):
        """Applies the RMSprop update to one variable."""
        learning_rate = ops.cast(learning_rate, variable.dtype)
        gradient = ops.cast(gradient, variable.dtype)
        index = self._get_variable_index(variable)
        velocity = self.velocities[index]
        rho = self.rho
        self.assign(velocity, rho * velocity.value + (1 - rho) * ops.square(gradient))
        if self.centered:
            average = self.average_gradients[index]
            self.assign(average, rho * average.value + (1 - rho) * gradient)
            denominator = velocity.value - ops.square(average.value) + self.epsilon
        else:
            denominator = velocity.value + self.epsilon
        increment = learning_rate * gradient / ops.sqrt(denominator)
        if self.momentum > 0:
            momentum = self.momentums[index]
            self.assign(momentum, self.momentum * momentum.value + increment)
            self.assign_sub(variable, momentum.value)
        else:
            self.assign_sub(variable, increment)

    def get_config(self):
        config = super().get_config()
        config.update(
            {"rho": self.rho, "momentum": self.momentum, "epsilon": self.epsilon, "centered": self.centered}
        )
        return config
