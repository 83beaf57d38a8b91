"""SimpleRNN, LSTM, GRU, RNN and StackedRNNCells through run_layer_test, plus their behaviours."""

import numpy as np
import pytest
from layers.layer_test_case import run_layer_test
from testing_utils import assert_close

import lamina
from lamina import layers
from lamina import ops

RECURRENT_LAYERS = [layers.SimpleRNN, layers.LSTM, layers.GRU]


@lamina.saving.register_keras_serializable(package="rnn_tests")
class MinimalCell(layers.Layer):
    """A custom cell: a running sum of projected inputs (one state)."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")

    def call(self, inputs, states):
        output = ops.matmul(inputs, self.kernel) + states[0]
        return output, [output]

    def get_config(self):
        config = super().get_config()
        config["units"] = self.units
        return config


@pytest.mark.parametrize("layer_cls", RECURRENT_LAYERS)
@pytest.mark.parametrize(
    "kwargs, expected_shape",
    [
        ({}, (2, 4)),
        ({"return_sequences": True, "go_backwards": True}, (2, 3, 4)),
        ({"dropout": 0.5, "recurrent_dropout": 0.5, "seed": 1}, (2, 4)),
    ],
)
def test_layer_basics(layer_cls, kwargs, expected_shape):
    run_layer_test(
        layer_cls,
        init_kwargs={"units": 4, **kwargs},
        input_shape=(2, 3, 5),
        call_kwargs={"training": True} if "dropout" in kwargs else None,
        expected_output_shape=expected_shape,
        expected_num_trainable_weights=3,
        expected_num_non_trainable_weights=0,
        expected_num_seed_generators=1,
        supports_masking=True,
    )


def test_return_state_shapes():
    run_layer_test(
        layers.LSTM,
        init_kwargs={"units": 2, "return_state": True},
        input_shape=(3, 4, 5),
        expected_output_shape=[(3, 2), (3, 2), (3, 2)],
    )


def test_rnn_with_custom_and_stacked_cells():
    run_layer_test(
        layers.RNN,
        init_kwargs={"cell": MinimalCell(3), "return_sequences": True},
        input_shape=(2, 4, 5),
        expected_output_shape=(2, 4, 3),
        expected_num_trainable_weights=1,
    )
    run_layer_test(
        layers.RNN,
        init_kwargs={"cell": [layers.LSTMCell(3), layers.GRUCell(2)]},
        input_shape=(2, 4, 5),
        expected_output_shape=(2, 2),
        expected_num_trainable_weights=6,
    )


def test_custom_cell_matches_a_numpy_loop():
    layer = layers.RNN(MinimalCell(2), return_sequences=True, go_backwards=True)
    x = np.random.default_rng(0).standard_normal((2, 3, 4)).astype("float32")
    outputs = layer(x)
    kernel = layer.cell.kernel.numpy()
    expected = np.cumsum(x[:, ::-1] @ kernel, axis=1)
    assert_close(outputs, expected)


def test_stacked_cells_state_structure_and_names():
    cells = [layers.LSTMCell(3), layers.SimpleRNNCell(2)]
    layer = layers.RNN(cells, return_state=True, name="rnn")
    output, lstm_states, simple_states = layer(np.ones((2, 4, 5), "float32"))
    assert [tuple(s.shape) for s in lstm_states] == [(2, 3), (2, 3)]
    assert [tuple(s.shape) for s in simple_states] == [(2, 2)]
    assert [w.path for w in layer.weights][0] == "rnn/stacked_rnn_cells/lstm_cell/kernel"
    assert_close(output, ops.convert_to_numpy(simple_states[0]))


@pytest.mark.parametrize("layer_cls", RECURRENT_LAYERS)
def test_mask_keeps_previous_output_and_states(layer_cls):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 5, 3)).astype("float32")
    mask = np.array([[1, 1, 0, 1, 0], [1, 0, 0, 0, 0]], bool)
    layer = layer_cls(4, return_sequences=True)
    outputs = ops.convert_to_numpy(layer(x, mask=mask))
    np.testing.assert_allclose(outputs[0, 2], outputs[0, 1])
    np.testing.assert_allclose(outputs[0, 4], outputs[0, 3])
    np.testing.assert_allclose(outputs[1, 4], outputs[1, 0])
    # Dropping the masked steps altogether gives the same last output.
    layer_last = layer_cls.from_config(layer.get_config() | {"return_sequences": False})
    layer_last(x[:1])
    layer_last.set_weights(layer.get_weights())
    np.testing.assert_allclose(
        ops.convert_to_numpy(layer_last(x[:1, [0, 1, 3]]))[0], outputs[0, 4], rtol=1e-5, atol=1e-6
    )
    zeroed = layer_cls.from_config(layer.get_config() | {"zero_output_for_mask": True})
    zeroed(x)
    zeroed.set_weights(layer.get_weights())
    zero_outputs = ops.convert_to_numpy(zeroed(x, mask=mask))
    np.testing.assert_allclose(zero_outputs[1, 1:], 0.0)
    np.testing.assert_allclose(zero_outputs[0, :2], outputs[0, :2], rtol=1e-6)


def test_mask_propagation():
    inputs = lamina.Input((4,), dtype="int32")
    embedded = layers.Embedding(10, 3, mask_zero=True)(inputs)
    sequences = layers.LSTM(2, return_sequences=True)(embedded)
    assert lamina.backend.common.masking.get_keras_mask(sequences) is not None
    last = layers.LSTM(2)(embedded)
    assert lamina.backend.common.masking.get_keras_mask(last) is None
    assert layers.GRU(2, return_sequences=True).compute_mask(None, "mask") == "mask"
    assert layers.GRU(2).compute_mask(None, "mask") is None


def test_initial_state_is_used():
    layer = layers.SimpleRNN(2, activation=None, use_bias=False)
    x = np.zeros((1, 3, 4), "float32")
    layer(x)
    layer.set_weights([np.zeros((4, 2)), np.eye(2)])
    output = layer(x, initial_state=[np.array([[1.0, 2.0]], "float32")])
    assert_close(output, np.array([[1.0, 2.0]]))


def test_stateful_states_persist_and_reset():
    layer = layers.SimpleRNN(2, stateful=True, activation=None, use_bias=False)
    x = np.ones((1, 2, 1), "float32")
    layer(x)
    layer.set_weights([np.ones((1, 2)), np.eye(2)])
    layer.reset_state()
    assert_close(layer(x), np.array([[2.0, 2.0]]))
    assert_close(layer(x), np.array([[4.0, 4.0]]))
    assert [v.path for v in layer.states] == ["simple_rnn/rnn_state"]
    assert len(layer.weights) == 2
    assert any(v is layer.states[0] for v in layer.non_trainable_variables)
    layer.reset_states()
    assert_close(layer(x), np.array([[2.0, 2.0]]))


@pytest.mark.requires_trainable_backend
def test_stateful_states_are_threaded_through_a_compiled_fit():
    layer = layers.SimpleRNN(2, stateful=True)
    model = lamina.Sequential([lamina.Input((2, 1), batch_size=1), layer])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(
        np.ones((2, 2, 1), "float32"), np.zeros((2, 2), "float32"), batch_size=1, shuffle=False, verbose=0
    )
    assert np.abs(layer.states[0].numpy()).sum() > 0
    layer.reset_state()
    np.testing.assert_array_equal(layer.states[0].numpy(), 0.0)


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match="LSTM layer 'lstm'.*rank 3"):
        layers.LSTM(2)(np.ones((2, 3), "float32"))
    with pytest.raises(ValueError, match="expects 2 initial state"):
        layers.LSTM(2)(np.ones((2, 3, 4), "float32"), initial_state=[np.zeros((2, 2), "float32")])
    with pytest.raises(ValueError, match=r"initial_state\[0\] of shape \(2, 3\)"):
        layers.GRU(3)(np.ones((2, 3, 4), "float32"), initial_state=[np.zeros((2, 5), "float32")])
    with pytest.raises(ValueError, match="stateful, so it needs a fixed batch size"):
        layers.GRU(3, stateful=True)(lamina.KerasTensor((None, 3, 4)))
    with pytest.raises(ValueError, match="units to be a positive integer"):
        layers.SimpleRNN(0)
    with pytest.raises(ValueError, match="state_size"):
        layers.RNN(layers.Dense(2))


def test_dropout_masks_are_drawn_once_per_call():
    cell = layers.SimpleRNNCell(3, dropout=0.5, seed=2)
    layer = layers.RNN(cell, return_sequences=True)
    x = np.ones((2, 6, 8), "float32")
    layer(x)
    layer.set_weights([np.eye(8, 3), np.zeros((3, 3)), np.zeros(3)])
    cell.activation = None
    outputs = ops.convert_to_numpy(layer(x, training=True))
    # Without recurrence every step sees the same dropped inputs.
    np.testing.assert_allclose(outputs, np.repeat(outputs[:, :1], 6, axis=1))
    assert cell._dropout_mask is None
    assert_close(layer(x, training=False), np.ones((2, 6, 3)))


def test_cells_match_numpy_formulas():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 3)).astype("float32")
    h = rng.standard_normal((2, 4)).astype("float32")
    c = rng.standard_normal((2, 4)).astype("float32")
    cell = layers.LSTMCell(4)
    output, (new_h, new_c) = cell(
        ops.convert_to_tensor(x), [ops.convert_to_tensor(h), ops.convert_to_tensor(c)]
    )
    kernel, recurrent, bias = cell.get_weights()
    np.testing.assert_allclose(bias[4:8], 1.0)

    def sigmoid(v):
        return 1 / (1 + np.exp(-v))

    z = x @ kernel + h @ recurrent + bias
    i, f, g, o = np.split(z, 4, axis=-1)
    expected_c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    assert_close(new_c, expected_c)
    assert_close(output, sigmoid(o) * np.tanh(expected_c))
    gru = layers.GRUCell(4, reset_after=False)
    output, _ = gru(ops.convert_to_tensor(x), [ops.convert_to_tensor(h)])
    kernel, recurrent, bias = gru.get_weights()
    xz, xr, xh = np.split(x @ kernel + bias, 3, axis=-1)
    update = sigmoid(xz + h @ recurrent[:, :4])
    reset = sigmoid(xr + h @ recurrent[:, 4:8])
    candidate = np.tanh(xh + (reset * h) @ recurrent[:, 8:])
    assert_close(output, update * h + (1 - update) * candidate)


def _encoder_decoder():
    encoder_inputs = lamina.Input((None, 4))
    _, state_h, _ = layers.LSTM(3, return_state=True)(encoder_inputs)
    decoder_inputs = lamina.Input((None,), dtype="int32")
    embedded = layers.Embedding(5, 4, mask_zero=True)(decoder_inputs)
    outputs = layers.GRU(3, return_sequences=True)(embedded, initial_state=[state_h])
    model = lamina.Model([encoder_inputs, decoder_inputs], outputs)
    encoder_data = np.random.default_rng(0).random((2, 5, 4)).astype("float32")
    tokens = np.array([[1, 2, 0, 0], [3, 0, 4, 0]], "int32")
    return model, [encoder_data, tokens]


def test_encoder_decoder_with_symbolic_initial_state_and_mask():
    model, data = _encoder_decoder()
    eager = ops.convert_to_numpy(model(data))
    np.testing.assert_allclose(eager[0, 2:], np.stack([eager[0, 1]] * 2))
    np.testing.assert_allclose(eager[1, 1], eager[1, 0])


@pytest.mark.jax_only
def test_compiled_predict_runs_the_scan_path_like_the_eager_loop():
    model, data = _encoder_decoder()
    eager = ops.convert_to_numpy(model(data))
    np.testing.assert_allclose(model.predict(data, verbose=0), eager, rtol=1e-5, atol=1e-6)
