"""The LSTM workload: 80-token sequences -> Embedding 10000 x 64 -> LSTM 64 -> Dense 1 sigmoid, Adam.

Binary crossentropy, Adam with learning rate 1e-3, batch 64, 3 epochs, on 4,096
synthetic token sequences (IMDB-like): each token has a hidden sentiment of -1, 0 or
+1 and a sequence is positive when its sentiments sum above zero.
"""

import numpy as np

import common

NUM_SAMPLES = 4_096
SEQUENCE_LENGTH = 80
VOCABULARY = 10_000
EMBEDDING_DIM = 64
UNITS = 64
BATCH_SIZE = 64
EPOCHS = 3
QUICK_EPOCHS = 2
LEARNING_RATE = 1e-3
EPSILON = 1e-7
SAME_START_SAMPLES = 16 * BATCH_SIZE


def make_data(num_samples=NUM_SAMPLES, seed=0):
    """Returns `(x, y)`: int32 token ids `(N, 80)` and float32 labels `(N, 1)`."""
    rng = np.random.default_rng(seed)
    sentiment = rng.choice(np.array([-1, 0, 1]), VOCABULARY, p=[0.1, 0.8, 0.1])
    x = rng.integers(0, VOCABULARY, (num_samples, SEQUENCE_LENGTH)).astype(np.int32)
    y = (sentiment[x].sum(axis=1, keepdims=True) > 0).astype(np.float32)
    return x, y


def initial_weights(seed=0):
    """The initial weights in `model.get_weights()` order and Keras layout.

    Embedding `(vocabulary, dim)`; LSTM kernel `(dim, 4 units)`, recurrent kernel
    `(units, 4 units)` and one bias, gates in Keras's order input, forget, cell,
    output (the forget bias starts at 1, Keras's `unit_forget_bias`); Dense.
    """
    rng = np.random.default_rng(seed)
    bias = np.zeros((4 * UNITS,), np.float32)
    bias[UNITS : 2 * UNITS] = 1.0
    recurrent = np.concatenate([common.orthogonal(rng, UNITS, UNITS) for _ in range(4)], axis=1)
    return [
        rng.uniform(-0.05, 0.05, (VOCABULARY, EMBEDDING_DIM)).astype(np.float32),
        common.glorot_uniform(rng, EMBEDDING_DIM, 4 * UNITS),
        recurrent,
        bias,
        common.glorot_uniform(rng, UNITS, 1),
        np.zeros((1,), np.float32),
    ]
