"""What every benchmark case shares: seeded Keras-layout weights, minibatch order, timing, reporting.

A case prints one JSON object as its last line of output; `run.py` reads it. Each
workload module (`mlp_setup`, `cnn_setup`, ...) fixes the network, the data, the
training settings and the initial weights (NumPy, seeded, in the order and layout of
Keras's `model.get_weights()`); every case of a workload starts from those weights.
"""

import json
import os
import resource
import statistics
import sys
import time

import numpy as np


def glorot_uniform(rng, fan_in, fan_out, shape=None):
    """Keras's default kernel initializer, drawn with NumPy."""
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, shape or (fan_in, fan_out)).astype(np.float32)


def orthogonal(rng, rows, columns):
    """Keras's default recurrent-kernel initializer (an orthogonal matrix), drawn with NumPy."""
    flat = rng.standard_normal((max(rows, columns), min(rows, columns)))
    q, r = np.linalg.qr(flat)
    q = q * np.sign(np.diag(r))
    return (q if rows >= columns else q.T).astype(np.float32)


def minibatch_epochs(num_samples, batch_size, epochs, shuffle=True, seed=0):
    """Yields, per epoch, the list of minibatch index arrays (a fresh shuffle, or in order)."""
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        order = rng.permutation(num_samples) if shuffle else np.arange(num_samples)
        yield [order[begin : begin + batch_size] for begin in range(0, num_samples, batch_size)]


def timed_epochs(run_epoch, num_samples, batch_size, epochs, shuffle=True):
    """Runs `run_epoch(batches)` once per epoch; returns `(epoch_times, epoch_losses)`.

    `run_epoch` returns the epoch's mean minibatch loss as a Python float (which
    forces the epoch's work to finish before the clock stops).
    """
    epoch_times, losses = [], []
    for batches in minibatch_epochs(num_samples, batch_size, epochs, shuffle):
        start = time.perf_counter()
        losses.append(run_epoch(batches))
        epoch_times.append(time.perf_counter() - start)
    return epoch_times, losses


def peak_rss_megabytes():
    """The process's peak resident set size so far, in MiB (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def current_rss_megabytes():
    """The process's resident set size now, in MiB (from /proc/self/statm)."""
    with open("/proc/self/statm") as statm:
        resident_pages = int(statm.read().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE") / 2**20


# Untimed calls before a latency measurement, by time: a jitted JAX call on one sample
# took 40-80 us for its first few hundred calls in a process, then 11-16 us. (JAX's
# asynchronous CPU dispatch can also fall into such slow phases later, for hundreds of
# calls at a time; see README.md.)
LATENCY_WARMUP_SECONDS = 1.0


def median_call_seconds(function, calls, warmup=5, warmup_seconds=0.0):
    """The median wall time of `function()` over `calls` calls.

    The timed calls follow `warmup` untimed ones, and more untimed ones until
    `warmup_seconds` have passed.
    """
    start = time.perf_counter()
    done = 0
    while done < warmup or time.perf_counter() - start < warmup_seconds:
        function()
        done += 1
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def median_latency_seconds(function, calls):
    """The median wall time of one call of `function()`, after `LATENCY_WARMUP_SECONDS` of untimed calls."""
    return median_call_seconds(function, calls, warmup_seconds=LATENCY_WARMUP_SECONDS)


def best_throughput(function, num_samples, repeats=3):
    """Samples per second of `function()` (which handles `num_samples`): the median of `repeats` runs.

    One untimed call first, so compilation and warm-up are not counted.
    """
    function()
    return num_samples / median_call_seconds(function, repeats, warmup=0)


def torch_threads():
    """`torch`'s intra-op thread count when torch is loaded in this process, else None."""
    torch = sys.modules.get("torch")
    return torch.get_num_threads() if torch is not None else None


def report(**result):
    """Prints the case's result as one JSON line (what benchmarks/run.py reads)."""
    result.setdefault("peak_rss_mb", peak_rss_megabytes())
    result.setdefault("torch_threads", torch_threads())
    sys.stdout.flush()
    print(json.dumps(result), flush=True)


def relative_difference(value, reference):
    """`|value - reference| / |reference|`, or None when either is missing."""
    if value is None or reference is None:
        return None
    return abs(value - reference) / max(abs(reference), 1e-12)
