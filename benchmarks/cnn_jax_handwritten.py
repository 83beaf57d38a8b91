"""Benchmark case: the CNN as a hand-written JAX loop (lax.conv_general_dilated, NHWC, Adam)."""

import jax
import jax.numpy as jnp
import numpy as np

import cnn_setup
import common
import handwritten_jax

DIMENSIONS = ("NHWC", "HWIO", "NHWC")


def init_params(seed=0):
    rng = np.random.default_rng(seed)
    k = cnn_setup.KERNEL_SIZE
    first, second = cnn_setup.FILTERS
    return {
        "conv1": jnp.asarray(common.glorot_uniform(rng, k * k, k * k * first, (k, k, 1, first))),
        "conv1_bias": jnp.zeros((first,)),
        "conv2": jnp.asarray(
            common.glorot_uniform(rng, k * k * first, k * k * second, (k, k, first, second))
        ),
        "conv2_bias": jnp.zeros((second,)),
        "dense": jnp.asarray(common.glorot_uniform(rng, cnn_setup.flat_features(), cnn_setup.NUM_CLASSES)),
        "dense_bias": jnp.zeros((cnn_setup.NUM_CLASSES,)),
    }


def conv(x, kernel, bias):
    outputs = jax.lax.conv_general_dilated(x, kernel, (1, 1), "VALID", dimension_numbers=DIMENSIONS)
    return jax.nn.relu(outputs + bias)


def loss_fn(params, x, y):
    hidden = conv(x, params["conv1"], params["conv1_bias"])
    hidden = jax.lax.reduce_window(hidden, -jnp.inf, jax.lax.max, (1, 2, 2, 1), (1, 2, 2, 1), "VALID")
    hidden = conv(hidden, params["conv2"], params["conv2_bias"])
    logits = hidden.reshape(hidden.shape[0], -1) @ params["dense"] + params["dense_bias"]
    return handwritten_jax.sparse_crossentropy(logits, y)


def main():
    x, y = cnn_setup.make_data()
    epoch_times, loss = handwritten_jax.train_with_adam(loss_fn, init_params(), x, y, cnn_setup)
    common.report("handwritten", "jax", epoch_times, loss, version=jax.__version__)


if __name__ == "__main__":
    main()
