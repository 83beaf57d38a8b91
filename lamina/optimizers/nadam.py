"""Nadam: Adam with Nesterov momentum."""

from lamina import ops
from lamina.backend import current
from lamina.config import floatx
from lamina.optimizers.learning_rate import value_of
from lamina.optimizers.optimizer import Optimizer


class Nadam(Optimizer):
    """Optimizer implementing the Nadam algorithm (Dozat, 2015).

    With `t` the step number (from 1) and the momentum schedule
    `u_t = beta_1 * (1 - 0.5 * 0.96^t)`, the product `u_product = u_1 * ... * u_t`
    is kept in a state variable. Each step:
    `m = m + (g - m) * (1 - beta_1)`, `v = v + (g^2 - v) * (1 - beta_2)`,
    `m_hat = u_{t+1} * m / (1 - u_product * u_{t+1}) + (1 - u_t) * g / (1 - u_product)`,
    `v_hat = v / (1 - beta_2^t)`, `w = w - learning_rate * m_hat / (sqrt(v_hat) + epsilon)`.

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
    >>> weight = lamina.Variable([1.0], name="weight")
    >>> optimizer = Nadam(learning_rate=0.1)
    >>> optimizer.apply([lamina.ops.convert_to_tensor([0.5])], [weight])
    >>> round(float(weight.numpy()[0]), 4)
    0.8937
    >>> [variable.path for variable in optimizer.variables][2:4]
    ['nadam/weight_momentum', 'nadam/weight_velocity']
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

    def apply(self, grads, trainable_variables=None):
        # Keras builds inside the optimizer's name scope when `apply` builds, so the
        # unscoped `u_product` variable gets the path `<name>/variable` there.
        if not self.built and trainable_variables is not None:
            with self._name_scope():
                self.build(list(trainable_variables))
        super().apply(grads, trainable_variables)

    def build(self, variables):
        """Creates `momentum` and `velocity` slots, then the scalar `u_product` (Keras's order)."""
        if self.built:
            return
        variables = list(variables)
        dtype = variables[0].dtype if variables else floatx()
        super().build(variables)
        self._momentums, self._velocities = self.add_optimizer_variables(variables, ["momentum", "velocity"])
        # Like Keras: a plain Variable named "variable", outside the optimizer's name scope.
        self._u_product = current.core.Variable(initializer=1.0, dtype=dtype, trainable=False)
        self._variables.append(self._u_product)

    def _update(self, grads, trainable_variables):
        # The momentum-schedule product advances once per step, before the per-variable updates.
        dtype = self._u_product.dtype
        local_step = ops.cast(value_of(self.iterations) + 1, dtype)
        factor = self.beta_1 * (1.0 - 0.5 * ops.power(ops.cast(0.96, dtype), local_step))
        self.assign(self._u_product, self._u_product.value * factor)
        super()._update(grads, trainable_variables)

    def update_step(self, gradient, variable, learning_rate):
        """Applies the Nadam update to one variable."""
        dtype = variable.dtype
        learning_rate = ops.cast(learning_rate, dtype)
        gradient = ops.cast(gradient, dtype)
        iterations = value_of(self.iterations)
        local_step = ops.cast(iterations + 1, dtype)
        next_step = ops.cast(iterations + 2, dtype)
        decay = ops.cast(0.96, dtype)
        beta_1 = ops.cast(self.beta_1, dtype)
        beta_2 = ops.cast(self.beta_2, dtype)
        u_t = beta_1 * (1.0 - 0.5 * ops.power(decay, local_step))
        u_t_1 = beta_1 * (1.0 - 0.5 * ops.power(decay, next_step))
        u_product_t = ops.cast(self._u_product.value, dtype)
        u_product_t_1 = u_product_t * u_t_1
        beta_2_power = ops.power(beta_2, local_step)
        index = self._get_variable_index(variable)
        momentum = self._momentums[index]
        velocity = self._velocities[index]
        self.assign_add(momentum, (gradient - momentum.value) * (1 - beta_1))
        self.assign_add(velocity, (ops.square(gradient) - velocity.value) * (1 - beta_2))
        m_hat = u_t_1 * momentum.value / (1 - u_product_t_1) + (1 - u_t) * gradient / (1 - u_product_t)
        v_hat = velocity.value / (1 - beta_2_power)
        self.assign_sub(variable, m_hat * learning_rate / (ops.sqrt(v_hat) + self.epsilon))

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
