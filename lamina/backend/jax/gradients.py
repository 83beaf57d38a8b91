"""Gradients of a loss function with respect to Variables, inside or outside a compiled step.

The function runs in a StatelessScope that maps the variables to the values
`jax.value_and_grad` differentiates; variables it assigns on the way (a
BatchNormalization's moving statistics, a SeedGenerator's state) are written
back afterwards to the enclosing scope, or to the variables when there is none.
"""

import jax

from lamina.backend.common.scopes import StatelessScope


def value_and_gradients(function, variables, has_aux=False):
    variables = list(variables)
    assigned = []

    def differentiable(values):
        with StatelessScope(state_mapping=list(zip(variables, values)), collect_losses=True) as scope:
            output = function()
        assigned[:] = list(scope._assigned.values())
        new_values = [scope._values[id(variable)] for variable in assigned]
        value, aux = output if has_aux else (output, None)
        return value, (aux, new_values)

    (value, (aux, new_values)), grads = jax.value_and_grad(differentiable, has_aux=True)(
        [variable.value for variable in variables]
    )
    for variable, new_value in zip(assigned, new_values):
        variable.assign(new_value)
    return ((value, aux), grads) if has_aux else (value, grads)
