"""Benchmark case: the MLP as a hand-written JAX training loop (the baseline for lamina on jax).

What an experienced JAX user writes: parameters in a dict, one jitted step that takes
`value_and_grad` of the loss and applies SGD (the parameter buffers are donated), and
per-epoch shuffled minibatches sliced from NumPy arrays. The loss is the same as
Keras's categorical crossentropy on softmax outputs (probabilities clipped to
[epsilon, 1 - epsilon]), so both sides compute the same thing.
"""

import time
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np

import mlp_setup


def init_params(seed=0):
    rng = np.random.default_rng(seed)
    return {
        "hidden_kernel": jnp.asarray(
            mlp_setup.glorot_uniform(rng, mlp_setup.NUM_FEATURES, mlp_setup.NUM_HIDDEN)
        ),
        "hidden_bias": jnp.zeros((mlp_setup.NUM_HIDDEN,), jnp.float32),
        "output_kernel": jnp.asarray(
            mlp_setup.glorot_uniform(rng, mlp_setup.NUM_HIDDEN, mlp_setup.NUM_CLASSES)
        ),
        "output_bias": jnp.zeros((mlp_setup.NUM_CLASSES,), jnp.float32),
    }


def loss_fn(params, x, y):
    hidden = jax.nn.relu(x @ params["hidden_kernel"] + params["hidden_bias"])
    probabilities = jax.nn.softmax(hidden @ params["output_kernel"] + params["output_bias"])
    probabilities = jnp.clip(probabilities, mlp_setup.EPSILON, 1.0 - mlp_setup.EPSILON)
    return -jnp.mean(jnp.sum(y * jnp.log(probabilities), axis=-1))


@partial(jax.jit, donate_argnums=0)
def train_step(params, x, y):
    loss, grads = jax.value_and_grad(loss_fn)(params, x, y)
    params = jax.tree.map(lambda value, grad: value - mlp_setup.LEARNING_RATE * grad, params, grads)
    return params, loss


def main():
    x, y = mlp_setup.make_data()
    params = init_params()
    rng = np.random.default_rng(0)
    epoch_times = []
    loss = None
    for _ in range(mlp_setup.EPOCHS):
        start = time.perf_counter()
        order = rng.permutation(mlp_setup.NUM_SAMPLES)
        x_epoch, y_epoch = x[order], y[order]
        for begin in range(0, mlp_setup.NUM_SAMPLES, mlp_setup.BATCH_SIZE):
            end = begin + mlp_setup.BATCH_SIZE
            params, loss = train_step(params, x_epoch[begin:end], y_epoch[begin:end])
        loss = float(loss)
        epoch_times.append(time.perf_counter() - start)
    mlp_setup.report("handwritten", "jax", epoch_times, loss, version=jax.__version__)


if __name__ == "__main__":
    main()
