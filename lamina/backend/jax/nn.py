"""JAX neural-network ops: activations, softmax, encodings, crossentropies, normalizations."""

import jax
import jax.numpy as jnp

from lamina import config
from lamina.backend.common import dtypes
from lamina.backend.jax.core import convert_to_tensor


def _float(x):
    x = convert_to_tensor(x)
    if not jnp.issubdtype(x.dtype, jnp.floating):
        x = x.astype(config.floatx())
    return x


def relu(x):
    return jax.nn.relu(convert_to_tensor(x))


def relu6(x):
    return jax.nn.relu6(convert_to_tensor(x))


def sigmoid(x):
    return jax.nn.sigmoid(_float(x))


def softplus(x):
    return jax.nn.softplus(_float(x))


def softsign(x):
    return jax.nn.soft_sign(_float(x))


def silu(x):
    return jax.nn.silu(_float(x))


def log_sigmoid(x):
    return jax.nn.log_sigmoid(_float(x))


def leaky_relu(x, negative_slope=0.2):
    return jax.nn.leaky_relu(_float(x), negative_slope=negative_slope)


def hard_sigmoid(x):
    return jax.nn.hard_sigmoid(_float(x))


def hard_silu(x):
    return jax.nn.hard_silu(_float(x))


def elu(x, alpha=1.0):
    return jax.nn.elu(_float(x), alpha=alpha)


def selu(x):
    return jax.nn.selu(_float(x))


def gelu(x, approximate=True):
    return jax.nn.gelu(_float(x), approximate=approximate)


def celu(x, alpha=1.0):
    return jax.nn.celu(_float(x), alpha=alpha)


def glu(x, axis=-1):
    return jax.nn.glu(_float(x), axis=axis)


def mish(x):
    x = _float(x)
    return x * jnp.tanh(jax.nn.softplus(x))


def softmax(x, axis=-1):
    return jax.nn.softmax(_float(x), axis=axis)


def log_softmax(x, axis=-1):
    return jax.nn.log_softmax(_float(x), axis=axis)


def one_hot(x, num_classes, axis=-1, dtype=None):
    x = convert_to_tensor(x)
    # Comparing against the class range gives all-zero rows for out-of-range labels.
    return jax.nn.one_hot(x, num_classes, axis=axis, dtype=dtype)


def multi_hot(x, num_classes, axis=-1, dtype=None):
    x = convert_to_tensor(x)
    reduction_axis = 1 if x.ndim > 1 else 0
    return jnp.max(one_hot(x, num_classes, axis=axis, dtype=dtype), axis=reduction_axis)


def _crossentropy_inputs(target, output):
    target = convert_to_tensor(target)
    output = convert_to_tensor(output)
    dtype = dtypes.result_type(target.dtype, output.dtype, 1.0)
    return target.astype(dtype), output.astype(dtype)


def _log_probabilities(output, from_logits, axis):
    if from_logits:
        return jax.nn.log_softmax(output, axis=axis)
    output = output / jnp.sum(output, axis=axis, keepdims=True)
    output = jnp.clip(output, config.epsilon(), 1.0 - config.epsilon())
    return jnp.log(output)


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target, output = _crossentropy_inputs(target, output)
    return -jnp.sum(target * _log_probabilities(output, from_logits, axis), axis=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    output = _float(output)
    target = convert_to_tensor(target).astype("int32")
    if target.ndim == output.ndim and target.shape[-1] == 1:
        target = jnp.squeeze(target, axis=-1)
    log_probabilities = _log_probabilities(output, from_logits, axis)
    target = jax.nn.one_hot(target, output.shape[axis], axis=axis, dtype=output.dtype)
    return -jnp.sum(target * log_probabilities, axis=axis)


def binary_crossentropy(target, output, from_logits=False):
    target, output = _crossentropy_inputs(target, output)
    if from_logits:
        return -target * jax.nn.log_sigmoid(output) - (1.0 - target) * jax.nn.log_sigmoid(-output)
    output = jnp.clip(output, config.epsilon(), 1.0 - config.epsilon())
    return -(target * jnp.log(output) + (1.0 - target) * jnp.log(1.0 - output))


def moments(x, axes, keepdims=False):
    x = _float(x)
    original_dtype = x.dtype
    # float16 statistics overflow quickly; compute them in float32.
    low_precision = original_dtype in (jnp.float16, jnp.bfloat16)
    if low_precision:
        x = x.astype("float32")
    mean = jnp.mean(x, axis=axes, keepdims=True)
    variance = jnp.mean(jnp.square(x - jax.lax.stop_gradient(mean)), axis=axes, keepdims=True)
    if not keepdims:
        mean = jnp.squeeze(mean, axis=axes)
        variance = jnp.squeeze(variance, axis=axes)
    if low_precision:
        limit = jnp.finfo(original_dtype).max
        mean = jnp.clip(mean, -limit, limit).astype(original_dtype)
        variance = jnp.clip(variance, -limit, limit).astype(original_dtype)
    return mean, variance


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    x = _float(x)
    shape = [1] * x.ndim
    shape[axis] = x.shape[axis]
    inverse = jax.lax.rsqrt(jnp.reshape(convert_to_tensor(variance), shape) + epsilon)
    if scale is not None:
        inverse = inverse * jnp.reshape(convert_to_tensor(scale), shape)
    result = (x - jnp.reshape(convert_to_tensor(mean), shape)) * inverse
    if offset is not None:
        result = result + jnp.reshape(convert_to_tensor(offset), shape)
    return result.astype(x.dtype)


def normalize(x, axis=-1, order=2, epsilon=1e-7):
    x = _float(x)
    if x.ndim == 0:
        x = jnp.expand_dims(x, 0)
    if order == 2:
        inverse_norm = jax.lax.rsqrt(jnp.sum(jnp.square(x), axis=axis, keepdims=True))
        return x * jnp.minimum(inverse_norm, 1.0 / epsilon)
    norm = jnp.sum(jnp.abs(x) ** order, axis=axis, keepdims=True) ** (1.0 / order)
    return x / jnp.maximum(norm, epsilon)


def _normalization_inputs(x, parameters, axis):
    """Casts `x` and the parameters to the compute dtype (at least float32), shaped to broadcast."""
    x = _float(x)
    original_dtype = x.dtype
    compute_dtype = jnp.float32 if original_dtype in (jnp.float16, jnp.bfloat16) else original_dtype
    x = x.astype(compute_dtype)
    axes = tuple(sorted(dim % x.ndim for dim in ((axis,) if isinstance(axis, int) else axis)))
    broadcast_shape = [size if dim in axes else 1 for dim, size in enumerate(x.shape)]
    converted = []
    for parameter in parameters:
        if parameter is not None:
            parameter = convert_to_tensor(parameter).astype(compute_dtype)
            if parameter.ndim != x.ndim:
                parameter = jnp.reshape(parameter, broadcast_shape)
        converted.append(parameter)
    return x, original_dtype, axes, converted


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=1e-7, rms_scaling=False):
    x, original_dtype, axes, (gamma, beta) = _normalization_inputs(x, (gamma, beta), axis)
    mean = jnp.mean(x, axis=axes, keepdims=True)
    variance = jnp.mean(jnp.square(x - mean), axis=axes, keepdims=True)
    inverse = jax.lax.rsqrt(variance + epsilon)
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
    outputs = x * jax.lax.rsqrt(jnp.mean(jnp.square(x), axis=axes, keepdims=True) + epsilon)
    if scale is not None:
        outputs = outputs * scale
    return outputs.astype(original_dtype)
