"""PyTorch neural-network ops: activations, softmax, encodings, crossentropies, normalizations."""

import torch
import torch.nn.functional as functional

from lamina import config
from lamina.backend.common import dtypes
from lamina.backend.torch import _normalized_probabilities
from lamina.backend.torch import _short_axis_softmax
from lamina.backend.torch.core import cast
from lamina.backend.torch.core import convert_to_tensor
from lamina.backend.torch.core import to_torch_dtype


def _float(x):
    x = convert_to_tensor(x)
    if not x.is_floating_point():
        x = x.to(to_torch_dtype(config.floatx()))
    return x


def _dims(axis, ndim):
    if axis is None:
        return tuple(range(ndim))
    return tuple(axis) if isinstance(axis, (tuple, list)) else axis


def relu(x):
    if isinstance(x, torch.Tensor):
        return torch.relu(x)
    return torch.relu(convert_to_tensor(x))


def relu6(x):
    x = convert_to_tensor(x)
    return torch.clamp(x, min=0, max=6) if not x.is_floating_point() else functional.relu6(x)


def sigmoid(x):
    return torch.sigmoid(_float(x))


def softplus(x):
    x = _float(x)
    # torch's default threshold switches to the identity above 20; keep the exact curve.
    return torch.logaddexp(x, torch.zeros((), dtype=x.dtype, device=x.device))


def softsign(x):
    return functional.softsign(_float(x))


def silu(x):
    return functional.silu(_float(x))


def log_sigmoid(x):
    return functional.logsigmoid(_float(x))


def leaky_relu(x, negative_slope=0.2):
    return functional.leaky_relu(_float(x), negative_slope=negative_slope)


def hard_sigmoid(x):
    return functional.hardsigmoid(_float(x))


def hard_silu(x):
    return functional.hardswish(_float(x))


def elu(x, alpha=1.0):
    return functional.elu(_float(x), alpha=alpha)


def selu(x):
    return functional.selu(_float(x))


def gelu(x, approximate=True):
    return functional.gelu(_float(x), approximate="tanh" if approximate else "none")


def celu(x, alpha=1.0):
    return functional.celu(_float(x), alpha=alpha)


def glu(x, axis=-1):
    return functional.glu(_float(x), dim=axis)


def mish(x):
    return functional.mish(_float(x))


def softmax(x, axis=-1):
    if type(axis) is int and isinstance(x, torch.Tensor) and x.is_floating_point():
        # The usual case (a Dense / Conv activation).
        return _normalized_probabilities.mark(_short_axis_softmax.compute(torch.softmax, x, axis), axis)
    x = _float(x)
    dims = _dims(axis, x.ndim)
    if isinstance(dims, int):
        return _normalized_probabilities.mark(_short_axis_softmax.compute(torch.softmax, x, dims), dims)
    return torch.exp(x - torch.logsumexp(x, dim=dims, keepdim=True))


def log_softmax(x, axis=-1):
    x = _float(x)
    dims = _dims(axis, x.ndim)
    if isinstance(dims, int):
        return _short_axis_softmax.compute(torch.log_softmax, x, dims)
    return x - torch.logsumexp(x, dim=dims, keepdim=True)


def one_hot(x, num_classes, axis=-1, dtype=None):
    x = convert_to_tensor(x)
    classes = torch.arange(num_classes, device=x.device)
    # Comparing against the class range gives all-zero rows for out-of-range labels.
    encoded = (x.unsqueeze(-1) == classes).to(to_torch_dtype(dtype))
    if axis != -1:
        encoded = torch.movedim(encoded, -1, axis)
    return encoded


def multi_hot(x, num_classes, axis=-1, dtype=None):
    x = convert_to_tensor(x)
    reduction_axis = 1 if x.ndim > 1 else 0
    return torch.amax(one_hot(x, num_classes, axis=axis, dtype=dtype), dim=reduction_axis)


def _crossentropy_inputs(target, output):
    target = convert_to_tensor(target)
    output = convert_to_tensor(output)
    if target.dtype == output.dtype and output.is_floating_point():
        return target, output  # the usual case: nothing to promote
    dtype = dtypes.result_type(target.dtype, output.dtype, 1.0)
    return cast(target, dtype), cast(output, dtype)


