"""Stochastic gradient descent, with optional (Nesterov) momentum."""

from lamina import ops
from lamina.optimizers.optimizer import Optimizer


class SGD(Optimizer):
    """Gradient descent (with momentum) optimizer.

    Without momentum: `w = w - learning_rate * g`. With momentum:
    `velocity = momentum * velocity - learning_rate * g`, then
    `w = w + velocity`, or with Nesterov momentum
    `w = w + momentum * velocity - learning_rate * g`.

    Args:
        learning_rate: A float, a schedule, or a callable (default 0.01).
        momentum: Float in `[0, 1]` accelerating descent along consistent
            directions (default 0, plain gradient descent).
        nesterov: Whether to use Nesterov momentum.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
        ema_momentum, ema_overwrite_frequency, loss_scale_factor,
        gradient_accumulation_steps, name: See `lamina.optimizers.Optimizer`.

    Example:

    >>> import lamina
    >>> weight = lamina.Variable([1.0])
    >>> optimizer = SGD(learning_rate=0.1, momentum=0.9)
    >>> optimizer.apply([lamina.ops.convert_to_tensor([1.0])], [weight])
    >>> round(float(weight.numpy()[0]), 4)
    0.9
    """

    def __init__(
        self,
        learning_rate=0.01,
        momentum=0.0,
        nesterov=False,
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
        if isinstance(momentum, bool) or not isinstance(momentum, (int, float)) or not 0 <= momentum <= 1:
            raise ValueError(f"SGD: `momentum` must be a float in [0, 1]. Received: momentum={momentum!r}")
        self.momentum = float(momentum)
        self.nesterov = nesterov

    def build(self, variables):
        """Creates one `momentum` slot per variable when `momentum` is non-zero."""
        if self.built:
            return
        super().build(variables)
        self.momentums = []
        if self.momentum != 0:
            self.momentums = self.add_optimizer_variables(variables, "momentum")

    def update_step(self, gradient, variable, learning_rate):
        """Applies the SGD update to one variable."""
        learning_rate = ops.cast(learning_rate, variable.dtype)
        gradient = ops.cast(gradient, variable.dtype)
        step = gradient * learning_rate
        if self.momentum == 0:
            self.assign_sub(variable, step)
            return
        momentum_slot = self.momentums[self._get_variable_index(variable)]
        momentum = ops.cast(self.momentum, variable.dtype)
        self.assign(momentum_slot, momentum_slot.value * momentum - step)
        if self.nesterov:
            self.assign_add(variable, momentum_slot.value * momentum - step)
        else:
            self.assign_add(variable, momentum_slot.value)

    def _multi_tensor_update(self, grads, trainable_variables, learning_rate):
        updates = self._multi_tensor_backend(SGD, grads, trainable_variables)
        if updates is None:
            return False
        momentum_values = []
        if self.momentum != 0:
            momentum_slots = [self.momentums[self._get_variable_index(v)] for v in trainable_variables]
            if not updates.can_update(grads, momentum_slots):
                return False
            momentum_values = updates.values_of(momentum_slots)
        learning_rate = ops.cast(learning_rate, trainable_variables[0].dtype)
        updates.sgd(
            updates.values_of(trainable_variables),
            grads,
            learning_rate,
            momentum_values,
            self.momentum,
            self.nesterov,
        )
        return True

    def get_config(self):
        config = super().get_config()
        config.update({"momentum": self.momentum, "nesterov": self.nesterov})
        return config
