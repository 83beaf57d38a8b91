"""Gradients with respect to Variables, written once for every backend (custom training steps).

`value_and_gradients(loss_function, variables)` runs `loss_function()` and
returns its value with the gradients of that value with respect to
`variables`. On JAX it works inside the compiled step (the function is traced
with `jax.value_and_grad` over the variables' current values); on PyTorch it
uses autograd eagerly. A custom `train_step` written with it — and with
`optimizer.apply(grads, variables)` — runs unchanged on both backends.
"""

from lamina.backend import current


def value_and_gradients(function, variables, has_aux=False):
    """Returns `function()`'s value and its gradients with respect to `variables`.

    Variables the function assigns on the way (a BatchNormalization's moving
    statistics, a SeedGenerator's state) keep their new values.

    Args:
        function: A callable without arguments returning a scalar loss, or
            `(loss, aux)` when `has_aux=True`.
        variables: The Variables to differentiate with respect to (e.g.
            `model.trainable_variables`).
        has_aux: Whether `function` returns `(loss, aux)`; `aux` (any structure
            of tensors) is returned alongside the loss without being differentiated.

    Returns:
        `(loss, gradients)`, or `((loss, aux), gradients)` with `has_aux=True`;
        `gradients` is a list aligned with `variables`.

    Example:

    >>> import lamina
    >>> w = lamina.Variable(3.0)
    >>> loss, (grad,) = value_and_gradients(lambda: w * w, [w])
    >>> float(lamina.ops.convert_to_numpy(loss)), float(lamina.ops.convert_to_numpy(grad))
    (9.0, 6.0)
    """
    return current.gradients.value_and_gradients(function, variables, has_aux=has_aux)


def gradients(function, variables):
    """Returns the gradients of `function()` (a scalar loss) with respect to `variables`.

    Args:
        function: A callable without arguments returning a scalar loss.
        variables: The Variables to differentiate with respect to.

    Returns:
        A list of gradients aligned with `variables`.

    Example:

    >>> import lamina
    >>> w = lamina.Variable([1.0, 2.0])
    >>> (grad,) = gradients(lambda: lamina.ops.sum(w * w), [w])
    >>> lamina.ops.convert_to_numpy(grad).tolist()
    [2.0, 4.0]
    """
    return value_and_gradients(function, variables)[1]
