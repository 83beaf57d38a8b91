"""What every MLP benchmark case shares: the shapes, the data and how a case reports.

Every case trains the same network (100 inputs -> Dense 64 relu -> Dense 10 softmax,
categorical crossentropy, SGD with learning rate 0.01, batch 128) on the same 60,000
synthetic float32 samples for 5 epochs, shuffling each epoch, and reports the wall
time of each epoch. A case prints one JSON object as its last line of output.
"""

import json
import os
import platform
import sys

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


def glorot_uniform(rng, fan_in, fan_out):
    """Keras's default Dense kernel initializer, so every case starts from the same scale."""
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, (fan_in, fan_out)).astype(np.float32)


def report(case, backend, epoch_times, final_loss, **extra):
    """Prints the case's result as one JSON line (what benchmarks/run.py reads)."""
    result = {
        "case": case,
        "backend": backend,
        "epoch_times": [float(seconds) for seconds in epoch_times],
        "final_loss": float(final_loss),
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        **extra,
    }
    sys.stdout.flush()
    print(json.dumps(result), flush=True)
