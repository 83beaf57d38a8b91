"""The CNN workload: 16x16x1 images, two 3x3 convolutions with max pooling, 10 classes, Adam.

Conv2D 16 relu -> MaxPooling2D 2 -> Conv2D 32 relu -> Flatten -> Dense 10 softmax,
sparse categorical crossentropy, Adam with learning rate 1e-3, batch 128, 4 epochs,
on 10,240 synthetic images labelled by a random linear teacher.
"""

import numpy as np

NUM_SAMPLES = 10_240
IMAGE_SIZE = 16
FILTERS = (16, 32)
KERNEL_SIZE = 3
NUM_CLASSES = 10
BATCH_SIZE = 128
EPOCHS = 4
LEARNING_RATE = 1e-3


def make_data(seed=0):
    """Returns `(x, y)`: float32 images `(N, 16, 16, 1)` and int32 labels."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((NUM_SAMPLES, IMAGE_SIZE, IMAGE_SIZE, 1), dtype=np.float32)
    teacher = rng.standard_normal((IMAGE_SIZE * IMAGE_SIZE, NUM_CLASSES), dtype=np.float32)
    y = np.argmax(x.reshape(NUM_SAMPLES, -1) @ teacher, axis=1).astype(np.int32)
    return x, y


def flat_features():
    """The size of the Flatten output: ((16 - 2) // 2 - 2) ** 2 * 32."""
    side = (IMAGE_SIZE - KERNEL_SIZE + 1) // 2 - KERNEL_SIZE + 1
    return side * side * FILTERS[1]
