"""Embedding and Masking: harness, masks reaching downstream layers, Keras parity."""

import numpy as np
import pytest
from layers.layer_test_case import run_layer_test
from testing_utils import assert_close

import lamina
from lamina import layers
from lamina import ops
from lamina.backend.common import masking


class MaskedMean(layers.Layer):
    """Averages over the time axis counting only unmasked steps."""

    def call(self, inputs, mask=None):
        if mask is None:
            return ops.mean(inputs, axis=1)
        weights = ops.expand_dims(ops.cast(mask, inputs.dtype), -1)
        return ops.divide(ops.sum(inputs * weights, axis=1), ops.sum(weights, axis=1))


def test_embedding_basics():
    run_layer_test(
        layers.Embedding,
        init_kwargs={"input_dim": 5, "output_dim": 3},
        input_data=np.array([[0, 1, 4], [2, 3, 3]], dtype="int32"),
        expected_output_shape=(2, 3, 3),
        expected_output_dtype="float32",
        expected_num_trainable_weights=1,
        expected_num_non_trainable_weights=0,
        supports_masking=False,
    )


def test_embedding_mask_zero_basics():
    run_layer_test(
        layers.Embedding,
        init_kwargs={"input_dim": 5, "output_dim": 2, "mask_zero": True},
        input_data=np.array([[0, 1], [2, 0]], dtype="int64"),
        expected_output_shape=(2, 2, 2),
        supports_masking=True,
    )


def test_embedding_lookup_and_names():
    layer = layers.Embedding(4, 2)
    outputs = layer(ops.convert_to_tensor(np.array([[3, 1]], dtype="int32")))
    table = ops.convert_to_numpy(layer.embeddings)
    assert_close(outputs, table[[[3, 1]]])
    assert layer.embeddings.path == f"{layer.name}/embeddings"
    assert layer.name.startswith("embedding")


def test_embedding_mask_reaches_downstream_layer():
    data = np.array([[1, 2, 0, 0], [3, 0, 0, 0]], dtype="int32")
    embedding = layers.Embedding(5, 2, mask_zero=True)
    embedded = embedding(ops.convert_to_tensor(data))
    pooled = MaskedMean()(embedded)
    table = ops.convert_to_numpy(embedding.embeddings)
    expected = np.stack([table[[1, 2]].mean(0), table[3]])
    assert_close(pooled, expected)


def test_embedding_mask_in_functional_model():
    inputs = lamina.Input((4,), dtype="int32")
    embedding = layers.Embedding(5, 2, mask_zero=True)
    outputs = MaskedMean()(embedding(inputs))
    model = lamina.Model(inputs, outputs)
    data = np.array([[4, 0, 0, 0]], dtype="int32")
    table = ops.convert_to_numpy(embedding.embeddings)
    assert_close(model(ops.convert_to_tensor(data)), table[[4]])


def test_embedding_input_length_warns():
    with pytest.warns(UserWarning, match="input_length"):
        layer = layers.Embedding(5, 2, input_length=3)
    assert "input_length" not in layer.get_config()


def test_embedding_bad_arguments():
    with pytest.raises(ValueError, match="Embedding layer .* input_dim"):
        layers.Embedding(0, 2)
    with pytest.raises(ValueError, match="output_dim"):
        layers.Embedding(3, 2.5)


def test_embedding_initial_weights():
    table = np.arange(6, dtype="float32").reshape(3, 2)
    layer = layers.Embedding(3, 2, weights=[table])
    assert_close(layer(ops.convert_to_tensor(np.array([2], dtype="int32"))), table[[2]])


def test_masking_basics():
    run_layer_test(
        layers.Masking,
        init_kwargs={"mask_value": 0.5},
        input_shape=(2, 3, 4),
        expected_output_shape=(2, 3, 4),
        supports_masking=True,
        assert_built_after_instantiation=True,
    )


def test_masking_values_and_mask():
    data = np.array([[[1.0, 2.0], [-1.0, -1.0], [3.0, -1.0]]], dtype="float32")
    outputs = layers.Masking(mask_value=-1.0)(ops.convert_to_tensor(data))
    expected = data.copy()
    expected[0, 1] = 0.0
    assert_close(outputs, expected)
    mask = ops.convert_to_numpy(masking.get_keras_mask(outputs))
    assert mask.tolist() == [[True, False, True]]
    pooled = MaskedMean()(outputs)
    assert_close(pooled, np.array([[2.0, 0.5]], dtype="float32"))


def test_embedding_matches_keras(keras):
    data = np.array([[0, 1, 4], [2, 3, 0]], dtype="int32")
    theirs = keras.layers.Embedding(5, 3, mask_zero=True, name="embedding")
    expected = np.array(theirs(data))
    expected_mask = np.array(theirs.compute_mask(data))
    ours = layers.Embedding(5, 3, mask_zero=True, name="embedding")
    ours.build((2, 3))
    ours.set_weights([np.array(v.value) for v in theirs.weights])
    outputs = ours(ops.convert_to_tensor(data))
    assert_close(outputs, expected, atol=1e-6)
    assert np.array_equal(ops.convert_to_numpy(masking.get_keras_mask(outputs)), expected_mask)
    config = theirs.get_config()
    assert ours.get_config() == config
    assert layers.Embedding.from_config(theirs.get_config()).get_config() == config


def test_masking_matches_keras(keras):
    rng = np.random.default_rng(0)
    data = rng.integers(0, 2, (2, 4, 3)).astype("float32")
    expected = np.array(keras.layers.Masking(mask_value=1.0)(data))
    assert_close(layers.Masking(mask_value=1.0)(ops.convert_to_tensor(data)), expected)
    config = keras.layers.Masking(mask_value=2.0, name="masking").get_config()
    assert layers.Masking(mask_value=2.0, name="masking").get_config() == config
