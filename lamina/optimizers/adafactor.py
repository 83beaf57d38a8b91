"""Adafactor: Adam-like steps with factored (row and column) second moments."""

from lamina import ops
from lamina.backend import current
from lamina.backend.common.variable import Variable
from lamina.optimizers.learning_rate import value_of
from lamina.optimizers.optimizer import Optimizer


class Adafactor(Optimizer):
    """Optimizer implementing the Adafactor algorithm (Shazeer & Stern, 2018).

    For variables of rank >= 2 the second-moment estimate is stored factored:
    a row average `r` (last axis reduced) and a column average `c` (second
    to last axis reduced), so the memory grows with `rows + columns` rather
    than `rows * columns`. With `t` the step number (from 1):
    `beta_2_t = 1 - t^beta_2_decay`, `rho_t = min(learning_rate, 1 / sqrt(t))`,
    `alpha_t = max(epsilon_2, rms(w)) * rho_t`, `v = (r / mean(r)) * c` (or a
    plain moving average of `g^2 + epsilon_1` for rank < 2), `u = g / sqrt(v)`,
    `w = w - alpha_t * u / max(1, rms(u) / clip_threshold)`.

    Args:
        learning_rate: A float, a schedule, or a callable (default 0.001).
        beta_2_decay: Decay exponent of the second-moment rate (default -0.8).
        epsilon_1: Regularization added to the squared gradients (default 1e-30).
        epsilon_2: Lower bound of the weights' RMS in the step size (default 1e-3).
        clip_threshold: Threshold on the RMS of the unscaled update (default 1.0).
        relative_step: Whether the learning rate is capped at `1 / sqrt(t)` (default True).
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
        ema_momentum, ema_overwrite_frequency, loss_scale_factor,
        gradient_accumulation_steps, name: See `lamina.optimizers.Optimizer`.

    Example:

    >>> import lamina
    >>> weight = lamina.Variable([[1.0, 2.0], [3.0, 4.0]], name="weight")
    >>> optimizer = Adafactor(learning_rate=0.1)
    >>> optimizer.apply([lamina.ops.convert_to_tensor([[1.0, 1.0], [1.0, 1.0]])], [weight])
    >>> [[round(value, 4) for value in row] for row in weight.numpy().tolist()]
    [[0.7261, 1.7261], [2.7261, 3.7261]]
    >>> [(variable.path, variable.shape) for variable in optimizer.variables][2:]
    [('adafactor/weight', (2,)), ('adafactor/weight', (2,)), ('adafactor/weight_velocity', (2, 2))]
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_2_decay=-0.8,
        epsilon_1=1e-30,
        epsilon_2=1e-3,
        clip_threshold=1.0,
        relative_step=True,
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
        self.beta_2_decay = beta_2_decay
        self.epsilon_1 = epsilon_1
        self.epsilon_2 = epsilon_2
        self.clip_threshold = clip_threshold
        self.relative_step = relative_step

    def apply(self, grads, trainable_variables=None):
        # Keras builds inside the optimizer's name scope when `apply` builds, which
        # decides the paths of the unscoped placeholders created in `build`.
        if not self.built and trainable_variables is not None:
            with self._name_scope():
                self.build(list(trainable_variables))
        super().apply(grads, trainable_variables)

    def build(self, variables):
        """Creates, per variable, the factored `r` and `c` slots then the `velocity` slot.

        As in Keras, `r` and `c` are named after the variable (`<optimizer>/<name>`);
        a variable of rank < 2 gets two scalar int32 placeholders instead (so the
        saved variable list keeps Keras's layout).
        """
        if self.built:
            return
        variables = list(variables)
        super().build(variables)
        self._rows, self._columns, self._velocities = [], [], []
        for variable in variables:
            overwritten = getattr(variable, "overwrite_with_gradient", False)
            if len(variable.shape) < 2:
                for slots in (self._rows, self._columns):
                    placeholder = current.core.Variable(
                        initializer=0, shape=(), dtype="int32", trainable=False, name=variable.name
                    )
                    self._variables.append(placeholder)
                    slots.append(placeholder)
            elif overwritten:
                self._rows.append(None)
                self._columns.append(None)
            else:
                shape = tuple(variable.shape)
                row_shape = shape[:-1]
                column_shape = shape[:-2] + shape[-1:]
                self._rows.append(self.add_variable(row_shape, dtype=variable.dtype, name=variable.name))
                self._columns.append(
                    self.add_variable(column_shape, dtype=variable.dtype, name=variable.name)
                )
            if overwritten:
                self._velocities.append(None)
            else:
                self._velocities.append(self.add_variable_from_reference(variable, name="velocity"))

    def update_step(self, gradient, variable, learning_rate):
        """Applies the Adafactor update to one variable."""
        dtype = variable.dtype
        learning_rate = ops.cast(learning_rate, dtype)
        gradient = ops.cast(gradient, dtype)
        epsilon_2 = ops.cast(self.epsilon_2, dtype)
        local_step = ops.cast(value_of(self.iterations) + 1, dtype)
        inverse_root_step = 1 / ops.sqrt(local_step)
        if isinstance(self._learning_rate, Variable) and self.relative_step:
            learning_rate = ops.minimum(learning_rate, inverse_root_step)
        index = self._get_variable_index(variable)
        rows = self._rows[index]
        columns = self._columns[index]
        velocity = self._velocities[index]
        rho_t = ops.minimum(learning_rate, inverse_root_step)
        alpha_t = ops.maximum(epsilon_2, _rms(variable.value)) * rho_t
        regulated_grad_square = ops.square(gradient) + self.epsilon_1
        beta_2_t = 1 - ops.power(local_step, self.beta_2_decay)
        if len(variable.shape) >= 2:
            self.assign(
                rows, beta_2_t * rows.value + (1 - beta_2_t) * ops.mean(regulated_grad_square, axis=-1)
            )
            self.assign(
                columns, beta_2_t * columns.value + (1 - beta_2_t) * ops.mean(regulated_grad_square, axis=-2)
            )
            row_factor = ops.expand_dims(rows.value / ops.mean(rows.value, axis=-1, keepdims=True), axis=-1)
            self.assign(velocity, row_factor * ops.expand_dims(columns.value, -2))
        else:
            self.assign(velocity, beta_2_t * velocity.value + (1 - beta_2_t) * regulated_grad_square)
        unscaled = gradient / ops.sqrt(velocity.value)
        scaled = unscaled / ops.maximum(ops.cast(1.0, dtype), _rms(unscaled) / self.clip_threshold)
        self.assign_sub(variable, alpha_t * scaled)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "beta_2_decay": self.beta_2_decay,
                "epsilon_1": self.epsilon_1,
                "epsilon_2": self.epsilon_2,
                "clip_threshold": self.clip_threshold,
                "relative_step": self.relative_step,
            }
        )
        return config


def _rms(values):
    return ops.sqrt(ops.mean(ops.square(values)))
