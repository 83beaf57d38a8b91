"""Benchmark case: the MLP as a hand-written JAX training loop (the baseline for lamina on jax).

What an experienced JAX user writes: parameters in a dict, one jitted step that takes
`value_and_grad` of the loss and applies SGD (the parameter buffers are donated), and
per-epoch shuffled minibatches gathered from NumPy arrays. The loss is the same as
Keras's categorical crossentropy on softmax outputs (probabilities clipped to
[epsilon, 1 - epsilon]), so both sides compute the same thing.
"""

from functools import partial

import jax
import jax.numpy as jnp
import numpy as np

import common
import mlp_setup


def init_params(seed=0):
    rng = np.random.default_rng(seed)
    return {
        "hidden_kernel": jnp.asarray(
            common.glorot_uniform(rng, mlp_setup.NUM_FEATURES, mlp_setup.NUM_HIDDEN)
        ),
        "hidden_bias": jnp.zeros((mlp_setup.NUM_HIDDEN,), jnp.float32),
        "output_kernel": jnp.asarray(common.glorot_uniform(rng, mlp_setup.NUM_HIDDEN, mlp_setup.NUM_CLASSES)),
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
    state = {"params": init_params()}

    def run_epoch(batches):
        loss = None
        for batch in batches:
            state["params"], loss = train_step(state["params"], x[batch], y[batch])
        return float(loss)

    epoch_times, loss = common.timed_epochs(
        run_epoch, mlp_setup.NUM_SAMPLES, mlp_setup.BATCH_SIZE, mlp_setup.EPOCHS
    )
    common.report("handwritten", "jax", epoch_times, loss, version=jax.__version__)


if __name__ == "__main__":
    main()
