"""The weight bookkeeping of `Layer`: weights, variables, freezing, get/set_weights."""

import numpy as np


def _unique(variables):
    seen = set()
    result = []
    for variable in variables:
        if id(variable) not in seen:
            seen.add(id(variable))
            result.append(variable)
    return result


class LayerWeightsMixin:
    """Weight lists in Keras's order: own trainable, own non-trainable, then each sublayer's."""

    def _flatten_layers(self, include_self=True, recursive=True):
        # Depth-first, parents before children; a stack popped from its end (run every step).
        layers = [self] if include_self else []
        seen = {id(self)}
        stack = self._layers[::-1]
        while stack:
            layer = stack.pop()
            if id(layer) in seen:
                continue
            seen.add(id(layer))
            layers.append(layer)
            if recursive and layer._layers:
                stack.extend(layer._layers[::-1])
        return layers

    @property
    def trainable(self):
        """Whether the layer trains.

        Setting it to False freezes every variable of the layer and its sublayers.
        """
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        value = bool(value)
        self._trainable = value
        for variable in self._trainable_variables:
            variable.trainable = value
        for layer in self._layers:
            layer.trainable = value

    @property
    def weights(self):
        """All weights (trainable first, then non-trainable, then sublayers'), without RNG state."""
        collected = list(self._trainable_variables) + list(self._non_trainable_variables)
        for layer in self._layers:
            collected.extend(layer.weights)
        return _unique(collected)

    @property
    def trainable_weights(self):
        if not self.trainable:
            return []
        return [v for v in self.weights if v.trainable]

    @property
    def non_trainable_weights(self):
        if not self.trainable:
            return self.weights
        return [v for v in self.weights if not v.trainable]

    @property
    def variables(self):
        """All state: the weights plus RNG seed states (and, for models, optimizer-free state)."""
        collected = list(self._trainable_variables) + list(self._non_trainable_variables)
        collected.extend(generator.state for generator in self._seed_generators)
        for layer in self._layers:
            collected.extend(layer.variables)
        return _unique(collected)

    @property
    def trainable_variables(self):
        return self.trainable_weights

    @property
    def non_trainable_variables(self):
        if not self.trainable:
            return self.variables
        return [v for v in self.variables if not v.trainable]

    def get_weights(self):
        """Returns the weights as a list of NumPy arrays, in `layer.weights` order."""
        return [variable.numpy() for variable in self.weights]

    def set_weights(self, weights):
        """Sets the weights from a list of arrays in `layer.weights` order.

        Args:
            weights: A list of NumPy arrays, one per weight, with matching shapes.
        """
        variables = self.weights
        weights = list(weights)
        if len(weights) != len(variables):
            raise ValueError(
                f"{self._describe()} has {len(variables)} weights, but set_weights "
                f"received {len(weights)} arrays. Expected shapes: "
                f"{[v.shape for v in variables]}."
            )
        for variable, value in zip(variables, weights):
            value = np.asarray(value)
            if tuple(value.shape) != tuple(variable.shape):
                raise ValueError(
                    f"{self._describe()}: weight '{variable.path}' has shape "
                    f"{variable.shape}, but set_weights received an array of shape "
                    f"{tuple(value.shape)}."
                )
        for variable, value in zip(variables, weights):
            variable.assign(np.asarray(value))

    def count_params(self):
        """Returns the number of scalars in the layer's weights."""
        if not self.built:
            raise ValueError(
                f"{self._describe()} is not built yet, so its weights don't exist. "
                "Call it on data or call build(input_shape) first."
            )
        return int(sum(int(np.prod(v.shape)) for v in self.weights))
