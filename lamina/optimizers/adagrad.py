"""Adagrad: per-parameter learning rates scaled by the sum of past squared gradients."""

from lamina import initializers
from lamina import ops
from lamina.optimizers.optimizer import Optimizer


class Adagrad(Optimizer):
    """Optimizer implementing the Adagrad algorithm (Duchi et al., 2011).

    Each weight keeps an accumulator of its squared gradients,
    `accumulator = accumulator + g^2`, and steps by
    `w = w - learning_rate * g / sqrt(accumulator + epsilon)`: weights updated
    often take smaller steps.

    Args:
        learning_rate: A float, a schedule, or a callable (default 0.001).
        initial_accumulator_value: Starting value of the accumulators (default 0.1).
        epsilon: Small constant for numerical stability (default 1e-7).
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
        ema_momentum, ema_overwrite_frequency, loss_scale_factor,
        gradient_accumulation_steps, name: See `lamina.optimizers.Optimizer`.

    Example:

    >>> import lamina
    >>> weight = lamina.Variable([1.0], name="weight")
    >>> optimizer = Adagrad(learning_rate=0.1)
    >>> optimizer.apply([lamina.ops.convert_to_tensor([1.0])], [weight])
    >>> round(float(weight.numpy()[0]), 4)
    0.9047
    >>> [variable.path for variable in optimizer.variables]
    ['adagrad/iteration', 'adagrad/learning_rate', 'adagrad/weight_accumulator']
    """

    def __init__(
        self,
        learning_rate=0.001,
        initial_accumulator_value=0.1,
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
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def build(self, variables):
        """Creates one `accumulator` slot per variable, filled with `initial_accumulator_value`."""
        if self.built:
            return
        super().build(variables)
        initializer = initializers.Constant(self.initial_accumulator_value)
        self._accumulators = self.add_optimizer_variables(variables, "accumulator", initializer=initializer)

    def update_step(self, gradient, variable, learning_rate):
        """Applies the Adagrad update to one variable."""
        learning_rate = ops.cast(learning_rate, variable.dtype)
        gradient = ops.cast(gradient, variable.dtype)
        accumulator = self._accumulators[self._get_variable_index(variable)]
        self.assign_add(accumulator, ops.square(gradient))
        self.assign_sub(variable, learning_rate * gradient / ops.sqrt(accumulator.value + self.epsilon))

    def get_config(self):
        config = super().get_config()
        config.update({"initial_accumulator_value": self.initial_accumulator_value, "epsilon": self.epsilon})
        return config
