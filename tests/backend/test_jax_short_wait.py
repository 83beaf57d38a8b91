"""JAX: converting a pending result to NumPy polls it briefly before the blocking wait."""

import numpy as np
import pytest

from lamina import ops

pytestmark = pytest.mark.jax_only


class _NeverReady:
    """A pending result that polling never sees ready; blocking on it returns at once."""

    def __init__(self):
        self.polls = 0
        self.blocked = 0

    def is_ready(self):
        self.polls += 1
        return False

    def block_until_ready(self):
        self.blocked += 1


def test_pending_results_convert_to_their_values():
    import jax
    import jax.numpy as jnp

    square = jax.jit(lambda x: x @ x)
    x = np.arange(16.0, dtype="float32").reshape(4, 4)
    for _ in range(20):
        np.testing.assert_allclose(ops.convert_to_numpy(square(jnp.asarray(x))), x @ x, rtol=1e-6)


def test_a_poll_that_runs_out_blocks_and_only_a_long_wait_pauses_polling(monkeypatch):
    from lamina.backend.jax import _short_wait

    monkeypatch.setattr(_short_wait, "_MAY_POLL", True)
    monkeypatch.setattr(_short_wait, "POLL_SECONDS", 0.002)
    monkeypatch.setattr(_short_wait, "_waits_without_poll", [0])
    monkeypatch.setattr(_short_wait, "LONG_WAIT_SECONDS", 10.0)
    hiccup = _NeverReady()
    _short_wait.wait_briefly(hiccup)
    assert hiccup.polls > 1 and hiccup.blocked == 1
    assert _short_wait._waits_without_poll[0] == 0, "a short wait keeps polling on"

    monkeypatch.setattr(_short_wait, "LONG_WAIT_SECONDS", 0.001)
    pending = _NeverReady()
    _short_wait.wait_briefly(pending)
    assert _short_wait._waits_without_poll[0] == _short_wait.WAITS_WITHOUT_POLL
    polls = pending.polls
    for _ in range(_short_wait.WAITS_WITHOUT_POLL):
        _short_wait.wait_briefly(pending)
    assert pending.polls == polls and pending.blocked == 1
    _short_wait.wait_briefly(pending)
    assert pending.polls > polls


def test_a_long_computation_pauses_polling_for_the_next_waits(monkeypatch):
    import jax
    import jax.numpy as jnp

    from lamina.backend.jax import _short_wait

    monkeypatch.setattr(_short_wait, "_MAY_POLL", True)  # as on any machine with two CPUs or more
    monkeypatch.setattr(_short_wait, "_waits_without_poll", [0])

    @jax.jit
    def slow(x):
        return jax.lax.fori_loop(0, 20, lambda _, y: jnp.tanh(y @ x), x)

    x = jnp.full((400, 400), 1e-3, jnp.float32)
    result = slow(x)
    _short_wait.wait_briefly(result)
    assert result.is_ready()
    # 20 products of 400 x 400 matrices (2.6 GFLOP) take far longer than 1 ms: later waits sleep.
    assert _short_wait._waits_without_poll[0] == _short_wait.WAITS_WITHOUT_POLL
    assert np.isfinite(ops.convert_to_numpy(result)).all()


def test_nothing_is_polled_where_the_process_has_one_cpu(monkeypatch):
    from lamina.backend.jax import _short_wait

    monkeypatch.setattr(_short_wait, "_MAY_POLL", False)
    pending = _NeverReady()
    _short_wait.wait_briefly(pending)
    assert pending.polls == 0
