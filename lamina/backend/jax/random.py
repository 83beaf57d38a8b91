"""JAX random ops. A seed is a uint32[2] state used as a raw PRNG key."""

import jax
import jax.numpy as jnp

TRACES_FUNCTIONS = True


def _key(seed):
    return jax.random.wrap_key_data(jnp.asarray(seed, dtype="uint32"), impl="threefry2x32")


def seed_backend(seed):
    pass


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    return jax.random.normal(_key(seed), shape=tuple(shape), dtype=dtype) * stddev + mean


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    return jax.random.uniform(_key(seed), shape=tuple(shape), dtype=dtype, minval=minval, maxval=maxval)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    sample = jax.random.truncated_normal(_key(seed), -2.0, 2.0, shape=tuple(shape), dtype=dtype)
    return sample * stddev + mean


def randint(shape, minval, maxval, dtype="int32", seed=None):
    return jax.random.randint(_key(seed), shape=tuple(shape), minval=minval, maxval=maxval, dtype=dtype)


def categorical(logits, num_samples, dtype="int32", seed=None):
    logits = jnp.asarray(logits)
    samples = jax.random.categorical(
        _key(seed), logits[..., None, :], axis=-1, shape=logits.shape[:-1] + (num_samples,)
    )
    return samples.astype(dtype)


def dropout(inputs, rate, noise_shape=None, seed=None):
    inputs = jnp.asarray(inputs)
    noise_shape = (
        inputs.shape
        if noise_shape is None
        else tuple(inputs.shape[i] if dim is None else dim for i, dim in enumerate(noise_shape))
    )
    keep = jax.random.bernoulli(_key(seed), 1.0 - rate, shape=noise_shape)
    return jnp.where(jnp.broadcast_to(keep, inputs.shape), inputs / (1.0 - rate), jnp.zeros_like(inputs))


def shuffle(x, axis=0, seed=None):
    return jax.random.permutation(_key(seed), jnp.asarray(x), axis=axis, independent=False)
