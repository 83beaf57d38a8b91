"""The Dropout layer."""

import numpy as np
import pytest
from layers.layer_test_case import run_layer_test

import lamina
from lamina import layers
from lamina import ops


def test_dropout_basics():
    run_layer_test(
        layers.Dropout,
        init_kwargs={"rate": 0.2, "seed": 1},
        input_shape=(2, 3),
        call_kwargs={"training": True},
        expected_output_shape=(2, 3),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
        expected_num_non_trainable_variables=1,
        expected_num_seed_generators=1,
        supports_masking=True,
        assert_built_after_instantiation=True,
    )


def test_dropout_rate_zero_has_no_generator():
    run_layer_test(
        layers.Dropout,
        init_kwargs={"rate": 0.0},
        input_shape=(2, 3),
        call_kwargs={"training": True},
        expected_output_shape=(2, 3),
        expected_num_non_trainable_variables=0,
        expected_num_seed_generators=0,
    )


def test_identity_at_inference():
    layer = layers.Dropout(0.5, seed=3)
    x = np.random.default_rng(0).standard_normal((8, 16)).astype("float32")
    np.testing.assert_array_equal(ops.convert_to_numpy(layer(x)), x)
    np.testing.assert_array_equal(ops.convert_to_numpy(layer(x, training=False)), x)


@pytest.mark.parametrize("rate", [0.2, 0.5, 0.8])
def test_training_drops_about_rate_and_rescales(rate):
    layer = layers.Dropout(rate, seed=3)
    x = np.full((100, 100), 2.0, dtype="float32")
    output = ops.convert_to_numpy(layer(x, training=True))
    dropped = output == 0
    assert abs(dropped.mean() - rate) < 0.03
    np.testing.assert_allclose(output[~dropped], 2.0 / (1 - rate), rtol=1e-6)


def test_each_training_call_draws_a_new_mask():
    layer = layers.Dropout(0.5, seed=3)
    x = np.ones((10, 10), dtype="float32")
    first = ops.convert_to_numpy(layer(x, training=True))
    second = ops.convert_to_numpy(layer(x, training=True))
    assert not np.array_equal(first, second)


def test_same_seed_same_masks():
    x = np.ones((10, 10), dtype="float32")
    first = ops.convert_to_numpy(layers.Dropout(0.5, seed=9)(x, training=True))
    second = ops.convert_to_numpy(layers.Dropout(0.5, seed=9)(x, training=True))
    np.testing.assert_array_equal(first, second)


def test_noise_shape_broadcasts_the_mask():
    layer = layers.Dropout(0.5, noise_shape=(None, 1, 6), seed=2)
    x = np.ones((4, 5, 6), dtype="float32")
    output = ops.convert_to_numpy(layer(x, training=True))
    # The same features are dropped at every timestep.
    np.testing.assert_array_equal(output, np.broadcast_to(output[:, :1, :], output.shape))
    assert 0 < (output == 0).mean() < 1


def test_rate_one_drops_everything():
    output = layers.Dropout(1.0)(np.ones((2, 3), dtype="float32"), training=True)
    np.testing.assert_array_equal(ops.convert_to_numpy(output), np.zeros((2, 3)))


def test_seed_state_is_a_non_trainable_variable_threaded_by_stateless_call():
    layer = layers.Dropout(0.5, seed=4)
    x = ops.ones((6, 6))
    assert layer.non_trainable_variables == [layer.seed_generator.state]
    assert layer.weights == []
    state = layer.seed_generator.state.value
    output, (new_state,) = layer.stateless_call([], [state], x, training=True)
    assert not np.array_equal(ops.convert_to_numpy(new_state), ops.convert_to_numpy(state))
    # The layer's own state is untouched by a stateless call.
    np.testing.assert_array_equal(
        ops.convert_to_numpy(layer.seed_generator.state.value), ops.convert_to_numpy(state)
    )
    again, _ = layer.stateless_call([], [state], x, training=True)
    np.testing.assert_array_equal(ops.convert_to_numpy(again), ops.convert_to_numpy(output))


def test_config_matches_keras():
    config = layers.Dropout(0.3, noise_shape=(None, 1), seed=5).get_config()
    assert {key: config[key] for key in ("rate", "seed", "noise_shape")} == {
        "rate": 0.3,
        "seed": 5,
        "noise_shape": (None, 1),
    }


def test_invalid_arguments_raise():
    with pytest.raises(ValueError, match=r"Dropout layer .* rate .* \[0, 1\]"):
        layers.Dropout(1.5)
    with pytest.raises(ValueError, match="noise_shape"):
        layers.Dropout(0.5, noise_shape=(0, 2))
    with pytest.raises(ValueError, match="noise_shape"):
        layers.Dropout(0.5, noise_shape="abc")
    with pytest.raises(ValueError, match="rank"):
        layers.Dropout(0.5, noise_shape=(None, 1))(ops.ones((2, 3, 4)), training=True)


def test_symbolic_call():
    output = layers.Dropout(0.5)(lamina.KerasTensor((None, 7)))
    assert output.shape == (None, 7)
    assert output.dtype == "float32"


@pytest.mark.jax_only
def test_jit_compiled_training_step_draws_fresh_masks():
    import jax

    layer = layers.Dropout(0.5, seed=1)
    x = ops.ones((8, 8))

    @jax.jit
    def step(state):
        output, (new_state,) = layer.stateless_call([], [state], x, training=True)
        return output, new_state

    state = layer.seed_generator.state.value
    first, state = step(state)
    second, state = step(state)
    assert not np.array_equal(np.asarray(first), np.asarray(second))
