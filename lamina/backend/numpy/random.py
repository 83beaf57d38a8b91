"""NumPy random ops. Each call draws from a Generator seeded by the seed state."""

import numpy as np

TRACES_FUNCTIONS = False


def _rng(seed):
    state = np.asarray(seed).astype(np.int64).tolist()
    return np.random.default_rng([int(state[0]), int(state[1])])


def seed_backend(seed):
    pass


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    return (_rng(seed).standard_normal(tuple(shape)) * stddev + mean).astype(dtype)


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    return _rng(seed).uniform(minval, maxval, tuple(shape)).astype(dtype)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    rng = _rng(seed)
    sample = rng.standard_normal(tuple(shape))
    outside = np.abs(sample) > 2.0
    while outside.any():
        sample[outside] = rng.standard_normal(int(outside.sum()))
        outside = np.abs(sample) > 2.0
    return (sample * stddev + mean).astype(dtype)


def randint(shape, minval, maxval, dtype="int32", seed=None):
    return _rng(seed).integers(minval, maxval, tuple(shape)).astype(dtype)


def categorical(logits, num_samples, dtype="int32", seed=None):
    logits = np.asarray(logits, dtype=np.float64)
    probabilities = np.exp(logits - logits.max(axis=-1, keepdims=True))
    probabilities /= probabilities.sum(axis=-1, keepdims=True)
    rng = _rng(seed)
    flat = probabilities.reshape(-1, probabilities.shape[-1])
    samples = np.stack([rng.choice(flat.shape[-1], size=num_samples, p=row) for row in flat])
    return samples.reshape(logits.shape[:-1] + (num_samples,)).astype(dtype)


def dropout(inputs, rate, noise_shape=None, seed=None):
    inputs = np.asarray(inputs)
    noise_shape = (
        inputs.shape
        if noise_shape is None
        else tuple(inputs.shape[i] if dim is None else dim for i, dim in enumerate(noise_shape))
    )
    keep = _rng(seed).uniform(size=noise_shape) >= rate
    return np.where(keep, inputs / (1.0 - rate), 0.0).astype(inputs.dtype)


def shuffle(x, axis=0, seed=None):
    x = np.asarray(x)
    order = _rng(seed).permutation(x.shape[axis])
    return np.take(x, order, axis=axis)
