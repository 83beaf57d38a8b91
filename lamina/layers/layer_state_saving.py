"""How a layer writes its own variables into a weights file, and reads them back.

`save_weights` and `model.save` walk the object graph and give each layer a
`store` (a dict-like view of its `vars` group in the file); the layer writes
its own variables — not its sublayers' — under `"0"`, `"1"`, ... Override
both methods to save state that is not a variable (Keras's hooks of the same
names).
"""

import numpy as np


class LayerStateSavingMixin:
    def _saved_variables(self):
        return list(self._trainable_variables) + list(self._non_trainable_variables)

    def save_own_variables(self, store):
        """Writes the layer's own variables into `store` as `"0"`, `"1"`, ... (trainable first).

        Args:
            store: A dict-like object that receives NumPy arrays.

        Example:

        >>> import lamina
        >>> layer = lamina.layers.Dense(2)
        >>> layer.build((None, 3))
        >>> store = {}
        >>> layer.save_own_variables(store)
        >>> {key: value.shape for key, value in store.items()}
        {'0': (3, 2), '1': (2,)}
        """
        for index, variable in enumerate(self._saved_variables()):
            store[str(index)] = np.array(variable.numpy())

    def load_own_variables(self, store):
        """Reads the layer's own variables from `store`, as `save_own_variables` wrote them.

        Args:
            store: A dict-like object holding NumPy arrays under `"0"`, `"1"`, ...

        Raises:
            ValueError: When the count or a shape differs from the layer's variables.

        Example:

        >>> import lamina
        >>> source, target = lamina.layers.Dense(2), lamina.layers.Dense(2)
        >>> source.build((None, 3)); target.build((None, 3))
        >>> store = {}
        >>> source.save_own_variables(store)
        >>> target.load_own_variables(store)
        >>> bool((target.kernel.numpy() == source.kernel.numpy()).all())
        True
        """
        variables = self._saved_variables()
        location = getattr(store, "location", "the store")
        count = len(store.keys())
        if count != len(variables):
            if count == 0 and getattr(store, "exists", True) is False:
                raise ValueError(
                    f"{self._describe()} has {len(variables)} variables but the file has no group "
                    f"'{location}'. The file was written by a different architecture."
                )
            hint = ""
            if not variables:
                hint = (
                    " The layer has no variables yet: build the model (call it on data or use "
                    "`build()`) before loading."
                )
            raise ValueError(
                f"{self._describe()} expects {len(variables)} variables, but the file has "
                f"{count} under '{location}'.{hint}"
            )
        values = [store[str(index)] for index in range(len(variables))]
        for index, (variable, value) in enumerate(zip(variables, values)):
            if tuple(variable.shape) != tuple(np.shape(value)):
                raise ValueError(
                    f"{self._describe()}: variable {index} ('{variable.name}') has shape "
                    f"{tuple(variable.shape)}, but '{location}/{index}' has shape {tuple(np.shape(value))}."
                )
        for variable, value in zip(variables, values):
            value = np.asarray(value)
            if value.dtype.name == "bfloat16":
                # torch cannot take a NumPy bfloat16 array; the float32 round trip is exact.
                value = value.astype("float32")
            variable.assign(value)
