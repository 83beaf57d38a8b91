"""Waiting for a result that is about to be ready without going to sleep.

On CPU, JAX runs each computation on a worker thread (asynchronous dispatch) and
`np.asarray(result)` puts the calling thread to sleep until the worker is done.
For a computation of a few microseconds (one sample through a small network)
the sleep and the wake-up cost more than the computation: on a 2-vCPU VM a
one-sample call took 50-80 us when the caller slept and 10-17 us when it did
not. `wait_briefly` polls the result for at most `POLL_SECONDS` first, and only
then lets the blocking conversion sleep as before.

Polling keeps one core busy while it lasts. It is not done when the process may
run on one CPU only (it would take the time slice the worker needs), and after a
wait longer than `LONG_WAIT_SECONDS` (a long computation, such as a training step
whose logs are read) the next `WAITS_WITHOUT_POLL` waits sleep at once. A poll that
runs out just before a short result arrives (a hiccup of the machine) does not
count as long: sleeping waits are what fall into the slow phases.
"""

import os
import time

# Long enough for a small network's call and a slow worker wake-up, short enough that
# a long computation loses nothing measurable (its caller then sleeps as before).
POLL_SECONDS = 100e-6
LONG_WAIT_SECONDS = 1e-3
WAITS_WITHOUT_POLL = 64


def _may_poll():
    try:
        return len(os.sched_getaffinity(0)) > 1
    except AttributeError:  # Platforms without affinity masks (macOS).
        return (os.cpu_count() or 1) > 1


_MAY_POLL = _may_poll()
_waits_without_poll = [0]


def wait_briefly(array):
    """Polls `array` for up to `POLL_SECONDS`, then blocks until it is ready.

    Where polling does not apply it returns at once (the conversion that follows
    blocks as usual).

    Args:
        array: A concrete `jax.Array` (not a tracer).

    Example:

    >>> import jax.numpy as jnp
    >>> result = jnp.ones((2,)) * 2
    >>> wait_briefly(result)
    >>> result.is_ready()
    True
    """
    if not _MAY_POLL:
        return
    if _waits_without_poll[0]:
        _waits_without_poll[0] -= 1
        return
    if array.is_ready():
        return
    clock = time.perf_counter
    start = clock()
    deadline = start + POLL_SECONDS
    while not array.is_ready():
        if clock() > deadline:
            array.block_until_ready()
            if clock() - start > LONG_WAIT_SECONDS:
                _waits_without_poll[0] = WAITS_WITHOUT_POLL
            return
