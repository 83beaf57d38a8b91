"""Benchmark case: the LSTM as a hand-written JAX loop (the time loop is a `lax.scan`, Adam).

Gates in Keras's order (input, forget, cell, output) from one fused kernel product
per step; the input projection of all timesteps is computed before the scan.
"""

import jax
import jax.numpy as jnp
import numpy as np

import common
import handwritten_jax
import lstm_setup


def init_params(seed=0):
    rng = np.random.default_rng(seed)
    units, features = lstm_setup.UNITS, lstm_setup.NUM_FEATURES
    return {
        "kernel": jnp.asarray(common.glorot_uniform(rng, features, 4 * units)),
        "recurrent_kernel": jnp.asarray(common.glorot_uniform(rng, units, 4 * units)),
        "bias": jnp.zeros((4 * units,)).at[units : 2 * units].set(1.0),
        "dense": jnp.asarray(common.glorot_uniform(rng, units, 1)),
        "dense_bias": jnp.zeros((1,)),
    }


def lstm_last_output(params, x):
    projected = jnp.swapaxes(x @ params["kernel"] + params["bias"], 0, 1)
    units = lstm_setup.UNITS

    def step(carry, inputs):
        hidden, cell = carry
        gates = inputs + hidden @ params["recurrent_kernel"]
        i, f, g, o = (gates[:, n * units : (n + 1) * units] for n in range(4))
        cell = jax.nn.sigmoid(f) * cell + jax.nn.sigmoid(i) * jnp.tanh(g)
        hidden = jax.nn.sigmoid(o) * jnp.tanh(cell)
        return (hidden, cell), None

    zeros = jnp.zeros((x.shape[0], units))
    (hidden, _), _ = jax.lax.scan(step, (zeros, zeros), projected)
    return hidden


def loss_fn(params, x, y):
    logits = lstm_last_output(params, x) @ params["dense"] + params["dense_bias"]
    return jnp.mean(jnp.maximum(logits, 0) - logits * y + jnp.log1p(jnp.exp(-jnp.abs(logits))))


def main():
    x, y = lstm_setup.make_data()
    epoch_times, loss = handwritten_jax.train_with_adam(loss_fn, init_params(), x, y, lstm_setup)
    common.report("handwritten", "jax", epoch_times, loss, version=jax.__version__)


if __name__ == "__main__":
    main()
