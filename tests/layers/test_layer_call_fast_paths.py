"""Per-call shortcuts of Layer.__call__ and the loss-tracker Mean keep their behaviour."""

import numpy as np
import pytest

import lamina


def test_input_spec_is_checked_again_after_a_shape_change():
    dense = lamina.layers.Dense(2)
    dense(np.ones((1, 3), "float32"))
    dense(np.ones((5, 3), "float32"))  # a new batch size passes
    with pytest.raises(ValueError, match="3"):
        dense(np.ones((1, 4), "float32"))
    dense(np.ones((1, 3), "float32"))


def test_input_spec_change_is_honoured():
    dense = lamina.layers.Dense(2)
    dense(np.ones((1, 3), "float32"))
    dense.input_spec = lamina.layers.InputSpec(ndim=3)
    with pytest.raises(ValueError, match="rank"):
        dense(np.ones((1, 3), "float32"))


def test_mean_with_count_weight_matches_the_general_path():
    values = [np.float32(0.25), np.float32(1.5), np.float32(-3.0)]
    fast, general = lamina.metrics.Mean(), lamina.metrics.Mean()
    for index, value in enumerate(values):
        count = 32 + index
        fast.update_state(lamina.ops.convert_to_tensor(value), sample_weight=count)
        general.update_state(lamina.ops.convert_to_tensor(value), sample_weight=float(count) + 0.0)
    np.testing.assert_allclose(
        lamina.ops.convert_to_numpy(fast.result()), lamina.ops.convert_to_numpy(general.result()), rtol=1e-7
    )
    expected = sum(v * (32 + i) for i, v in enumerate(values)) / (32 + 33 + 34)
    np.testing.assert_allclose(lamina.ops.convert_to_numpy(fast.result()), expected, rtol=1e-6)


def test_regularization_losses_still_collected():
    model = lamina.Sequential(
        [lamina.Input((3,)), lamina.layers.Dense(2, kernel_regularizer=lamina.regularizers.L2(0.5))]
    )
    model(np.ones((1, 3), "float32"))
    kernel = model.layers[0].kernel.numpy()
    assert len(model.losses) == 1
    np.testing.assert_allclose(
        lamina.ops.convert_to_numpy(model.losses[0]), 0.5 * np.sum(kernel**2), rtol=1e-6
    )
    assert lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)]).losses == []
