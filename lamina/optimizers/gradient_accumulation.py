"""Gradient accumulation: `gradient_accumulation_steps=n` averages gradients over `n` calls.

The weights and the optimizer's slots change only on every `n`-th call. Both
outcomes are computed and selected with `where`, so no Python branch depends
on the iteration count and the same code runs eagerly and under `jit`.
"""

from lamina import ops


class GradientAccumulationMixin:
    """The gradient-accumulation part of `Optimizer`."""

    def _is_accumulation_update_step(self):
        steps = self.gradient_accumulation_steps
        return ops.equal(ops.mod(self._iterations.value + 1, steps), 0)

    def _accumulate_then_update(self, grads, trainable_variables):
        steps = self.gradient_accumulation_steps
        is_update_step = self._is_accumulation_update_step()
        accumulators = [self._accumulated_gradients[self._get_variable_index(v)] for v in trainable_variables]
        # Copies, because a backend may update variables in place (torch).
        old_weights = [ops.copy(variable.value) for variable in trainable_variables]
        old_state = [ops.copy(variable.value) for variable in self._variables]
        summed = [grad + accumulator.value for grad, accumulator in zip(grads, accumulators)]
        self._update([total / steps for total in summed], trainable_variables)
        for variable, old in zip(trainable_variables, old_weights):
            variable.assign(ops.where(is_update_step, variable.value, old))
        for variable, old in zip(self._variables, old_state):
            variable.assign(ops.where(is_update_step, variable.value, old))
        for accumulator, total in zip(accumulators, summed):
            accumulator.assign(ops.where(is_update_step, ops.zeros_like(total), total))

    def _accumulate_overwrite_gradient(self, grad, variable):
        # Variables overwritten by their gradient (e.g. float8 scales) keep the group's maximum.
        is_update_step = self._is_accumulation_update_step()
        accumulator = self._accumulated_gradients[self._get_variable_index(variable)]
        largest = ops.maximum(grad, accumulator.value)
        variable.assign(ops.where(is_update_step, largest, variable.value))
        accumulator.assign(ops.where(is_update_step, ops.zeros_like(largest), largest))
