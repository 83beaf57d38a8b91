"""Bidirectional: harness, merge modes, states, masking, training and Keras 3 parity."""

import numpy as np
import pytest
from layers.layer_test_case import run_layer_test
from testing_utils import assert_close

import lamina
from lamina import layers
from lamina import ops
from lamina.backend.common import masking


def _sequences(shape=(2, 5, 3), seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


@pytest.mark.parametrize(
    "merge_mode, return_sequences, expected_shape",
    [("concat", False, (2, 8)), ("sum", True, (2, 5, 4)), ("ave", False, (2, 4)), ("mul", True, (2, 5, 4))],
)
def test_bidirectional_basics(merge_mode, return_sequences, expected_shape):
    run_layer_test(
        layers.Bidirectional,
        init_kwargs={"layer": layers.LSTM(4, return_sequences=return_sequences), "merge_mode": merge_mode},
        input_shape=(2, 5, 3),
        expected_output_shape=expected_shape,
        expected_num_trainable_weights=6,
        expected_num_non_trainable_weights=0,
        supports_masking=True,
    )


def test_directions_are_renamed_copies_in_forward_then_backward_order():
    layer = layers.Bidirectional(layers.GRU(2, name="gru"), name="bidirectional")
    layer.build((None, 3, 4))
    assert layer.forward_layer.name == "forward_gru" and not layer.forward_layer.go_backwards
    assert layer.backward_layer.name == "backward_gru" and layer.backward_layer.go_backwards
    assert [w.path for w in layer.weights][::3] == [
        "bidirectional/forward_gru/gru_cell/kernel",
        "bidirectional/backward_gru/gru_cell/kernel",
    ]


def test_outputs_combine_a_forward_and_a_time_reversed_run():
    inputs = _sequences()
    layer = layers.Bidirectional(layers.SimpleRNN(3, return_sequences=True), merge_mode=None)
    forward, backward = layer(inputs)
    # The backward copy run on the reversed sequence, then put back in time order.
    plain = layers.SimpleRNN(3, return_sequences=True)
    plain.build(inputs.shape)
    plain.set_weights(layer.backward_layer.get_weights())
    assert_close(backward, np.flip(ops.convert_to_numpy(plain(np.flip(inputs, axis=1).copy())), axis=1))
    plain.set_weights(layer.forward_layer.get_weights())
    assert_close(forward, plain(inputs))


def test_return_state_lists_forward_then_backward_states():
    layer = layers.Bidirectional(layers.LSTM(3, return_state=True))
    outputs = layer(_sequences())
    assert [tuple(o.shape) for o in outputs] == [(2, 6)] + [(2, 3)] * 4
    symbolic = layer(lamina.Input((5, 3)))
    assert [o.shape for o in symbolic] == [(None, 6)] + [(None, 3)] * 4


def test_initial_state_is_split_between_directions():
    inputs = _sequences()
    layer = layers.Bidirectional(layers.GRU(3), merge_mode=None)
    forward_state = np.ones((2, 3), "float32")
    backward_state = -np.ones((2, 3), "float32")
    forward, backward = layer(inputs, initial_state=[forward_state, backward_state])
    assert_close(forward, layer.forward_layer(inputs, initial_state=[forward_state]))
    assert_close(backward, layer.backward_layer(inputs, initial_state=[backward_state]))
    with pytest.raises(ValueError, match="Bidirectional layer .* even count"):
        layer(inputs, initial_state=[forward_state])


def test_mask_is_used_and_propagated():
    tokens = np.array([[3, 1, 2, 0, 0], [2, 4, 0, 0, 0]])
    embedded = layers.Embedding(5, 3, mask_zero=True)(tokens)
    layer = layers.Bidirectional(layers.LSTM(2, return_sequences=True))
    outputs = layer(embedded)
    assert_close(masking.get_keras_mask(outputs), tokens != 0)
    # Padding does not change the backward direction's result at the real steps.
    short = layer(ops.convert_to_numpy(embedded)[:1, :3])
    assert_close(ops.convert_to_numpy(outputs)[:1, :3], short, atol=1e-5)


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match="Bidirectional layer 'bi' expects `layer` to be a recurrent layer"):
        layers.Bidirectional(layers.Dense(2), name="bi")
    with pytest.raises(ValueError, match="Bidirectional layer 'bi' expects merge_mode"):
        layers.Bidirectional(layers.LSTM(2), merge_mode="max", name="bi")
    with pytest.raises(ValueError, match="Bidirectional layer 'bi' expects backward_layer.go_backwards"):
        layers.Bidirectional(layers.LSTM(2), backward_layer=layers.LSTM(2), name="bi")
    with pytest.raises(ValueError, match="Bidirectional layer 'bi' expects layer and backward_layer"):
        layers.Bidirectional(
            layers.LSTM(2), backward_layer=layers.LSTM(2, go_backwards=True, return_sequences=True), name="bi"
        )


def test_custom_backward_layer_and_config_round_trip():
    layer = layers.Bidirectional(
        layers.LSTM(2, name="ahead"),
        backward_layer=layers.GRU(2, go_backwards=True, name="behind"),
        merge_mode="sum",
    )
    clone = layers.Bidirectional.from_config(layer.get_config())
    assert type(clone.backward_layer).__name__ == "GRU"
    assert clone.get_config() == layer.get_config()


@pytest.mark.requires_trainable_backend
def test_trains_on_a_sequence_task():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((256, 8, 2)).astype("float32")
    # The label depends on the first and the last step: both directions help.
    y = ((x[:, 0, 0] + x[:, -1, 1]) > 0).astype("float32")[:, None]
    model = lamina.Sequential(
        [lamina.Input((8, 2)), layers.Bidirectional(layers.GRU(8)), layers.Dense(1, activation="sigmoid")]
    )
    model.compile(optimizer=lamina.optimizers.Adam(0.02), loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=20, batch_size=32, verbose=0)
    assert history.history["accuracy"][-1] > 0.9


@pytest.mark.parametrize(
    "recurrent, kwargs",
    [
        ("LSTM", {"merge_mode": "concat"}),
        ("GRU", {"merge_mode": "sum"}),
        ("SimpleRNN", {"merge_mode": "mul"}),
        ("LSTM", {"merge_mode": None}),
    ],
)
@pytest.mark.parametrize("return_sequences", [False, True])
def test_matches_keras(keras, recurrent, kwargs, return_sequences):
    inputs = _sequences((3, 6, 4), seed=1)
    theirs = keras.layers.Bidirectional(
        getattr(keras.layers, recurrent)(3, return_sequences=return_sequences, return_state=True, name="rnn"),
        **kwargs,
    )
    expected = theirs(inputs)
    ours = layers.Bidirectional(
        getattr(layers, recurrent)(3, return_sequences=return_sequences, return_state=True, name="rnn"),
        **kwargs,
    )
    ours.build(inputs.shape)
    ours.set_weights([np.array(w.value) for w in theirs.weights])
    got = ours(inputs)
    assert len(got) == len(expected)
    for our_output, their_output in zip(got, expected):
        assert_close(our_output, np.asarray(their_output), atol=1e-5)
    assert [w.path.split("/", 1)[1] for w in ours.weights] == [
        w.path.split("/", 1)[1] for w in theirs.weights
    ]
    assert list(ours.get_config()) == list(theirs.get_config())