def _log_probabilities(output, from_logits, axis):
    if from_logits:
        return _short_axis_softmax.compute(torch.log_softmax, output, axis)
    if not _normalized_probabilities.is_normalized(output, axis):
        output = output / torch.sum(output, dim=axis, keepdim=True)
    output = torch.clamp(output, config.epsilon(), 1.0 - config.epsilon())
    return torch.log(output)


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target, output = _crossentropy_inputs(target, output)
    return -torch.sum(target * _log_probabilities(output, from_logits, axis), dim=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    output = _float(output)
    target = convert_to_tensor(target)
    if target.dtype != torch.int64:
        target = target.to(torch.int64)
    if target.ndim == output.ndim and target.shape[-1] == 1:
        target = torch.squeeze(target, dim=-1)
    log_probabilities = _log_probabilities(output, from_logits, axis)
    target = one_hot(target, output.shape[axis], axis=axis, dtype=output.dtype)
    return -torch.sum(target * log_probabilities, dim=axis)


def binary_crossentropy(target, output, from_logits=False):
    target, output = _crossentropy_inputs(target, output)
    if from_logits:
        return -target * functional.logsigmoid(output) - (1.0 - target) * functional.logsigmoid(-output)
    output = torch.clamp(output, config.epsilon(), 1.0 - config.epsilon())
    return -(target * torch.log(output) + (1.0 - target) * torch.log(1.0 - output))


def moments(x, axes, keepdims=False):
    x = _float(x)
    original_dtype = x.dtype
    # float16 statistics overflow quickly; compute them in float32.
    low_precision = original_dtype in (torch.float16, torch.bfloat16)
    if low_precision:
        x = x.to(torch.float32)
    dims = _dims(axes, x.ndim)
    mean = torch.mean(x, dim=dims, keepdim=True)
    variance = torch.mean(torch.square(x - mean.detach()), dim=dims, keepdim=True)
    if not keepdims:
        mean = torch.squeeze(mean, dim=dims)
        variance = torch.squeeze(variance, dim=dims)
    if low_precision:
        limit = torch.finfo(original_dtype).max
        mean = torch.clamp(mean, -limit, limit).to(original_dtype)
        variance = torch.clamp(variance, -limit, limit).to(original_dtype)
    return mean, variance


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    x = _float(x)
    shape = [1] * x.ndim
    shape[axis] = x.shape[axis]
    inverse = torch.rsqrt(torch.reshape(convert_to_tensor(variance), shape) + epsilon)
    if scale is not None:
        inverse = inverse * torch.reshape(convert_to_tensor(scale), shape)
    result = (x - torch.reshape(convert_to_tensor(mean), shape)) * inverse
    if offset is not None:
        result = result + torch.reshape(convert_to_tensor(offset), shape)
    return result.to(x.dtype)


def normalize(x, axis=-1, order=2, epsilon=1e-7):
    x = _float(x)
    if x.ndim == 0:
        x = x.unsqueeze(0)
    dims = _dims(axis, x.ndim)
    if order == 2:
        inverse_norm = torch.rsqrt(torch.sum(torch.square(x), dim=dims, keepdim=True))
        return x * torch.clamp(inverse_norm, max=1.0 / epsilon)
    norm = torch.linalg.vector_norm(x, ord=order, dim=dims, keepdim=True)
    return x / torch.clamp(norm, min=epsilon)


def _normalization_inputs(x, parameters, axis):
    """Casts `x` and the parameters to the compute dtype (at least float32); returns the pieces."""
    x = _float(x)
    original_dtype = x.dtype
    compute_dtype = torch.float32 if original_dtype in (torch.float16, torch.bfloat16) else original_dtype
    x = x.to(compute_dtype)
    axes = tuple(sorted(dim % x.ndim for dim in ((axis,) if isinstance(axis, int) else axis)))
    normalized_shape = tuple(x.shape[dim] for dim in axes)
    broadcast_shape = [size if dim in axes else 1 for dim, size in enumerate(x.shape)]
    converted = []
    for parameter in parameters:
        if parameter is not None:
            parameter = convert_to_tensor(parameter).to(compute_dtype)
        converted.append(parameter)
    # The fused kernels normalize the trailing axes with parameters shaped like them.
    fused = axes == tuple(range(x.ndim - len(axes), x.ndim)) and all(
        parameter is None or tuple(parameter.shape) == normalized_shape for parameter in converted
    )
    if not fused:
        converted = [
            parameter.reshape(broadcast_shape)
            if parameter is not None and parameter.ndim != x.ndim
            else parameter
            for parameter in converted
        ]
    return x, original_dtype, axes, normalized_shape, converted, fused


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=1e-7, rms_scaling=False):
    x, original_dtype, axes, normalized_shape, (gamma, beta), fused = _normalization_inputs(
        x, (gamma, beta), axis
    )
    if rms_scaling:
        variance = torch.var(x, dim=axes, keepdim=True, correction=0)
        outputs = x * torch.rsqrt(variance + epsilon)
        if gamma is not None:
            outputs = outputs * gamma
    elif fused:
        outputs = functional.layer_norm(x, normalized_shape, gamma, beta, epsilon)
    else:
        mean = torch.mean(x, dim=axes, keepdim=True)
        variance = torch.mean(torch.square(x - mean), dim=axes, keepdim=True)
        inverse = torch.rsqrt(variance + epsilon)
        if gamma is not None:
            inverse = inverse * gamma
        offset = -mean * inverse
        if beta is not None:
            offset = offset + beta
        outputs = x * inverse + offset
    return outputs.to(original_dtype)


def rms_normalization(x, scale=None, axis=-1, epsilon=1e-7):
    x, original_dtype, axes, normalized_shape, (scale,), fused = _normalization_inputs(x, (scale,), axis)
    if fused:
        outputs = functional.rms_norm(x, normalized_shape, scale, epsilon)
    else:
        outputs = x * torch.rsqrt(torch.mean(torch.square(x), dim=axes, keepdim=True) + epsilon)
        if scale is not None:
            outputs = outputs * scale
    return outputs.to(original_dtype)
