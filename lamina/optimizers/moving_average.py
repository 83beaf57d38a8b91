"""Exponential moving average (EMA) of the weights, kept by the optimizer with `use_ema=True`.

After each step, `average = m * average + (1 - m) * weight` (the first step
copies the weights). With `ema_overwrite_frequency=n`, the weights are replaced
by their averages every `n` iterations, selected with `where` so that the
choice is made inside the compiled step.
"""

from lamina import ops
from lamina.optimizers.learning_rate import value_of


class MovingAverageMixin:
    """The EMA part of `Optimizer`."""

    def finalize_variable_values(self, var_list):
        """With `use_ema`, writes the moving averages into `var_list` (the end of training)."""
        if self.use_ema:
            self._overwrite_model_variables_with_average_value(var_list)

    def _update_moving_averages(self):
        iterations = value_of(self.iterations)
        for variable, average in zip(self._trainable_variables, self._model_variables_moving_average):
            if average is None:
                continue
            not_first_step = ops.cast(ops.not_equal(iterations, 0), variable.dtype)
            momentum = not_first_step * self.ema_momentum
            average.assign(momentum * average.value + (1 - momentum) * variable.value)
        if self.ema_overwrite_frequency:
            should_overwrite = ops.equal(ops.mod(iterations + 1, self.ema_overwrite_frequency), 0)
            for variable, average in zip(self._trainable_variables, self._model_variables_moving_average):
                if average is not None:
                    variable.assign(ops.where(should_overwrite, average.value, variable.value))

    def _overwrite_model_variables_with_average_value(self, trainable_variables):
        if len(trainable_variables) != len(self._model_variables_moving_average):
            raise ValueError(
                f"{self.__class__.__name__}: {len(trainable_variables)} variables to overwrite but "
                f"{len(self._model_variables_moving_average)} moving averages. Was the optimizer "
                "built on these variables?"
            )
        for variable, average in zip(trainable_variables, self._model_variables_moving_average):
            if average is not None:
                variable.assign(average.value)
