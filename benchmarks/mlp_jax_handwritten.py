"""The MLP as hand-written JAX (the baseline for lamina on jax), trained by `handwritten_jax`.

The loss is Keras's categorical crossentropy on softmax outputs (probabilities clipped
to [epsilon, 1 - epsilon]), so both sides compute the same thing.
"""

import jax
import jax.numpy as jnp

import mlp_setup as setup

OPTIMIZER = "sgd"


def params_from_weights(weights):
    names = ("hidden_kernel", "hidden_bias", "output_kernel", "output_bias")
    return {name: jnp.asarray(value) for name, value in zip(names, weights)}


def outputs(params, x):
    hidden = jax.nn.relu(x @ params["hidden_kernel"] + params["hidden_bias"])
    return jax.nn.softmax(hidden @ params["output_kernel"] + params["output_bias"])


def loss_fn(params, x, y, key, dropout_rate):
    probabilities = jnp.clip(outputs(params, x), setup.EPSILON, 1.0 - setup.EPSILON)
    return -jnp.mean(jnp.sum(y * jnp.log(probabilities), axis=-1))
