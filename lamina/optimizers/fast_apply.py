"""`Optimizer.apply`'s shortcut for the eager steps of a plain configuration.

An eager training step (PyTorch) calls `apply` with the same variables every
time, usually with none of the optional stages configured (clipping, weight
decay, EMA, loss scaling, accumulation, constraints). The shortcut then does
only what `apply` would do anyway: one multi-tensor update of all variables
and the iteration count. Every setting is re-read on each call, so changing one
between steps takes effect at once; anything else takes the general path.
"""

import functools

from lamina.backend import current
from lamina.backend.common import lazy_package
from lamina.backend.common import scopes
from lamina.backend.common.variable import Variable
from lamina.config import backend as active_backend


class FastApplyMixin:
    """The `_apply_fast` shortcut of `Optimizer.apply`."""

    def _apply_fast(self, grads, trainable_variables):
        """Applies one step in a single multi-tensor update when nothing else has work to do.

        It applies (returning True) when no optional stage is set, the learning
        rate is a Variable (not a schedule), no gradient is missing, no variable
        has a constraint or overwrites with its gradient, the variables are those
        a previous `apply` checked, no scope is active, and the backend updates
        all variables at once (torch). Otherwise it returns False and changes nothing.

        Args:
            grads: The gradients, one per variable.
            trainable_variables: The list of variables.

        Returns:
            Whether the step was applied.
        """
        if (
            self.weight_decay is not None
            or self.clipnorm is not None
            or self.clipvalue is not None
            or self.global_clipnorm is not None
            or self.use_ema
            or self.loss_scale_factor is not None
            or self.gradient_accumulation_steps
            or not _plain_pipeline(type(self))
            or not isinstance(self._learning_rate, Variable)
            or getattr(self, "_known_variable_ids", None) != tuple(map(id, trainable_variables))
            or len(grads) != len(trainable_variables)
            or scopes.current_stateless_scope() is not None
        ):
            return False
        for grad, variable in zip(grads, trainable_variables):
            if grad is None or variable.constraint is not None or variable.overwrite_with_gradient:
                return False
        with current.core.no_grad():
            if not self._multi_tensor_update(grads, trainable_variables, self._learning_rate.value):
                return False
            updates = lazy_package.in_place_updates(active_backend())
            if updates is not None:
                updates.increment(self._iterations)
            else:
                self._iterations.assign(self._iterations.value + 1)
        return True


@functools.cache
def _plain_pipeline(kind):
    # Whether `kind` keeps the base update pipeline (so the shortcut skips only stages
    # with nothing to do) and has a multi-tensor formula.
    from lamina.optimizers.optimizer import Optimizer

    return (
        kind._multi_tensor_update is not Optimizer._multi_tensor_update
        and kind._update is Optimizer._update
        and kind._apply_processed_gradients is Optimizer._apply_processed_gradients
        and kind._filter_empty_gradients is Optimizer._filter_empty_gradients
        and kind._overwrite_variables_directly_with_gradients
        is Optimizer._overwrite_variables_directly_with_gradients
        and kind._apply_weight_decay is Optimizer._apply_weight_decay
    )
