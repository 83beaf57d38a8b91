"""The NumPy backend has no automatic differentiation."""


def value_and_gradients(function, variables, has_aux=False):
    raise ValueError(
        "value_and_gradients needs automatic differentiation, which the numpy backend (inference "
        "only) does not have. Use the jax or torch backend (LAMINA_BACKEND=jax or torch)."
    )
