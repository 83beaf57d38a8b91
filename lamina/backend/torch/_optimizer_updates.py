"""Multi-tensor optimizer updates for PyTorch: one `torch._foreach_*` call per formula step.

It also holds the other in-place updates of the eager training step (the
iteration counter, the loss tracker's total and count).

The optimizers' per-variable `update_step` costs a few dozen Python-level op
dispatches per variable and step; a hand-written PyTorch loop pays one fused
multi-tensor kernel per formula step instead. These functions apply Keras's
formulas to all variables at once, in place: SGD with the same operation order
and float32 scalars, Adam on the CPU in PyTorch's fused kernel (the same formula
in one pass, rounded differently by a few float32 ulps). The optimizers call them
only when `can_update` holds (otherwise they keep their generic per-variable
path), inside `Optimizer.apply`'s no-grad block: the updates must not be recorded.
"""

import torch

from lamina.backend.common.variable import Variable as BaseVariable
from lamina.backend.torch.core import Variable


def can_update(grads, variables):
    """Whether every `(gradient, variable)` pair is a plain dense float tensor update on one device.

    Args:
        grads: The gradients, one per variable.
        variables: The lamina Variables to update.

    Returns:
        True when the multi-tensor functions below give the per-variable result.

    Example:

    >>> can_update([], [])
    False
    """
    if not variables:
        return False
    first = variables[0]._value
    on_cpu = isinstance(first, torch.Tensor) and first.is_cpu
    device = None
    for grad, variable in zip(grads, variables):
        kind = type(variable)
        if kind not in _PLAIN_VARIABLE_TYPES and not _is_plain_variable_type(kind):
            return False
        value = variable._value
        if type(grad) is not torch.Tensor or not isinstance(value, torch.Tensor):
            return False
        dtype = value.dtype
        if grad.dtype is not dtype or (dtype is not torch.float32 and dtype is not torch.float64):
            return False
        if grad.layout is not torch.strided or grad.shape != value.shape:
            return False
        if on_cpu:
            # Comparing `device` objects costs more than the rest of the checks.
            if not (grad.is_cpu and value.is_cpu):
                return False
            continue
        if device is None:
            device = value.device
        if grad.device != device or value.device != device:
            return False
    return True


# Variable classes whose `assign` and `_direct_assign` are the base ones (checked once per class).
_PLAIN_VARIABLE_TYPES = set()


def _is_plain_variable_type(kind):
    if kind.assign is not BaseVariable.assign or kind._direct_assign is not Variable._direct_assign:
        return False
    _PLAIN_VARIABLE_TYPES.add(kind)
    return True


def increment(variable):
    """Adds 1 to an integer counter Variable (the optimizer's iterations), in place.

    Example:

    >>> from lamina.backend.torch.core import Variable
    >>> counter = Variable(initializer=0, dtype="int32", trainable=False)
    >>> increment(counter)
    >>> counter._value.item()
    1
    """
    variable._value.add_(1)


def accumulate(variable, increment):
    """`variable += increment` in place: one kernel for a metric's running total or count.

    Args:
        variable: A float lamina Variable.
        increment: A tensor of the variable's dtype and shape, or a Python number.

    Example:

    >>> from lamina.backend.torch.core import Variable
    >>> total = Variable(initializer=1.0, trainable=False)
    >>> accumulate(total, 2)
    >>> total._value.item()
    3.0
    """
    if torch.is_grad_enabled():
        with torch.no_grad():
            variable._value.add_(increment)
        return
    variable._value.add_(increment)


def values_of(variables):
    """The live tensors behind `variables` (updated in place by the functions below)."""
    return [variable._value for variable in variables]


def sgd(values, grads, learning_rate, momentum_values, momentum, nesterov):
    """SGD: `w -= g * lr`; with momentum `m = m * momentum - g * lr`, then `w += m`.

    With Nesterov momentum the last step is `w += m * momentum - g * lr`.

    Args:
        values: The variables' tensors.
        grads: Their gradients.
        learning_rate: A Python float or 0-d tensor of the variables' dtype.
        momentum_values: The momentum slots' tensors (empty when `momentum` is 0).
        momentum: The momentum coefficient.
        nesterov: Whether to use Nesterov momentum.

    Example:

    >>> weight = torch.tensor([1.0, 2.0])
    >>> sgd([weight], [torch.tensor([1.0, 1.0])], 0.5, [], 0.0, False)
    >>> weight.tolist()
    [0.5, 1.5]
    """
    steps = torch._foreach_mul(grads, learning_rate)
    if momentum == 0:
        torch._foreach_sub_(values, steps)
        return
    torch._foreach_mul_(momentum_values, momentum)
    torch._foreach_sub_(momentum_values, steps)
    if nesterov:
        increments = torch._foreach_mul(momentum_values, momentum)
        torch._foreach_sub_(increments, steps)
        torch._foreach_add_(values, increments)
    else:
        torch._foreach_add_(values, momentum_values)


