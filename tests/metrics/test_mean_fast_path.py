"""The loss trackers' `Mean.update_state(scalar, sample_weight=batch_size)` shortcut.

It must leave exactly the state of the general weighted-mean path, in value and
dtype, eagerly and through the stateless API (as in a compiled JAX step).
"""

import numpy as np
import pytest

import lamina
from lamina import ops

LOSSES = [0.731, 1.25, 0.0625, 2.5e-3]
BATCH_SIZES = [128, 128, 100, 7]


def _states(metric):
    return [np.asarray(ops.convert_to_numpy(value)) for value in metric.variables]


@pytest.mark.parametrize("dtype", ["float32", "float16"])
def test_scalar_with_count_weight_equals_the_general_path(dtype):
    fast = lamina.metrics.Mean(dtype=dtype)
    general = lamina.metrics.Mean(dtype=dtype)
    for loss, batch_size in zip(LOSSES, BATCH_SIZES):
        value = ops.convert_to_tensor(loss, dtype="float32")
        fast.update_state(value, sample_weight=batch_size)
        # A weight tensor takes the general path (rank handling, weighted sum).
        general.update_state(
            ops.reshape(value, (1,)), sample_weight=ops.convert_to_tensor([batch_size], dtype)
        )
    for got, expected in zip(_states(fast), _states(general)):
        assert got.dtype == expected.dtype == np.dtype(dtype)
        np.testing.assert_array_equal(got, expected)
    expected_mean = np.sum(np.float64(LOSSES) * BATCH_SIZES) / np.sum(BATCH_SIZES)
    np.testing.assert_allclose(
        float(ops.convert_to_numpy(fast.result())), expected_mean, rtol=1e-6 if dtype == "float32" else 1e-2
    )


def test_shortcut_matches_the_stateless_api():
    eager = lamina.metrics.Mean()
    stateless = lamina.metrics.Mean()
    state = [variable.value for variable in stateless.variables]
    for loss, batch_size in zip(LOSSES, BATCH_SIZES):
        value = ops.convert_to_tensor(loss)
        eager.update_state(value, sample_weight=batch_size)
        state = stateless.stateless_update_state(state, value, sample_weight=batch_size)
    # The stateless call leaves the metric's own variables untouched.
    assert float(ops.convert_to_numpy(stateless.result())) == 0.0
    for got, expected in zip(_states(eager), state):
        np.testing.assert_array_equal(got, np.asarray(ops.convert_to_numpy(expected)))


def test_reset_after_shortcut_updates():
    metric = lamina.metrics.Mean()
    metric.update_state(ops.convert_to_tensor(3.0), sample_weight=4)
    metric.reset_state()
    metric.update_state(ops.convert_to_tensor(1.0), sample_weight=2)
    assert float(ops.convert_to_numpy(metric.result())) == 1.0
    assert float(ops.convert_to_numpy(metric.count.value)) == 2.0


@pytest.mark.jax_only
def test_shortcut_inside_a_jax_trace():
    import jax

    metric = lamina.metrics.Mean()

    @jax.jit
    def update(state, value):
        return metric.stateless_update_state(state, value, sample_weight=128)

    state = [variable.value for variable in metric.variables]
    for loss in LOSSES:
        state = update(state, ops.convert_to_tensor(loss))
    expected = lamina.metrics.Mean()
    for loss in LOSSES:
        expected.update_state(ops.convert_to_tensor(loss), sample_weight=128)
    for got, value in zip(state, _states(expected)):
        np.testing.assert_allclose(np.asarray(got), value, rtol=1e-7)


@pytest.mark.requires_trainable_backend
def test_shortcut_with_a_tensor_that_tracks_gradients():
    # A loss that still carries its autograd graph must not leak it into the state.
    weight = lamina.Variable(2.0)
    metric = lamina.metrics.Mean()
    metric.update_state(weight * 1.5, sample_weight=10)
    metric.update_state(weight * 0.5, sample_weight=10)
    assert float(ops.convert_to_numpy(metric.result())) == 2.0
    assert not getattr(metric.total.value, "requires_grad", False)
