"""The transformer block as hand-written JAX (einsum attention with Keras's kernel layout)."""

import jax
import jax.numpy as jnp
import numpy as np

import handwritten_jax
import transformer_setup as setup

OPTIMIZER = "adam"
NAMES = (
    "embeddings",
    "query", "query_bias", "key", "key_bias", "value", "value_bias", "output", "output_bias",
    "norm1_gamma", "norm1_beta", "hidden", "hidden_bias", "back", "back_bias",
    "norm2_gamma", "norm2_beta", "classifier", "classifier_bias",
)  # fmt: skip


def params_from_weights(weights):
    return {name: jnp.asarray(value) for name, value in zip(NAMES, weights)}


def layer_norm(x, gamma, beta):
    mean = x.mean(axis=-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / jnp.sqrt(variance + setup.LAYER_NORM_EPSILON) * gamma + beta


def attention(params, x):
    query, key, value = (
        jnp.einsum("btd,dhk->bthk", x, params[name]) + params[name + "_bias"]
        for name in ("query", "key", "value")
    )
    scores = jnp.einsum("bshk,bthk->bhst", query, key) / np.sqrt(setup.KEY_DIM)
    weights = jax.nn.softmax(scores, axis=-1)
    context = jnp.einsum("bhst,bthk->bshk", weights, value)
    return jnp.einsum("bshk,hkd->bsd", context, params["output"]) + params["output_bias"]


def logits(params, tokens):
    x = params["embeddings"][tokens]
    x = layer_norm(x + attention(params, x), params["norm1_gamma"], params["norm1_beta"])
    feed_forward = jax.nn.relu(x @ params["hidden"] + params["hidden_bias"])
    feed_forward = feed_forward @ params["back"] + params["back_bias"]
    x = layer_norm(x + feed_forward, params["norm2_gamma"], params["norm2_beta"])
    return x.mean(axis=1) @ params["classifier"] + params["classifier_bias"]


def outputs(params, tokens):
    return jax.nn.softmax(logits(params, tokens))


def loss_fn(params, tokens, labels, key, dropout_rate):
    return handwritten_jax.sparse_crossentropy(logits(params, tokens), labels)
