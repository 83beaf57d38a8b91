"""Lion: evolved sign momentum."""

from lamina import ops
from lamina.optimizers.optimizer import Optimizer


class Lion(Optimizer):
    """Optimizer implementing the Lion algorithm (Chen et al., 2023).

    Steps by the sign of an interpolation between momentum and gradient, then
    updates the momentum with a second rate:
    `w = w - learning_rate * sign(beta_1 * m + (1 - beta_1) * g)`,
    `m = beta_2 * m + (1 - beta_2) * g`. Every step has the same size per
    weight, so a learning rate 3-10 times smaller than Adam's is typical.

    Args:
        learning_rate: A float, a schedule, or a callable (default 0.001).
        beta_1: Interpolation rate for the step direction, in (0, 1] (default 0.9).
        beta_2: Decay rate of the momentum (default 0.99).
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
        ema_momentum, ema_overwrite_frequency, loss_scale_factor,
        gradient_accumulation_steps, name: See `lamina.optimizers.Optimizer`.

    Example:

    >>> import lamina
    >>> weight = lamina.Variable([1.0, 1.0], name="weight")
    >>> optimizer = Lion(learning_rate=0.1)
    >>> optimizer.apply([lamina.ops.convert_to_tensor([0.5, -2.0])], [weight])
    >>> [round(value, 4) for value in weight.numpy().tolist()]
    [0.9, 1.1]
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_1=0.9,
        beta_2=0.99,
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
        if beta_1 <= 0 or beta_1 > 1:
            raise ValueError(
                "Lion: argument `beta_1` must be in the (0, 1] range. Otherwise, the optimizer "
                f"degenerates to SignSGD. Received: beta_1={beta_1}."
            )

    def build(self, variables):
        """Creates one `momentum` slot per variable."""
        if self.built:
            return
        super().build(variables)
        self._momentums = self.add_optimizer_variables(variables, "momentum")

    def update_step(self, gradient, variable, learning_rate):
        """Applies the Lion update to one variable."""
        dtype = variable.dtype
        learning_rate = ops.cast(learning_rate, dtype)
        gradient = ops.cast(gradient, dtype)
        beta_1 = ops.cast(self.beta_1, dtype)
        beta_2 = ops.cast(self.beta_2, dtype)
        momentum = self._momentums[self._get_variable_index(variable)]
        direction = ops.sign(momentum.value * beta_1 + gradient * (1.0 - beta_1))
        self.assign_sub(variable, learning_rate * direction)
        self.assign(momentum, momentum.value * beta_2 + gradient * (1.0 - beta_2))

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2})
        return config
