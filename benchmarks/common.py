"""What every benchmark case shares: Keras-default initial weights, the epoch loops, how a case reports.

A case prints one JSON object as its last line of output; `run.py` reads it. Each
workload module (`mlp_setup`, `cnn_setup`, ...) fixes the network, the data and the
training settings; the hand-written loops here time each epoch the same way for all.
"""

import json
import os
import platform
import sys
import time

import numpy as np


def glorot_uniform(rng, fan_in, fan_out, shape=None):
    """Keras's default kernel initializer, so every case starts from the same scale."""
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, shape or (fan_in, fan_out)).astype(np.float32)


def minibatch_epochs(num_samples, batch_size, epochs, seed=0):
    """Yields, per epoch, the list of minibatch index arrays of a fresh shuffle."""
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        order = rng.permutation(num_samples)
        yield [order[begin : begin + batch_size] for begin in range(0, num_samples, batch_size)]


def timed_epochs(run_epoch, num_samples, batch_size, epochs):
    """Runs `run_epoch(batches)` once per epoch; returns `(epoch_times, last_loss)`.

    `run_epoch` returns the last minibatch's loss as a Python float (which forces
    the epoch's work to finish before the clock stops).
    """
    epoch_times, loss = [], None
    for batches in minibatch_epochs(num_samples, batch_size, epochs):
        start = time.perf_counter()
        loss = run_epoch(batches)
        epoch_times.append(time.perf_counter() - start)
    return epoch_times, loss


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


def fit_timed(keras, model, x, y, batch_size, epochs):
    """Runs `model.fit` with a Callback timing each epoch; returns `(epoch_times, final_loss)`.

    Each epoch is timed from `on_epoch_begin` to `on_epoch_end`, where the epoch's
    logs are already on the host.
    """

    class EpochTimer(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.epoch_times = []
            self.last_loss = None
            self._start = None

        def on_epoch_begin(self, epoch, logs=None):
            self._start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.epoch_times.append(time.perf_counter() - self._start)
            self.last_loss = float(logs["loss"])

    timer = EpochTimer()
    model.fit(x, y, batch_size=batch_size, epochs=epochs, verbose=0, callbacks=[timer])
    return timer.epoch_times, timer.last_loss
