"""Adam: adaptive moment estimation."""

from lamina import ops
from lamina.optimizers.learning_rate import value_of
from lamina.optimizers.optimizer import Optimizer


class Adam(Optimizer):
    """Optimizer implementing the Adam algorithm (Kingma & Ba, 2014).

    With `t` the step number (from 1):
    `m = m + (g - m) * (1 - beta_1)`, `v = v + (g^2 - v) * (1 - beta_2)`,
    `alpha = learning_rate * sqrt(1 - beta_2^t) / (1 - beta_1^t)`,
    `w = w - alpha * m / (sqrt(v) + epsilon)`. With `amsgrad`, the running
    maximum of `v` replaces `v` in the last step.

    Args:
        learning_rate: A float, a schedule, or a callable (default 0.001).
        beta_1: Decay rate of the first-moment estimates (default 0.9).
        beta_2: Decay rate of the second-moment estimates (default 0.999).
        epsilon: Small constant for numerical stability (default 1e-7).
        amsgrad: Whether to use the AMSGrad variant.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
        ema_momentum, ema_overwrite_frequency, loss_scale_factor,
        gradient_accumulation_steps, name: See `lamina.optimizers.Optimizer`.

    Example:

    >>> import lamina
    >>> weight = lamina.Variable([1.0], name="weight")
    >>> optimizer = Adam(learning_rate=0.1, name="adam")
    >>> optimizer.apply([lamina.ops.convert_to_tensor([0.5])], [weight])
    >>> round(float(weight.numpy()[0]), 4)
    0.9
    >>> [variable.path for variable in optimizer.variables]
    ['adam/iteration', 'adam/learning_rate', 'adam/weight_momentum', 'adam/weight_velocity']
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-7,
        amsgrad=False,
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
        self.amsgrad = amsgrad

    def build(self, variables):
        """Creates `momentum` and `velocity` slots (and `velocity_hat` with amsgrad)."""
        if self.built:
            return
        super().build(variables)
        self._momentums, self._velocities = self.add_optimizer_variables(variables, ["momentum", "velocity"])
        if self.amsgrad:
            self._velocity_hats = self.add_optimizer_variables(variables, "velocity_hat")

    def update_step(self, gradient, variable, learning_rate):
        """Applies the Adam update to one variable."""
        dtype = variable.dtype
        learning_rate = ops.cast(learning_rate, dtype)
        gradient = ops.cast(gradient, dtype)
        local_step = ops.cast(value_of(self.iterations) + 1, dtype)
        beta_1_power = ops.power(ops.cast(self.beta_1, dtype), local_step)
        beta_2_power = ops.power(ops.cast(self.beta_2, dtype), local_step)
        index = self._get_variable_index(variable)
        momentum = self._momentums[index]
        velocity = self._velocities[index]
        alpha = learning_rate * ops.sqrt(1 - beta_2_power) / (1 - beta_1_power)
        self.assign_add(momentum, (gradient - momentum.value) * (1 - self.beta_1))
        self.assign_add(velocity, (ops.square(gradient) - velocity.value) * (1 - self.beta_2))
        second_moment = velocity.value
        if self.amsgrad:
            velocity_hat = self._velocity_hats[index]
            self.assign(velocity_hat, ops.maximum(velocity_hat.value, velocity.value))
            second_moment = velocity_hat.value
        self.assign_sub(variable, (momentum.value * alpha) / (ops.sqrt(second_moment) + self.epsilon))

    def _multi_tensor_update(self, grads, trainable_variables, learning_rate):
        updates = self._multi_tensor_backend(Adam, grads, trainable_variables)
        if updates is None:
            return False
        indices = [self._get_variable_index(variable) for variable in trainable_variables]
        slots = [[self._momentums[i] for i in indices], [self._velocities[i] for i in indices]]
        if self.amsgrad:
            slots.append([self._velocity_hats[i] for i in indices])
        if not all(updates.can_update(grads, group) for group in slots):
            return False
        dtypes = {variable.dtype for variable in trainable_variables}
        if len(dtypes) != 1:
            return False
        # The same scalar arithmetic as update_step, once for all variables.
        dtype = dtypes.pop()
        learning_rate = ops.cast(learning_rate, dtype)
        local_step = ops.cast(value_of(self.iterations) + 1, dtype)
        beta_1_power = ops.power(ops.cast(self.beta_1, dtype), local_step)
        beta_2_power = ops.power(ops.cast(self.beta_2, dtype), local_step)
        alpha = learning_rate * ops.sqrt(1 - beta_2_power) / (1 - beta_1_power)
        updates.adam(
            updates.values_of(trainable_variables),
            grads,
            alpha,
            updates.values_of(slots[0]),
            updates.values_of(slots[1]),
            updates.values_of(slots[2]) if self.amsgrad else None,
            self.beta_1,
            self.beta_2,
            self.epsilon,
        )
        return True

    def get_config(self):
        config = super().get_config()
        config.update(
            {"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon, "amsgrad": self.amsgrad}
        )
        return config
