"""FTRL-Proximal: follow the regularized leader, suited to sparse linear models."""

from lamina import initializers
from lamina import ops
from lamina.optimizers.optimizer import Optimizer


class Ftrl(Optimizer):
    """Optimizer implementing the FTRL-Proximal algorithm (McMahan et al., 2013).

    With `p = -learning_rate_power`, `n` the accumulator and `z` the linear term:
    `n_new = n + g^2`,
    `z = z + g + 2 * l2_shrinkage * w - (n_new^p - n^p) / learning_rate * w`,
    `w = (clip(z, -l1, l1) - z) / (n_new^p / learning_rate + 2 * l2)`,
    where `l2 = l2_regularization_strength + beta / (2 * learning_rate)`.

    Args:
        learning_rate: A float, a schedule, or a callable (default 0.001).
        learning_rate_power: How the learning rate decreases, <= 0 (default -0.5).
        initial_accumulator_value: Starting value of the accumulators, >= 0 (default 0.1).
        l1_regularization_strength: L1 strength, >= 0 (default 0).
        l2_regularization_strength: L2 strength, >= 0 (default 0).
        l2_shrinkage_regularization_strength: Magnitude penalty (L2 shrinkage), >= 0 (default 0).
        beta: The beta value from the paper (default 0).
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
        ema_momentum, ema_overwrite_frequency, loss_scale_factor,
        gradient_accumulation_steps, name: See `lamina.optimizers.Optimizer`.

    Example:

    >>> import lamina
    >>> weight = lamina.Variable([1.0], name="weight")
    >>> optimizer = Ftrl(learning_rate=0.1)
    >>> optimizer.apply([lamina.ops.convert_to_tensor([1.0])], [weight])
    >>> round(float(weight.numpy()[0]), 4)
    0.6031
    >>> [variable.path for variable in optimizer.variables][2:]
    ['ftrl/weight_accumulator', 'ftrl/weight_linear']
    """

    def __init__(
        self,
        learning_rate=0.001,
        learning_rate_power=-0.5,
        initial_accumulator_value=0.1,
        l1_regularization_strength=0.0,
        l2_regularization_strength=0.0,
        l2_shrinkage_regularization_strength=0.0,
        beta=0.0,
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
        checks = [
            ("initial_accumulator_value", initial_accumulator_value, "positive or zero"),
            ("learning_rate_power", -learning_rate_power, "negative or zero"),
            ("l1_regularization_strength", l1_regularization_strength, "positive or zero"),
            ("l2_regularization_strength", l2_regularization_strength, "positive or zero"),
            (
                "l2_shrinkage_regularization_strength",
                l2_shrinkage_regularization_strength,
                "positive or zero",
            ),
        ]
        for argument, value, expected in checks:
            if value < 0.0:
                shown = -value if argument == "learning_rate_power" else value
                raise ValueError(f"Ftrl: `{argument}` needs to be {expected}. Received: {argument}={shown}.")
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta

    def build(self, variables):
        """Creates the `accumulator` and `linear` slots, interleaved per variable."""
        if self.built:
            return
        super().build(variables)
        self._accumulators, self._linears = self.add_optimizer_variables(
            variables,
            ["accumulator", "linear"],
            initializer=[initializers.Constant(self.initial_accumulator_value), "zeros"],
        )

    def update_step(self, gradient, variable, learning_rate):
        """Applies the FTRL-Proximal update to one variable."""
        learning_rate = ops.cast(learning_rate, variable.dtype)
        gradient = ops.cast(gradient, variable.dtype)
        index = self._get_variable_index(variable)
        accumulator = self._accumulators[index]
        linear = self._linears[index]
        power = -self.learning_rate_power
        l2 = self.l2_regularization_strength + self.beta / (2.0 * learning_rate)
        weight = variable.value
        old_accumulator = accumulator.value
        new_accumulator = old_accumulator + ops.square(gradient)
        shrunk_gradient = gradient + 2 * self.l2_shrinkage_regularization_strength * weight
        sigma = (ops.power(new_accumulator, power) - ops.power(old_accumulator, power)) / learning_rate
        self.assign_add(linear, shrunk_gradient - sigma * weight)
        quadratic = ops.power(new_accumulator, power) / learning_rate + 2 * l2
        l1 = self.l1_regularization_strength
        linear_clipped = ops.clip(linear.value, -l1, l1)
        self.assign(variable, (linear_clipped - linear.value) / quadratic)
        self.assign(accumulator, new_accumulator)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "learning_rate_power": self.learning_rate_power,
                "initial_accumulator_value": self.initial_accumulator_value,
                "l1_regularization_strength": self.l1_regularization_strength,
                "l2_regularization_strength": self.l2_regularization_strength,
                "l2_shrinkage_regularization_strength": self.l2_shrinkage_regularization_strength,
                "beta": self.beta,
            }
        )
        return config
