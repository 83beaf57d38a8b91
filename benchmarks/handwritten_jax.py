"""Pieces the hand-written JAX cases share: Adam as a pure function and a donated, jitted train step.

This is what an experienced JAX user writes without a training library: the
parameters are a dict, the optimizer state a pytree, and one `jax.jit` step takes
`value_and_grad` of the loss and applies Adam (Keras's defaults: beta_1 0.9,
beta_2 0.999, epsilon 1e-7), donating the old parameter and optimizer buffers.
"""

from functools import partial

import jax
import jax.numpy as jnp

import common

BETA_1 = 0.9
BETA_2 = 0.999
ADAM_EPSILON = 1e-7


def adam_init(params):
    return {
        "step": jnp.zeros((), jnp.int32),
        "m": jax.tree.map(jnp.zeros_like, params),
        "v": jax.tree.map(jnp.zeros_like, params),
    }


def adam_update(params, grads, state, learning_rate):
    step = state["step"] + 1
    m = jax.tree.map(lambda m, g: BETA_1 * m + (1 - BETA_1) * g, state["m"], grads)
    v = jax.tree.map(lambda v, g: BETA_2 * v + (1 - BETA_2) * g * g, state["v"], grads)
    scale = learning_rate * jnp.sqrt(1 - BETA_2**step) / (1 - BETA_1**step)
    params = jax.tree.map(lambda p, m, v: p - scale * m / (jnp.sqrt(v) + ADAM_EPSILON), params, m, v)
    return params, {"step": step, "m": m, "v": v}


def make_adam_step(loss_fn, learning_rate):
    """Returns `step(params, opt_state, x, y) -> (params, opt_state, loss)`, jitted and donating."""

    @partial(jax.jit, donate_argnums=(0, 1))
    def step(params, opt_state, x, y):
        loss, grads = jax.value_and_grad(loss_fn)(params, x, y)
        params, opt_state = adam_update(params, grads, opt_state, learning_rate)
        return params, opt_state, loss

    return step


def train_with_adam(loss_fn, params, x, y, setup):
    """Trains `params` with Adam over shuffled minibatches; returns `(epoch_times, last_loss)`."""
    step = make_adam_step(loss_fn, setup.LEARNING_RATE)
    state = {"params": params, "opt": adam_init(params)}

    def run_epoch(batches):
        loss = None
        for batch in batches:
            state["params"], state["opt"], loss = step(state["params"], state["opt"], x[batch], y[batch])
        return float(loss)

    return common.timed_epochs(run_epoch, len(x), setup.BATCH_SIZE, setup.EPOCHS)


def sparse_crossentropy(logits, labels):
    """Mean cross-entropy of integer labels, from logits."""
    log_probabilities = jax.nn.log_softmax(logits)
    return -jnp.mean(jnp.take_along_axis(log_probabilities, labels[:, None], axis=-1))
