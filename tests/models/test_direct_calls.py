"""Direct layer calls in eager Functional runs equal the full `Layer.__call__` path."""

import numpy as np
import pytest

import lamina
from lamina import layers
from lamina import ops
from lamina.models import direct_calls
from tests.testing_utils import assert_close


@pytest.fixture
def full_path_only(monkeypatch):
    """Runs a block with direct calls switched off (every node through `Layer.__call__`)."""

    def switch_off():
        monkeypatch.setattr(direct_calls, "signature_key", lambda *args: None)

    return switch_off


def _direct_flags(model, inputs, training=False):
    graph = model._functional._graph if isinstance(model, lamina.Sequential) else model._graph
    key = direct_calls.signature_key([ops.convert_to_tensor(inputs)], training, None)
    record = graph._plan.direct_calls.record(key)
    return None if record is None else record[0]


def _outputs(model, inputs, **kwargs):
    return ops.convert_to_numpy(model(ops.convert_to_tensor(inputs), **kwargs))


def test_plain_layers_are_called_directly_with_equal_results(full_path_only):
    model = lamina.Sequential([lamina.Input((5,)), layers.Dense(4, activation="relu"), layers.Dense(3)])
    inputs = np.random.default_rng(0).normal(size=(6, 5)).astype("float32")
    first = _outputs(model, inputs)
    second = _outputs(model, inputs)
    assert _direct_flags(model, inputs) == (True, True)
    third = _outputs(model, inputs)  # replays the recorded chain of direct calls
    full_path_only()
    assert_close(_outputs(model, inputs), first)
    assert_close(third, first)
    assert_close(second, first)


def test_a_new_input_signature_is_recorded_on_its_own():
    model = lamina.Sequential([lamina.Input((5,)), layers.Dense(2)])
    inputs = np.ones((4, 5), "float32")
    _outputs(model, inputs)
    _outputs(model, inputs)
    assert _direct_flags(model, inputs[:3]) is None
    expected = ops.convert_to_numpy(ops.matmul(inputs[:3], model.layers[0].kernel) + model.layers[0].bias)
    assert_close(_outputs(model, inputs[:3]), expected)


@pytest.mark.requires_trainable_backend
def test_training_flag_reaches_direct_calls(full_path_only):
    inputs_tensor = lamina.Input((8,))
    dropped = layers.Dropout(0.5, seed=3)(inputs_tensor)
    normalized = layers.BatchNormalization()(dropped)
    model = lamina.Model(inputs_tensor, [dropped, normalized])
    inputs = np.random.default_rng(1).normal(size=(16, 8)).astype("float32")

    def run(**kwargs):
        return [ops.convert_to_numpy(value) for value in model(ops.convert_to_tensor(inputs), **kwargs)]

    for _ in range(3):
        training_dropped, _ = run(training=True)
        inference_dropped, inference_normalized = run()
    assert _direct_flags(model, inputs, training=True) == (True, True)
    # Dropout zeroes entries only in training; BatchNorm moved its moving statistics.
    assert np.mean(training_dropped == 0) > 0.2
    assert_close(inference_dropped, inputs)
    moving_mean = ops.convert_to_numpy(model.layers[-1].moving_mean)
    assert np.abs(moving_mean).max() > 0
    full_path_only()
    assert_close(run()[1], inference_normalized)


def test_masks_and_casts_keep_the_full_path():
    model = lamina.Sequential(
        [
            lamina.Input((4,), dtype="int32"),
            layers.Embedding(10, 3, mask_zero=True),
            layers.GlobalAveragePooling1D(),
            layers.Dense(2),
        ]
    )
    tokens = np.array([[1, 2, 0, 0], [3, 0, 0, 0]], "int32")
    first = _outputs(model, tokens)
    second = _outputs(model, tokens)
    flags = _direct_flags(model, tokens)
    assert flags is not None and not flags[0] and not flags[1]
    assert_close(second, first)
    embeddings = ops.convert_to_numpy(model.layers[0].embeddings)
    pooled = np.stack([embeddings[[1, 2]].mean(axis=0), embeddings[[3]].mean(axis=0)])
    dense = model.layers[-1]
    expected = pooled @ ops.convert_to_numpy(dense.kernel) + ops.convert_to_numpy(dense.bias)
    assert_close(second, expected, atol=1e-5)


def test_a_layer_reconfigured_after_recording_takes_effect():
    model = lamina.Sequential([lamina.Input((3,)), layers.Dense(2, name="dense_regularized")])
    inputs = np.ones((2, 3), "float32")
    _outputs(model, inputs)
    _outputs(model, inputs)
    assert model.losses == []
    model.layers[0].activity_regularizer = lamina.regularizers.L2(0.1)
    outputs = _outputs(model, inputs)
    assert len(model.losses) == 1
    expected = 0.1 * np.sum(outputs**2) / 2
    assert_close(ops.convert_to_numpy(model.losses[0]), expected, atol=1e-5)


def test_mixed_precision_layers_cast_their_inputs():
    inputs_tensor = lamina.Input((3,))
    hidden = layers.Dense(4, dtype="mixed_float16")(inputs_tensor)
    outputs = layers.Dense(2, dtype="float32")(hidden)
    model = lamina.Model(inputs_tensor, outputs)
    inputs = np.ones((2, 3), "float32")
    _outputs(model, inputs)
    result = model(ops.convert_to_tensor(inputs))
    assert ops.dtype(result) == "float32"
    flags = _direct_flags(model, inputs)
    assert flags == (False, False)


def test_a_node_with_a_fixed_training_argument_takes_the_full_path():
    inputs_tensor = lamina.Input((4,))
    frozen = layers.Dropout(0.9, seed=1)(inputs_tensor, training=False)
    model = lamina.Model(inputs_tensor, layers.Dense(2)(frozen))
    inputs = np.ones((8, 4), "float32")
    _outputs(model, inputs, training=True)
    _outputs(model, inputs, training=True)
    assert _direct_flags(model, inputs, training=True) == (False, True)
    dense = model.layers[-1]
    expected = inputs @ ops.convert_to_numpy(dense.kernel) + ops.convert_to_numpy(dense.bias)
    assert_close(_outputs(model, inputs, training=True), expected, atol=1e-5)


def test_signature_key_refuses_masked_inputs_and_symbolic_training():
    value = ops.ones((2, 3))
    assert direct_calls.signature_key([value], True, None)[0] is True
    assert direct_calls.signature_key([value], False, mask=ops.ones((2,))) is None
    assert direct_calls.signature_key([value], 1, None) is None
    assert direct_calls.signature_key(["text"], False, None) is None
