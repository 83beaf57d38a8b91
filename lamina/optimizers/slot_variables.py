"""Creating an optimizer's state variables (its "slots") with Keras 3's names and order.

Each slot lives under the optimizer's name scope and is named after the model
variable it belongs to: `<variable path with / replaced by _>_<slot>`, e.g.
`adam/dense_kernel_momentum`. `add_optimizer_variables` interleaves slots per
model variable (`kernel_momentum, kernel_velocity, bias_momentum, ...`), the
order Keras saves them in.
"""

import contextlib

from lamina import initializers
from lamina.backend import current
from lamina.backend.common import scopes


class SlotVariablesMixin:
    """The variable-creation part of `Optimizer`."""

    def add_variable(
        self, shape, initializer="zeros", dtype=None, aggregation="none", layout=None, name=None
    ):
        """Creates a non-trainable state variable under the optimizer's name scope.

        Args:
            shape: The variable's shape.
            initializer: Initializer object or name (default `"zeros"`).
            dtype: The variable's dtype (default `floatx()`).
            aggregation: How replicas combine it.
            layout: Kept for API parity (distribution layouts).
            name: The variable's name.

        Returns:
            The new `Variable`.
        """
        with self._name_scope():
            variable = current.core.Variable(
                initializer=initializers.get(initializer),
                shape=tuple(shape),
                dtype=dtype,
                trainable=False,
                aggregation=aggregation,
                name=name,
            )
        self._variables.append(variable)
        return variable

    def add_variable_from_reference(self, reference_variable, name=None, initializer="zeros"):
        """Creates a slot shaped like `reference_variable`, named `<path with _>_<name>`.

        Args:
            reference_variable: The model variable the slot belongs to.
            name: The slot's suffix (e.g. `"momentum"`).
            initializer: Initializer object or name (default `"zeros"`).

        Returns:
            The new `Variable`.
        """
        name = name or "var"
        reference_name = getattr(reference_variable, "path", None) or str(reference_variable.name)
        reference_name = reference_name.replace("/", "_").replace(":", "_")
        return self.add_variable(
            shape=reference_variable.shape,
            initializer=initializer,
            dtype=reference_variable.dtype,
            name=f"{reference_name}_{name}",
        )

    def add_optimizer_variables(self, trainable_variables, name, initializer="zeros"):
        """Creates one slot per variable for each name, interleaved per variable.

        Variables with `overwrite_with_gradient` get None instead of slots.

        Args:
            trainable_variables: The model variables.
            name: A slot name, or a list of slot names.
            initializer: One initializer, or a list matching `name`.

        Returns:
            A list of slots (for a single name) or a tuple of such lists.
        """
        names = [name] if isinstance(name, str) else list(name)
        if isinstance(initializer, (list, tuple)):
            initializer_list = list(initializer)
        else:
            initializer_list = [initializer] * len(names)
        if len(names) != len(initializer_list):
            raise ValueError(
                f"{self.__class__.__name__}.add_optimizer_variables: {len(names)} names but "
                f"{len(initializer_list)} initializers. Received name={name!r}, initializer={initializer!r}"
            )
        slots = tuple([] for _ in names)
        for variable in trainable_variables:
            for position, (slot_name, slot_initializer) in enumerate(zip(names, initializer_list)):
                if getattr(variable, "overwrite_with_gradient", False):
                    slots[position].append(None)
                else:
                    slots[position].append(
                        self.add_variable_from_reference(
                            variable, name=slot_name, initializer=slot_initializer
                        )
                    )
        return slots[0] if isinstance(name, str) else slots

    def _name_scope(self):
        # Nested calls (apply -> build -> add_variable) open the scope once.
        stack = scopes._stack("name_scopes")
        if stack and stack[-1] == self.name:
            return contextlib.nullcontext()
        return scopes.NameScope(self.name)
