"""NumPy neural-network ops (inference only). Results keep the input's float dtype."""

import numpy as np

from lamina import config
from lamina.backend.common import dtypes
from lamina.backend.numpy.core import convert_to_tensor
from lamina.backend.numpy.math import erf

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _float(x):
    x = convert_to_tensor(x)
    if not dtypes.is_float(x.dtype):
        x = x.astype(config.floatx())
    return x


def _axes(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def _softplus(x):
    return np.logaddexp(x, 0.0).astype(x.dtype)


def _sigmoid(x):
    # exp(-softplus(-x)) never overflows, unlike 1 / (1 + exp(-x)).
    return np.exp(-_softplus(-x)).astype(x.dtype)


def relu(x):
    x = convert_to_tensor(x)
    return np.maximum(x, 0).astype(x.dtype)


def relu6(x):
    x = convert_to_tensor(x)
    return np.clip(x, 0, 6).astype(x.dtype)


def sigmoid(x):
    return _sigmoid(_float(x))


def softplus(x):
    return _softplus(_float(x))


def softsign(x):
    x = _float(x)
    return (x / (np.abs(x) + 1.0)).astype(x.dtype)


def silu(x):
    x = _float(x)
    return (x * _sigmoid(x)).astype(x.dtype)


def log_sigmoid(x):
    x = _float(x)
    return -_softplus(-x)


def leaky_relu(x, negative_slope=0.2):
    x = _float(x)
    return np.where(x >= 0, x, negative_slope * x).astype(x.dtype)


def hard_sigmoid(x):
    x = _float(x)
    return (np.clip(x + 3.0, 0.0, 6.0) / 6.0).astype(x.dtype)


def hard_silu(x):
    x = _float(x)
    return (x * hard_sigmoid(x)).astype(x.dtype)


def elu(x, alpha=1.0):
    x = _float(x)
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0))).astype(x.dtype)


def selu(x):
    return (_SELU_SCALE * elu(x, _SELU_ALPHA)).astype(_float(x).dtype)


def gelu(x, approximate=True):
    x = _float(x)
    if approximate:
        inner = np.sqrt(2.0 / np.pi) * (x + 0.044715 * x**3)
        result = 0.5 * x * (1.0 + np.tanh(inner))
    else:
        result = 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))
    return result.astype(x.dtype)


def celu(x, alpha=1.0):
    x = _float(x)
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0) / alpha)).astype(x.dtype)


def glu(x, axis=-1):
    x = _float(x)
    first, second = np.split(x, 2, axis=axis)
    return (first * _sigmoid(second)).astype(x.dtype)


def mish(x):
    x = _float(x)
    return (x * np.tanh(_softplus(x))).astype(x.dtype)


def softmax(x, axis=-1):
    x = _float(x)
    axis = _axes(axis)
    shifted = x - np.max(x, axis=axis, keepdims=True)
    exponentials = np.exp(shifted)
    return (exponentials / np.sum(exponentials, axis=axis, keepdims=True)).astype(x.dtype)


def log_softmax(x, axis=-1):
    x = _float(x)
    axis = _axes(axis)
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return (shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))).astype(x.dtype)


def one_hot(x, num_classes, axis=-1, dtype=None):
    x = convert_to_tensor(x)
    # Comparing against the class range gives all-zero rows for out-of-range labels.
    encoded = (x[..., None] == np.arange(num_classes)).astype(dtype or config.floatx())
    if axis != -1:
        encoded = np.moveaxis(encoded, -1, axis)
    return encoded


def multi_hot(x, num_classes, axis=-1, dtype=None):
    x = convert_to_tensor(x)
    reduction_axis = 1 if x.ndim > 1 else 0
    return np.max(one_hot(x, num_classes, axis=axis, dtype=dtype), axis=reduction_axis)


def _crossentropy_inputs(target, output):
    target = convert_to_tensor(target)
    output = convert_to_tensor(output)
    dtype = dtypes.result_type(target.dtype, output.dtype, 1.0)
    return target.astype(dtype), output.astype(dtype)


def _log_probabilities(output, from_logits, axis):
    if from_logits:
        return log_softmax(output, axis=axis)
    output = output / np.sum(output, axis=axis, keepdims=True)
    output = np.clip(output, config.epsilon(), 1.0 - config.epsilon())
    return np.log(output)


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target, output = _crossentropy_inputs(target, output)
    result = -np.sum(target * _log_probabilities(output, from_logits, axis), axis=axis)
    return np.asarray(result).astype(output.dtype)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    output = _float(output)
    target = convert_to_tensor(target).astype("int64")
    if target.ndim == output.ndim and target.shape[-1] == 1:
        target = np.squeeze(target, axis=-1)
    log_probabilities = _log_probabilities(output, from_logits, axis)
    target = one_hot(target, output.shape[axis], axis=axis, dtype=output.dtype)
    return np.asarray(-np.sum(target * log_probabilities, axis=axis)).astype(output.dtype)


