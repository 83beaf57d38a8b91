"""TimeDistributed: harness, a NumPy reference, masking, training and Keras 3 parity."""

import numpy as np
import pytest
from layers.layer_test_case import run_layer_test
from testing_utils import assert_close

import lamina
from lamina import layers
from lamina import ops
from lamina.backend.common import masking


def test_time_distributed_dense_basics():
    run_layer_test(
        layers.TimeDistributed,
        init_kwargs={"layer": layers.Dense(3)},
        input_shape=(2, 4, 5),
        expected_output_shape=(2, 4, 3),
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=0,
        supports_masking=True,
    )


def test_time_distributed_conv2d_basics():
    run_layer_test(
        layers.TimeDistributed,
        init_kwargs={"layer": layers.Conv2D(2, 3)},
        input_shape=(2, 3, 6, 6, 1),
        expected_output_shape=(2, 3, 4, 4, 2),
        expected_num_trainable_weights=2,
    )


def test_every_timestep_uses_the_same_weights():
    layer = layers.TimeDistributed(layers.Dense(3))
    inputs = np.random.default_rng(0).standard_normal((2, 5, 4)).astype("float32")
    outputs = layer(inputs)
    kernel, bias = layer.layer.kernel.numpy(), layer.layer.bias.numpy()
    assert_close(outputs, inputs @ kernel + bias)


def test_symbolic_call_keeps_the_inner_dtype_and_unknown_batch():
    inputs = lamina.Input((7,), dtype="int32")
    outputs = layers.TimeDistributed(layers.Embedding(10, 3))(layers.Reshape((7, 1))(inputs))
    assert outputs.shape == (None, 7, 1, 3)
    assert outputs.dtype == "float32"


def test_mask_propagates_and_reaches_the_wrapped_layer():
    seen = {}

    class MaskRecorder(layers.Layer):
        def call(self, inputs, mask=None):
            seen["mask"] = mask
            return inputs

        def compute_mask(self, inputs, previous_mask):
            return previous_mask

    tokens = np.array([[3, 1, 0, 0], [2, 0, 0, 0]])
    embedded = layers.Embedding(5, 2, mask_zero=True)(tokens)
    outputs = layers.TimeDistributed(MaskRecorder())(embedded)
    assert_close(seen["mask"], (tokens != 0).reshape(-1))
    assert_close(masking.get_keras_mask(outputs), tokens != 0)


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match="TimeDistributed layer 'td' expects one input of rank >= 3"):
        layers.TimeDistributed(layers.Dense(2), name="td")(ops.ones((2, 3)))


@pytest.mark.requires_trainable_backend
def test_trains_inside_a_model():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 5, 3)).astype("float32")
    y = (x.sum(axis=-1, keepdims=True) > 0).astype("float32")
    model = lamina.Sequential(
        [lamina.Input((5, 3)), layers.TimeDistributed(layers.Dense(1, activation="sigmoid"))]
    )
    model.compile(optimizer=lamina.optimizers.Adam(0.1), loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=15, batch_size=16, verbose=0)
    assert history.history["accuracy"][-1] > 0.9


def test_matches_keras(keras):
    ours = layers.TimeDistributed(layers.Dense(3, activation="tanh", name="dense"), name="time_distributed")
    # Keras builds on its first call; its weights are then given to lamina.
    theirs = keras.layers.TimeDistributed(
        keras.layers.Dense(3, activation="tanh", name="dense"), name="time_distributed"
    )
    inputs = np.random.default_rng(1).standard_normal((2, 4, 5)).astype("float32")
    theirs(inputs)
    ours.build(inputs.shape)
    ours.set_weights([np.asarray(w.value) for w in theirs.weights])
    assert_close(ours(inputs), np.asarray(theirs(inputs)), atol=1e-5)
    assert [w.path.split("/", 1)[1] for w in ours.weights] == [
        w.path.split("/", 1)[1] for w in theirs.weights
    ]
    ours_config, theirs_config = ours.get_config(), theirs.get_config()
    assert list(ours_config) == list(theirs_config)
    assert ours_config["layer"]["class_name"] == theirs_config["layer"]["class_name"]
    assert ours_config["layer"]["config"].keys() == theirs_config["layer"]["config"].keys()
