"""The LSTM workload: sequences of 32 steps x 16 features -> LSTM 64 -> Dense 1 sigmoid, Adam.

Binary crossentropy, Adam with learning rate 1e-3, batch 128, 4 epochs, on 8,192
synthetic float32 sequences labelled by the sign of their first feature's sum.
"""

import numpy as np

NUM_SAMPLES = 8_192
TIMESTEPS = 32
NUM_FEATURES = 16
UNITS = 64
BATCH_SIZE = 128
EPOCHS = 4
LEARNING_RATE = 1e-3
EPSILON = 1e-7


def make_data(seed=0):
    """Returns `(x, y)`: float32 sequences `(N, 32, 16)` and float32 labels `(N, 1)`."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((NUM_SAMPLES, TIMESTEPS, NUM_FEATURES), dtype=np.float32)
    y = (x[:, :, 0].sum(axis=1, keepdims=True) > 0).astype(np.float32)
    return x, y
