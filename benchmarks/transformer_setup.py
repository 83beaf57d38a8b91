"""The transformer workload: one encoder block over 32-token sequences, 2 classes, Adam.

Embedding 1000 x 64 -> MultiHeadAttention (4 heads, key_dim 16) + residual ->
LayerNormalization -> Dense 128 relu -> Dense 64 + residual -> LayerNormalization ->
GlobalAveragePooling1D -> Dense 2 softmax; sparse categorical crossentropy, Adam with
learning rate 1e-3, batch 32, 3 epochs, on 4,096 synthetic token sequences labelled
by whether most of their tokens are below 500.
"""

import numpy as np

import common

NUM_SAMPLES = 4_096
SEQUENCE_LENGTH = 32
VOCABULARY = 1_000
EMBEDDING_DIM = 64
NUM_HEADS = 4
KEY_DIM = 16
FEED_FORWARD_DIM = 128
NUM_CLASSES = 2
BATCH_SIZE = 32
EPOCHS = 3
QUICK_EPOCHS = 2
LEARNING_RATE = 1e-3
LAYER_NORM_EPSILON = 1e-3
SAME_START_SAMPLES = 16 * BATCH_SIZE


def make_data(num_samples=NUM_SAMPLES, seed=0):
    """Returns `(x, y)`: int32 token ids `(N, 32)` and int32 labels `(N,)`."""
    rng = np.random.default_rng(seed)
    x = rng.integers(0, VOCABULARY, (num_samples, SEQUENCE_LENGTH)).astype(np.int32)
    y = ((x < VOCABULARY // 2).sum(axis=1) > SEQUENCE_LENGTH // 2).astype(np.int32)
    return x, y


def initial_weights(seed=0):
    """The initial weights in `model.get_weights()` order and Keras layout.

    Embedding; MultiHeadAttention's query, key, value kernels `(dim, heads, key_dim)`
    and biases `(heads, key_dim)`, output kernel `(heads, key_dim, dim)` and bias;
    LayerNormalization gamma, beta; the feed-forward Dense pair; LayerNormalization;
    the classifier Dense.
    """
    rng = np.random.default_rng(seed)
    dim, heads, key_dim, hidden = EMBEDDING_DIM, NUM_HEADS, KEY_DIM, FEED_FORWARD_DIM
    weights = [rng.uniform(-0.05, 0.05, (VOCABULARY, dim)).astype(np.float32)]
    for _ in ("query", "key", "value"):
        weights += [
            common.glorot_uniform(rng, dim, heads * key_dim, (dim, heads, key_dim)),
            np.zeros((heads, key_dim), np.float32),
        ]
    weights += [
        common.glorot_uniform(rng, heads * key_dim, dim, (heads, key_dim, dim)),
        np.zeros((dim,), np.float32),
    ]
    norm = [np.ones((dim,), np.float32), np.zeros((dim,), np.float32)]
    weights += norm
    weights += [common.glorot_uniform(rng, dim, hidden), np.zeros((hidden,), np.float32)]
    weights += [common.glorot_uniform(rng, hidden, dim), np.zeros((dim,), np.float32)]
    weights += [array.copy() for array in norm]
    weights += [common.glorot_uniform(rng, dim, NUM_CLASSES), np.zeros((NUM_CLASSES,), np.float32)]
    return weights