def adam(
    values, grads, alpha, momentum_values, velocity_values, velocity_hat_values, beta_1, beta_2, epsilon
):
    """Adam with Keras's epsilon placement: `w -= (m * alpha) / (sqrt(v) + epsilon)`.

    `m += (g - m) * (1 - beta_1)`, `v += (g² - v) * (1 - beta_2)`; with AMSGrad
    `v_hat = max(v_hat, v)` replaces `v` in the denominator.

    Args:
        values: The variables' tensors.
        grads: Their gradients.
        alpha: `lr * sqrt(1 - beta_2^t) / (1 - beta_1^t)` as a 0-d tensor of the variables' dtype.
        momentum_values: The first-moment slots' tensors.
        velocity_values: The second-moment slots' tensors.
        velocity_hat_values: The AMSGrad slots' tensors, or None.
        beta_1: The first-moment decay.
        beta_2: The second-moment decay.
        epsilon: The denominator's epsilon.

    Example:

    >>> weight, momentum, velocity = torch.tensor([1.0]), torch.zeros(1), torch.zeros(1)
    >>> adam([weight], [torch.tensor([2.0])], torch.tensor(0.1), [momentum], [velocity], None, 0.5, 0.5, 0.0)
    >>> round(weight.item(), 6)  # m = 1, v = 2: 1 - 0.1 / sqrt(2)
    0.929289
    """
    if _fused_adam_applies(values):
        _fused_adam(
            values,
            grads,
            alpha,
            momentum_values,
            velocity_values,
            velocity_hat_values,
            beta_1,
            beta_2,
            epsilon,
        )
        return
    differences = torch._foreach_sub(grads, momentum_values)
    torch._foreach_mul_(differences, 1 - beta_1)
    torch._foreach_add_(momentum_values, differences)
    squares = torch._foreach_mul(grads, grads)
    torch._foreach_sub_(squares, velocity_values)
    torch._foreach_mul_(squares, 1 - beta_2)
    torch._foreach_add_(velocity_values, squares)
    second_moments = velocity_values
    if velocity_hat_values is not None:
        torch._foreach_maximum_(velocity_hat_values, velocity_values)
        second_moments = velocity_hat_values
    denominators = torch._foreach_sqrt(second_moments)
    torch._foreach_add_(denominators, epsilon)
    steps = torch._foreach_mul(momentum_values, alpha)
    torch._foreach_div_(steps, denominators)
    torch._foreach_sub_(values, steps)


# A step count at which `beta ** step` is 0 for every beta below 1, so the fused
# kernel's own bias corrections are 1 and `alpha` (Keras's) carries them instead.
# The kernel only reads it.
_UNCORRECTED_STEP = torch.tensor(2.0**40, dtype=torch.float32)


def _fused_adam_applies(values):
    # PyTorch's CPU kernel is checked here; other devices keep the multi-tensor formula.
    return hasattr(torch, "_fused_adam_") and all(value.device.type == "cpu" for value in values)


def _fused_adam(
    values, grads, alpha, momentum_values, velocity_values, velocity_hat_values, beta_1, beta_2, epsilon
):
    """Adam in PyTorch's fused CPU kernel: one pass over each tensor instead of a dozen.

    The kernel computes `w -= lr / (1 - beta_1^t) * m / (sqrt(v) / sqrt(1 - beta_2^t) + epsilon)`.
    With `t` so large that both corrections are 1 and `lr = alpha`, that is Keras's
    `w -= alpha * m / (sqrt(v) + epsilon)`; the moments follow the same recurrences.
    The result differs from the multi-tensor formula only in rounding (a few float32 ulps).
    """
    torch._fused_adam_(
        values,
        grads,
        momentum_values,
        velocity_values,
        velocity_hat_values if velocity_hat_values is not None else [],
        [_UNCORRECTED_STEP] * len(values),
        lr=alpha,
        beta1=beta_1,
        beta2=beta_2,
        weight_decay=0.0,
        eps=epsilon,
        amsgrad=velocity_hat_values is not None,
        maximize=False,
    )
