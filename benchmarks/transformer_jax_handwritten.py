"""Benchmark case: the transformer block as a hand-written JAX loop (einsum attention, Adam)."""

import jax
import jax.numpy as jnp
import numpy as np

import common
import handwritten_jax
import transformer_setup as setup


def init_params(seed=0):
    rng = np.random.default_rng(seed)
    dim, heads, key_dim, hidden = setup.EMBEDDING_DIM, setup.NUM_HEADS, setup.KEY_DIM, setup.FEED_FORWARD_DIM

    def projection(shape, fan_in, fan_out):
        return jnp.asarray(common.glorot_uniform(rng, fan_in, fan_out, shape))

    params = {"embeddings": jnp.asarray(rng.uniform(-0.05, 0.05, (setup.VOCABULARY, dim)).astype(np.float32))}
    for name in ("query", "key", "value"):
        params[name] = projection((dim, heads, key_dim), dim, heads * key_dim)
        params[name + "_bias"] = jnp.zeros((heads, key_dim))
    params["output"] = projection((heads, key_dim, dim), heads * key_dim, dim)
    params["output_bias"] = jnp.zeros((dim,))
    params["hidden"] = projection((dim, hidden), dim, hidden)
    params["hidden_bias"] = jnp.zeros((hidden,))
    params["back"] = projection((hidden, dim), hidden, dim)
    params["back_bias"] = jnp.zeros((dim,))
    for name in ("norm1", "norm2"):
        params[name + "_gamma"] = jnp.ones((dim,))
        params[name + "_beta"] = jnp.zeros((dim,))
    params["classifier"] = projection((dim, setup.NUM_CLASSES), dim, setup.NUM_CLASSES)
    params["classifier_bias"] = jnp.zeros((setup.NUM_CLASSES,))
    return params


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


def loss_fn(params, tokens, labels):
    x = params["embeddings"][tokens]
    x = layer_norm(x + attention(params, x), params["norm1_gamma"], params["norm1_beta"])
    feed_forward = jax.nn.relu(x @ params["hidden"] + params["hidden_bias"])
    feed_forward = feed_forward @ params["back"] + params["back_bias"]
    x = layer_norm(x + feed_forward, params["norm2_gamma"], params["norm2_beta"])
    logits = x.mean(axis=1) @ params["classifier"] + params["classifier_bias"]
    return handwritten_jax.sparse_crossentropy(logits, labels)


def main():
    x, y = setup.make_data()
    epoch_times, loss = handwritten_jax.train_with_adam(loss_fn, init_params(), x, y, setup)
    common.report("handwritten", "jax", epoch_times, loss, version=jax.__version__)


if __name__ == "__main__":
    main()
