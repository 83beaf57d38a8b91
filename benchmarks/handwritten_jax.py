"""The hand-written JAX training and inference loops every JAX baseline shares.

This is what an experienced JAX user writes without a training library: the
parameters are a dict, the optimizer state a pytree, and one `jax.jit` step takes
`value_and_grad` of the loss and applies SGD or Adam (Keras's defaults: beta_1 0.9,
beta_2 0.999, epsilon 1e-7), donating the old parameter and optimizer buffers;
minibatches are gathered from NumPy arrays. A workload module
(`<workload>_jax_handwritten.py`) supplies `params_from_weights(weights)`,
`loss_fn(params, x, y, key, dropout_rate)`, `outputs(params, x)` (inference) and
`OPTIMIZER` ("sgd" or "adam").
"""

from functools import partial

import jax
import jax.numpy as jnp
import numpy as np

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
    """Keras's Adam: `p -= lr * sqrt(1 - beta_2^t) / (1 - beta_1^t) * m / (sqrt(v) + epsilon)`."""
    step = state["step"] + 1
    m = jax.tree.map(lambda m, g: BETA_1 * m + (1 - BETA_1) * g, state["m"], grads)
    v = jax.tree.map(lambda v, g: BETA_2 * v + (1 - BETA_2) * g * g, state["v"], grads)
    scale = learning_rate * jnp.sqrt(1 - BETA_2**step) / (1 - BETA_1**step)
    params = jax.tree.map(lambda p, m, v: p - scale * m / (jnp.sqrt(v) + ADAM_EPSILON), params, m, v)
    return params, {"step": step, "m": m, "v": v}


def make_step(loss_fn, optimizer, learning_rate, dropout_rate):
    """Returns `step(params, opt_state, key, x, y) -> (params, opt_state, key, loss)`, jitted and donating.

    The dropout key is split inside the step only when `dropout_rate` is above zero.
    """

    @partial(jax.jit, donate_argnums=(0, 1))
    def step(params, opt_state, key, x, y):
        if dropout_rate:
            key, step_key = jax.random.split(key)
        else:
            step_key = None
        loss, grads = jax.value_and_grad(loss_fn)(params, x, y, step_key, dropout_rate)
        if optimizer == "adam":
            params, opt_state = adam_update(params, grads, opt_state, learning_rate)
        else:
            params = jax.tree.map(lambda value, grad: value - learning_rate * grad, params, grads)
        return params, opt_state, key, loss

    return step


def train(module, setup, x, y, epochs, shuffle=True, dropout_rate=0.0):
    """Trains from `setup.initial_weights()`; returns `(epoch_times, epoch_mean_losses)`."""
    params = module.params_from_weights(setup.initial_weights())
    opt_state = adam_init(params) if module.OPTIMIZER == "adam" else {}
    step = make_step(module.loss_fn, module.OPTIMIZER, setup.LEARNING_RATE, dropout_rate)
    state = {"params": params, "opt": opt_state, "key": jax.random.key(0)}

    def run_epoch(batches):
        losses = []
        for batch in batches:
            state["params"], state["opt"], state["key"], loss = step(
                state["params"], state["opt"], state["key"], x[batch], y[batch]
            )
            losses.append(loss)
        return float(jnp.mean(jnp.stack(losses)))

    return common.timed_epochs(run_epoch, len(x), setup.BATCH_SIZE, epochs, shuffle)


def predict_figures(module, setup, x, latency_calls):
    """Throughput of a batched jitted inference loop over `x`, and the latency of one-sample calls."""
    params = module.params_from_weights(setup.initial_weights())
    forward = jax.jit(module.outputs)
    batch_size = setup.BATCH_SIZE

    def predict_all():
        return np.concatenate(
            [
                np.asarray(forward(params, x[begin : begin + batch_size]))
                for begin in range(0, len(x), batch_size)
            ]
        )

    one = x[:1]
    latency = common.median_latency_seconds(lambda: np.asarray(forward(params, one)), latency_calls)
    return {
        "predict_throughput": common.best_throughput(predict_all, len(x)),
        "predict_one_latency": latency,
        "call_one_latency": latency,
    }


def sparse_crossentropy(logits, labels):
    """Mean cross-entropy of integer labels, from logits."""
    log_probabilities = jax.nn.log_softmax(logits)
    return -jnp.mean(jnp.take_along_axis(log_probabilities, labels[:, None], axis=-1))


def binary_crossentropy_from_logits(logits, labels):
    """Mean binary cross-entropy, from logits (the numerically stable form)."""
    return jnp.mean(jnp.maximum(logits, 0) - logits * labels + jnp.log1p(jnp.exp(-jnp.abs(logits))))


def dropout(x, key, rate):
    """Inverted dropout: zero with probability `rate`, scale the rest by `1 / (1 - rate)`; keyless: as is."""
    if key is None or not rate:
        return x
    keep = jax.random.bernoulli(key, 1.0 - rate, x.shape)
    return jnp.where(keep, x / (1.0 - rate), 0.0)
