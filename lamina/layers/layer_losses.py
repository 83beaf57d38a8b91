"""The losses side of `Layer`: `add_loss`, activity regularization, weight penalties."""

import optree

from lamina.backend.common import scopes
from lamina.layers import layer_call_helpers


class LayerLossesMixin:
    def add_loss(self, loss):
        """Adds a scalar loss (e.g. a penalty) that training minimizes with the main loss."""
        scope = scopes.current_stateless_scope()
        if scope is not None and scope.collect_losses:
            scope.add_loss(loss)
        else:
            self._losses.append(loss)
            layer_call_helpers.note_layer_change()

    def _add_activity_loss(self, outputs):
        from lamina import ops

        for output in optree.tree_leaves(outputs):
            penalty = self.activity_regularizer(output)
            batch = ops.cast(ops.shape(output)[0], penalty.dtype) if ops.shape(output) else 1
            self.add_loss(penalty / batch)

    def _clear_losses(self):
        # Runs before every outermost call. Adding a loss or setting `_losses` counts as a
        # layer change, so with no change since this layer last cleared there is nothing to clear.
        if self.__dict__.get("_losses_cleared_at") == layer_call_helpers.layer_changes():
            return
        if self._losses:
            self._losses = []
        for layer in self._flatten_layers(include_self=False):
            if layer._losses:
                layer._losses = []
        # Not a tracked attribute: a plain instance entry, invisible to layer tracking.
        object.__setattr__(self, "_losses_cleared_at", layer_call_helpers.layer_changes())

    def _regularization_losses(self):
        # Every training step asks; most models have no regularized weight, which a walk
        # over the layers' own variables settles faster than collecting `trainable_weights`.
        if not any(
            variable.regularizer is not None
            for layer in self._flatten_layers()
            for variables in (layer._trainable_variables, layer._non_trainable_variables)
            for variable in variables
        ):
            return []
        penalties = []
        for variable in self.trainable_weights:
            if variable.regularizer is not None:
                penalties.append(variable.regularizer(variable.value))
        return penalties

    @property
    def losses(self):
        """Losses added during the last call, plus weight regularization penalties."""
        collected = list(self._losses)
        for layer in self._flatten_layers(include_self=False):
            collected.extend(layer._losses)
        return collected + self._regularization_losses()
