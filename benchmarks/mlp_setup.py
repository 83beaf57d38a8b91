"""The MLP workload: 100 inputs -> Dense 64 relu -> Dense 10 softmax, SGD, 60,000 samples.

Categorical crossentropy, SGD with learning rate 0.01, batch 128, 5 epochs, on
synthetic float32 samples labelled by a random linear teacher.
"""

import numpy as np

import common

NUM_SAMPLES = 60_000
NUM_FEATURES = 100
NUM_HIDDEN = 64
NUM_CLASSES = 10
BATCH_SIZE = 128
EPOCHS = 5
QUICK_EPOCHS = 2
LEARNING_RATE = 0.01
EPSILON = 1e-7
SAME_START_SAMPLES = 16 * BATCH_SIZE
# The memory-growth run: 50 epochs on a smaller dataset, RSS read after epochs 5 and 50.
GROWTH_SAMPLES = 6_000
GROWTH_EPOCHS = 50


def make_data(num_samples=NUM_SAMPLES, seed=0):
    """Returns `(x, y)`: float32 inputs and one-hot float32 labels from a random linear teacher."""
    rng = np.random.default_rng(seed)
    teacher = rng.standard_normal((NUM_FEATURES, NUM_CLASSES), dtype=np.float32)
    x = rng.standard_normal((num_samples, NUM_FEATURES), dtype=np.float32)
    labels = np.argmax(x @ teacher, axis=1)
    y = np.eye(NUM_CLASSES, dtype=np.float32)[labels]
    return x, y


def initial_weights(seed=0):
    """The initial weights in `model.get_weights()` order and Keras layout: kernels `(in, out)`."""
    rng = np.random.default_rng(seed)
    return [
        common.glorot_uniform(rng, NUM_FEATURES, NUM_HIDDEN),
        np.zeros((NUM_HIDDEN,), np.float32),
        common.glorot_uniform(rng, NUM_HIDDEN, NUM_CLASSES),
        np.zeros((NUM_CLASSES,), np.float32),
    ]
