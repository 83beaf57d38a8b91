"""A model's direct call (eager backends) gives what the full `Layer.__call__` path gives."""

import numpy as np
import pytest

import lamina
from lamina import layers
from lamina import ops
from lamina.models import direct_calls
from lamina.models import direct_model_call
from tests.testing_utils import assert_close

EAGER = lamina.backend.backend() != "jax"  # JAX calls go through the compiled call instead


def _dense_model():
    return lamina.Sequential([lamina.Input((5,)), layers.Dense(4, activation="relu"), layers.Dense(3)])


def _inputs(rows=6, seed=0):
    return np.random.default_rng(seed).normal(size=(rows, 5)).astype("float32")


def _expected(model, inputs):
    hidden, output = model.layers
    values = inputs @ ops.convert_to_numpy(hidden.kernel) + ops.convert_to_numpy(hidden.bias)
    values = hidden.activation(ops.convert_to_tensor(values))
    values = ops.convert_to_numpy(values)
    return values @ ops.convert_to_numpy(output.kernel) + ops.convert_to_numpy(output.bias)


def test_repeated_calls_match_the_layers_computation():
    model = _dense_model()
    inputs = ops.convert_to_tensor(_inputs())
    results = [ops.convert_to_numpy(model(inputs)) for _ in range(4)]
    for result in results:
        assert_close(result, _expected(model, _inputs()))
    handled = direct_model_call.run(model, (inputs,), {})
    assert (handled is not direct_model_call.NOT_HANDLED) == EAGER


def test_a_reconfigured_layer_takes_effect_at_once():
    model = _dense_model()
    inputs = ops.convert_to_tensor(_inputs())
    model(inputs)
    model(inputs)
    model.layers[0].activation = lamina.activations.tanh
    assert direct_model_call.run(model, (inputs,), {}) is direct_model_call.NOT_HANDLED
    assert_close(model(inputs), _expected(model, _inputs()), atol=1e-5)


def test_updated_weights_are_read_on_every_call():
    model = _dense_model()
    inputs = ops.convert_to_tensor(_inputs())
    model(inputs)
    model(inputs)
    model.set_weights([weight * 2.0 for weight in model.get_weights()])
    assert_close(model(inputs), _expected(model, _inputs()), atol=1e-5)


@pytest.mark.requires_trainable_backend
def test_training_flag_and_its_default():
    model = lamina.Sequential([lamina.Input((5,)), layers.Dropout(0.5, seed=2), layers.Dense(3)])
    inputs = ops.convert_to_tensor(np.ones((64, 5), "float32"))
    dense = model.layers[-1]
    plain = np.ones((64, 5)) @ ops.convert_to_numpy(dense.kernel) + ops.convert_to_numpy(dense.bias)
    for _ in range(3):
        assert_close(model(inputs), plain, atol=1e-5)
        assert_close(model(inputs, training=False), plain, atol=1e-5)
        dropped = ops.convert_to_numpy(model(inputs, training=True))
        assert not np.allclose(dropped, plain, atol=1e-3)


def test_losses_are_cleared_on_each_call():
    model = lamina.Sequential(
        [lamina.Input((5,)), layers.Dense(3, activity_regularizer=lamina.regularizers.L2(0.1))]
    )
    inputs = ops.convert_to_tensor(_inputs())
    for _ in range(3):
        outputs = ops.convert_to_numpy(model(inputs))
        assert len(model.losses) == 1
        assert_close(model.losses[0], 0.1 * np.sum(outputs**2) / 6, atol=1e-5)


def test_a_model_inside_another_model_follows_its_callers_training():
    inner = lamina.Sequential([lamina.Input((5,)), layers.Dropout(0.9, seed=1)])
    inputs_tensor = lamina.Input((5,))
    outer = lamina.Model(inputs_tensor, inner(inputs_tensor))
    inputs = ops.convert_to_tensor(np.ones((32, 5), "float32"))
    for _ in range(3):
        assert_close(inner(inputs), np.ones((32, 5)))
        assert_close(outer(inputs), np.ones((32, 5)))
    if lamina.backend.backend() != "numpy":
        assert np.mean(ops.convert_to_numpy(outer(inputs, training=True)) == 0) > 0.5


def test_numpy_inputs_and_new_shapes_are_recorded_on_their_own():
    model = _dense_model()
    inputs = _inputs()
    for rows in (6, 6, 2, 6, 2, 2):
        assert_close(model(inputs[:rows]), _expected(model, inputs[:rows]), atol=1e-5)
    handled = direct_model_call.run(model, (inputs[:2],), {})
    assert (handled is not direct_model_call.NOT_HANDLED) == EAGER
    assert direct_model_call.run(model, (inputs[:3],), {}) is direct_model_call.NOT_HANDLED
    float64_inputs = inputs.astype("float64")
    for _ in range(3):
        result = model(float64_inputs)
        assert ops.dtype(result) == "float32"
        assert_close(result, _expected(model, inputs), atol=1e-5)


def test_masked_inputs_keep_their_mask_handling():
    embedding, lstm = layers.Embedding(10, 3, mask_zero=True), layers.LSTM(2)
    model = lamina.Sequential([lamina.Input((4,), dtype="int32"), embedding, lstm])
    short_model = lamina.Sequential([lamina.Input((2,), dtype="int32"), embedding, lstm])
    tokens = ops.convert_to_tensor(np.array([[1, 2, 0, 0], [3, 0, 0, 0]], "int32"))
    # The padding steps are masked: the padded sequences end where the short ones do.
    expected = ops.convert_to_numpy(short_model(ops.convert_to_tensor(np.array([[1, 2], [3, 0]], "int32"))))
    for _ in range(3):
        assert_close(model(tokens), expected, atol=1e-6)


@pytest.mark.skipif(not EAGER, reason="JAX calls go through the compiled call")
def test_batch_runner_serves_a_series_of_batches_and_gives_way_to_others():
    model = _dense_model()
    first = ops.convert_to_tensor(_inputs(seed=1))
    model(first)  # recorded for the model: the first runner's graph runs record the layers' calls
    for _ in range(2):  # then a runner replays the recorded calls (Graph.direct_chain)
        call = direct_model_call.batch_runner(model, first, False)
        for seed in (1, 2, 3):
            batch = _inputs(seed=seed)
            assert_close(call(ops.convert_to_tensor(batch)), _expected(model, batch))
        partial = _inputs(rows=2, seed=4)
        assert_close(call(ops.convert_to_tensor(partial)), _expected(model, partial))
        assert_close(call(partial), _expected(model, partial))  # a NumPy batch: the ordinary call
    assert model._compiled_call_graph().direct_chain(direct_calls.signature_key((first,), False, None))


@pytest.mark.skipif(not EAGER, reason="JAX calls go through the compiled call")
def test_batch_runner_follows_a_layer_reconfigured_between_batches():
    model = _dense_model()
    first = ops.convert_to_tensor(_inputs(seed=5))
    model(first)
    call = direct_model_call.batch_runner(model, first, False)
    assert_close(call(first), _expected(model, _inputs(seed=5)))
    model.layers[0].activation = lamina.activations.tanh
    assert_close(call(first), _expected(model, _inputs(seed=5)), atol=1e-5)


@pytest.mark.skipif(not EAGER, reason="JAX calls go through the compiled call")
def test_predict_over_many_batches_matches_the_layers_computation():
    model = _dense_model()
    inputs = _inputs(rows=1000, seed=6)  # 31 full batches of 32, then 8 rows
    for _ in range(2):
        assert_close(model.predict(inputs, verbose=0), _expected(model, inputs), atol=1e-5)