def binary_crossentropy(target, output, from_logits=False):
    target, output = _crossentropy_inputs(target, output)
    if from_logits:
        result = -target * log_sigmoid(output) - (1.0 - target) * log_sigmoid(-output)
    else:
        output = np.clip(output, config.epsilon(), 1.0 - config.epsilon())
        result = -(target * np.log(output) + (1.0 - target) * np.log(1.0 - output))
    return np.asarray(result).astype(output.dtype)


def moments(x, axes, keepdims=False):
    x = _float(x)
    original_dtype = x.dtype
    # float16 statistics overflow quickly; compute them in float32.
    work = x.astype("float32") if dtypes.standardize_dtype(original_dtype) in ("float16", "bfloat16") else x
    axes = _axes(axes)
    mean = np.mean(work, axis=axes, keepdims=True)
    variance = np.mean(np.square(work - mean), axis=axes, keepdims=True)
    if not keepdims:
        mean = np.squeeze(mean, axis=axes)
        variance = np.squeeze(variance, axis=axes)
    limit = np.finfo(original_dtype).max
    mean = np.clip(mean, -limit, limit).astype(original_dtype)
    variance = np.clip(variance, -limit, limit).astype(original_dtype)
    return mean, variance


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    x = _float(x)
    shape = [1] * x.ndim
    shape[axis] = x.shape[axis]
    inverse = 1.0 / np.sqrt(np.reshape(convert_to_tensor(variance), shape) + epsilon)
    if scale is not None:
        inverse = inverse * np.reshape(convert_to_tensor(scale), shape)
    result = (x - np.reshape(convert_to_tensor(mean), shape)) * inverse
    if offset is not None:
        result = result + np.reshape(convert_to_tensor(offset), shape)
    return result.astype(x.dtype)


def normalize(x, axis=-1, order=2, epsilon=1e-7):
    x = _float(x)
    if x.ndim == 0:
        x = x[None]
    axis = _axes(axis)
    if order == 2:
        with np.errstate(divide="ignore"):
            inverse_norm = 1.0 / np.sqrt(np.sum(np.square(x), axis=axis, keepdims=True))
        return (x * np.minimum(inverse_norm, 1.0 / epsilon)).astype(x.dtype)
    norm = np.sum(np.abs(x) ** order, axis=axis, keepdims=True) ** (1.0 / order)
    return (x / np.maximum(norm, epsilon)).astype(x.dtype)


def _normalization_inputs(x, parameters, axis):
    """Casts `x` and the parameters to the compute dtype (at least float32), shaped to broadcast."""
    x = _float(x)
    original_dtype = x.dtype
    low_precision = dtypes.standardize_dtype(original_dtype) in ("float16", "bfloat16")
    compute_dtype = np.dtype("float32") if low_precision else original_dtype
    x = x.astype(compute_dtype)
    axes = tuple(sorted(dim % x.ndim for dim in ((axis,) if isinstance(axis, int) else axis)))
    broadcast_shape = [size if dim in axes else 1 for dim, size in enumerate(x.shape)]
    converted = []
    for parameter in parameters:
        if parameter is not None:
            parameter = convert_to_tensor(parameter).astype(compute_dtype)
            if parameter.ndim != x.ndim:
                parameter = np.reshape(parameter, broadcast_shape)
        converted.append(parameter)
    return x, original_dtype, axes, converted


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=1e-7, rms_scaling=False):
    x, original_dtype, axes, (gamma, beta) = _normalization_inputs(x, (gamma, beta), axis)
    mean = np.mean(x, axis=axes, keepdims=True)
    variance = np.mean(np.square(x - mean), axis=axes, keepdims=True)
    # A Python float epsilon would otherwise promote float32 to float64 under NumPy 1.x rules.
    inverse = (1.0 / np.sqrt(variance + np.asarray(epsilon, x.dtype))).astype(x.dtype)
    if gamma is not None:
        inverse = inverse * gamma
    if rms_scaling:
        return (x * inverse).astype(original_dtype)
    offset = -mean * inverse
    if beta is not None:
        offset = offset + beta
    return (x * inverse + offset).astype(original_dtype)


def rms_normalization(x, scale=None, axis=-1, epsilon=1e-7):
    x, original_dtype, axes, (scale,) = _normalization_inputs(x, (scale,), axis)
    mean_square = np.mean(np.square(x), axis=axes, keepdims=True)
    outputs = x * (1.0 / np.sqrt(mean_square + np.asarray(epsilon, x.dtype))).astype(x.dtype)
    if scale is not None:
        outputs = outputs * scale
    return outputs.astype(original_dtype)
