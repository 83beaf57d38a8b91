"""Gradients of a loss function with respect to Variables, with torch's autograd (eager)."""

import torch


def value_and_gradients(function, variables, has_aux=False):
    variables = list(variables)
    with torch.enable_grad():
        output = function()
    value, aux = output if has_aux else (output, None)
    tensors = [variable.value for variable in variables]
    missing = [variable.path for variable, tensor in zip(variables, tensors) if not tensor.requires_grad]
    if missing:
        raise ValueError(
            f"value_and_gradients: the variables {missing} are not trainable, so they have no "
            "gradient. Pass trainable variables (e.g. `model.trainable_variables`)."
        )
    grads = torch.autograd.grad(value, tensors, allow_unused=True)
    grads = [torch.zeros_like(tensor) if grad is None else grad for grad, tensor in zip(grads, tensors)]
    value = value.detach()
    if has_aux:
        return (value, aux), grads
    return value, grads
