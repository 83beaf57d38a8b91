"""The MLP workload: 100 inputs -> Dense 64 relu -> Dense 10 softmax, SGD, 60,000 samples.

Categorical crossentropy, SGD with learning rate 0.01, batch 128, 5 epochs, on
synthetic float32 samples labelled by a random linear teacher.
"""

import numpy as np

NUM_SAMPLES = 60_000
NUM_FEATURES = 100
NUM_HIDDEN = 64
NUM_CLASSES = 10
BATCH_SIZE = 128
EPOCHS = 5
LEARNING_RATE = 0.01
EPSILON = 1e-7


def make_data(seed=0):
    """Returns `(x, y)`: float32 inputs and one-hot float32 labels from a random linear teacher."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((NUM_SAMPLES, NUM_FEATURES), dtype=np.float32)
    teacher = rng.standard_normal((NUM_FEATURES, NUM_CLASSES), dtype=np.float32)
    labels = np.argmax(x @ teacher, axis=1)
    y = np.eye(NUM_CLASSES, dtype=np.float32)[labels]
    return x, y
