"""Reading and writing an optimizer's state (`set_weights`, the `.keras` saving hooks)."""

import warnings

import numpy as np


class StateSavingMixin:
    """The state I/O of `Optimizer`: values in `optimizer.variables` order."""

    def set_weights(self, weights):
        """Sets the state variables from a list of arrays (in `variables` order)."""
        if not self.built:
            raise ValueError(
                f"{self.__class__.__name__}.set_weights needs a built optimizer. Call "
                "`optimizer.build(trainable_variables)` first."
            )
        for variable, weight in zip(self._variables, weights):
            if tuple(variable.shape) != tuple(weight.shape):
                raise ValueError(
                    f"Optimizer variable {variable.path!r} has shape {tuple(variable.shape)}; "
                    f"received a weight of shape {tuple(weight.shape)}."
                )
            variable.assign(weight)

    def save_own_variables(self, store):
        """Writes the state into `store` as `"0"`, `"1"`, ... (the saving hook)."""
        for index, variable in enumerate(self.variables):
            # A copy: on torch, numpy() shares memory with the live variable.
            store[str(index)] = np.array(variable.numpy())

    def load_own_variables(self, store):
        """Reads the state written by `save_own_variables`.

        A state saved before the optimizer was built (iteration and learning
        rate only) loads into a built optimizer: its slots are the fresh ones.
        """
        saved_count = len(store.keys())
        if self.built and saved_count < len(self.variables):
            if saved_count == getattr(self, "_unbuilt_variable_count", None):
                for index in range(saved_count):
                    self.variables[index].assign(store[str(index)])
                return
        if saved_count != len(self.variables):
            message = (
                f"Skipping variable loading for optimizer '{self.name}', because it has "
                f"{len(self.variables)} variables whereas the saved optimizer has {len(store.keys())} "
                "variables."
            )
            if len(self.variables) == 0:
                message += " This is likely because the optimizer has not been called/built yet."
            warnings.warn(message, stacklevel=2)
            return
        for index, variable in enumerate(self.variables):
            variable.assign(store[str(index)])
