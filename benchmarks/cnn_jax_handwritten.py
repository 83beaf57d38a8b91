"""The CNN as hand-written JAX (lax.conv_general_dilated on NHWC, HWIO kernels as Keras stores them)."""

import jax
import jax.numpy as jnp

import handwritten_jax

OPTIMIZER = "adam"
DIMENSIONS = ("NHWC", "HWIO", "NHWC")


def params_from_weights(weights):
    names = ("conv1", "conv1_bias", "conv2", "conv2_bias", "dense", "dense_bias")
    return {name: jnp.asarray(value) for name, value in zip(names, weights)}


def conv_relu_pool(x, kernel, bias):
    hidden = jax.lax.conv_general_dilated(x, kernel, (1, 1), "VALID", dimension_numbers=DIMENSIONS)
    hidden = jax.nn.relu(hidden + bias)
    return jax.lax.reduce_window(hidden, -jnp.inf, jax.lax.max, (1, 2, 2, 1), (1, 2, 2, 1), "VALID")


def logits(params, x, key=None, dropout_rate=0.0):
    hidden = conv_relu_pool(x, params["conv1"], params["conv1_bias"])
    hidden = conv_relu_pool(hidden, params["conv2"], params["conv2_bias"])
    hidden = handwritten_jax.dropout(hidden.reshape(hidden.shape[0], -1), key, dropout_rate)
    return hidden @ params["dense"] + params["dense_bias"]


def outputs(params, x):
    return jax.nn.softmax(logits(params, x))


def loss_fn(params, x, y, key, dropout_rate):
    return handwritten_jax.sparse_crossentropy(logits(params, x, key, dropout_rate), y)
