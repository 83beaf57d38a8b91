"""The CNN workload: MNIST-style 28x28x1 images, two 3x3 convolutions with max pooling, Adam.

Conv2D 32 relu -> MaxPooling2D 2 -> Conv2D 64 relu -> MaxPooling2D 2 -> Flatten ->
Dropout 0.5 -> Dense 10 softmax; sparse categorical crossentropy, Adam with learning
rate 1e-3, batch 128, 4 epochs, on 4,096 synthetic images (MNIST's 60,000 would
make an epoch last a minute on a 2-core CPU; 4,096 keeps it around 1-3 s) labelled
by a random linear teacher.
"""

import numpy as np

import common

NUM_SAMPLES = 4_096
IMAGE_SIZE = 28
FILTERS = (32, 64)
KERNEL_SIZE = 3
NUM_CLASSES = 10
DROPOUT_RATE = 0.5
BATCH_SIZE = 128
EPOCHS = 4
QUICK_EPOCHS = 2
LEARNING_RATE = 1e-3
SAME_START_SAMPLES = 8 * BATCH_SIZE


def make_data(num_samples=NUM_SAMPLES, seed=0):
    """Returns `(x, y)`: float32 images `(N, 28, 28, 1)` and int32 labels."""
    rng = np.random.default_rng(seed)
    teacher = rng.standard_normal((IMAGE_SIZE * IMAGE_SIZE, NUM_CLASSES), dtype=np.float32)
    x = rng.standard_normal((num_samples, IMAGE_SIZE, IMAGE_SIZE, 1), dtype=np.float32)
    y = np.argmax(x.reshape(num_samples, -1) @ teacher, axis=1).astype(np.int32)
    return x, y


def pooled_side():
    """The side of the last pooled feature map: ((28 - 2) // 2 - 2) // 2 = 5."""
    return ((IMAGE_SIZE - KERNEL_SIZE + 1) // 2 - KERNEL_SIZE + 1) // 2


def flat_features():
    """The size of the Flatten output: 5 * 5 * 64."""
    return pooled_side() ** 2 * FILTERS[1]


def initial_weights(seed=0):
    """The initial weights in `model.get_weights()` order and Keras layout (conv kernels HWIO)."""
    rng = np.random.default_rng(seed)
    k = KERNEL_SIZE
    first, second = FILTERS
    return [
        common.glorot_uniform(rng, k * k, k * k * first, (k, k, 1, first)),
        np.zeros((first,), np.float32),
        common.glorot_uniform(rng, k * k * first, k * k * second, (k, k, first, second)),
        np.zeros((second,), np.float32),
        common.glorot_uniform(rng, flat_features(), NUM_CLASSES),
        np.zeros((NUM_CLASSES,), np.float32),
    ]
