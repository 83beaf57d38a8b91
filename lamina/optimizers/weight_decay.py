"""Decoupled weight decay for optimizers: `w -= w * weight_decay * learning_rate`."""

import re

from lamina import ops
from lamina.optimizers.learning_rate import value_of


class WeightDecayMixin:
    """The weight decay of `Optimizer`, with per-variable exemptions."""

    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Exempts variables from weight decay.

        Args:
            var_list: Variables to exempt.
            var_names: Regular expressions matched against variable names,
                e.g. `["bias", "gamma"]`.
        """
        self._exclude_from_weight_decay = {id(variable) for variable in var_list or ()}
        if var_names:
            self._exclude_from_weight_decay_pattern = re.compile("|".join(sorted(set(var_names))))
        else:
            self._exclude_from_weight_decay_pattern = None

    def _use_weight_decay(self, variable):
        if id(variable) in getattr(self, "_exclude_from_weight_decay", ()):
            return False
        pattern = getattr(self, "_exclude_from_weight_decay_pattern", None)
        return pattern is None or re.search(pattern, variable.name) is None

    def _apply_weight_decay(self, variables):
        if self.weight_decay is None:
            return
        learning_rate = value_of(self.learning_rate)
        for variable in variables:
            if self._use_weight_decay(variable):
                rate = ops.cast(learning_rate, variable.dtype)
                decay = ops.cast(self.weight_decay, variable.dtype)
                variable.assign(variable.value - variable.value * decay * rate)
