"""The transformer workload: one encoder block over 32-token sequences, 2 classes, Adam.

Embedding 1000 x 64 -> MultiHeadAttention (4 heads, key_dim 16) + residual ->
LayerNormalization -> Dense 128 relu -> Dense 64 + residual -> LayerNormalization ->
GlobalAveragePooling1D -> Dense 2 softmax; sparse categorical crossentropy, Adam with
learning rate 1e-3, batch 128, 4 epochs, on 8,192 synthetic token sequences labelled
by whether most of their tokens are below 500.
"""

import numpy as np

NUM_SAMPLES = 8_192
SEQUENCE_LENGTH = 32
VOCABULARY = 1_000
EMBEDDING_DIM = 64
NUM_HEADS = 4
KEY_DIM = 16
FEED_FORWARD_DIM = 128
NUM_CLASSES = 2
BATCH_SIZE = 128
EPOCHS = 4
LEARNING_RATE = 1e-3
LAYER_NORM_EPSILON = 1e-3


def make_data(seed=0):
    """Returns `(x, y)`: int32 token ids `(N, 32)` and int32 labels `(N,)`."""
    rng = np.random.default_rng(seed)
    x = rng.integers(0, VOCABULARY, (NUM_SAMPLES, SEQUENCE_LENGTH)).astype(np.int32)
    y = ((x < VOCABULARY // 2).sum(axis=1) > SEQUENCE_LENGTH // 2).astype(np.int32)
    return x, y
