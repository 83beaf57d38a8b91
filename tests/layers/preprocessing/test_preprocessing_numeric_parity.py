"""Normalization, Discretization and CategoryEncoding: the harness, and parity with Keras 3 (the oracle)."""

import json

import numpy as np
import pytest
from layers.layer_test_case import run_layer_test

import lamina
from lamina import layers
from lamina import ops


def numpy_of(x):
    return np.asarray(ops.convert_to_numpy(x))


def keras_weights(layer):
    # Keras's own get_weights() trips a NumPy 2 DeprecationWarning (an error here); read the values.
    return [np.asarray(weight.value) for weight in layer.weights]


# -- Normalization -------------------------------------------------------------------------


def test_normalization_harness_with_given_statistics():
    data = np.random.default_rng(0).normal(size=(3, 4)).astype("float32")
    mean = np.array([0.5, -1.0, 2.0, 0.0], dtype="float32")
    variance = np.array([4.0, 1.0, 0.25, 9.0], dtype="float32")
    run_layer_test(
        layers.Normalization,
        init_kwargs={"mean": mean.tolist(), "variance": variance.tolist()},
        input_data=data,
        expected_output_shape=(3, 4),
        expected_output=(data - mean) / np.sqrt(variance),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
    )


def test_normalization_harness_adaptable():
    run_layer_test(
        layers.Normalization,
        init_kwargs={"axis": -1},
        input_shape=(3, 5),
        expected_output_shape=(3, 5),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=3,
    )


@pytest.mark.parametrize("axis, shape", [(-1, (16, 3)), (None, (16, 3)), ((1, 2), (8, 2, 3))])
def test_normalization_adapt_matches_keras(keras, axis, shape):
    data = np.random.default_rng(1).normal(2.0, 3.0, size=shape).astype("float32")
    ours = layers.Normalization(axis=axis)
    theirs = keras.layers.Normalization(axis=axis)
    ours.adapt(data)
    theirs.adapt(data)
    assert [w.path for w in ours.weights] == [
        "normalization/mean",
        "normalization/variance",
        "normalization/count",
    ]
    for mine, reference in zip(ours.get_weights(), keras_weights(theirs)):
        np.testing.assert_allclose(mine, reference, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(numpy_of(ours(data)), np.asarray(theirs(data)), rtol=1e-5, atol=1e-5)


def test_normalization_adapt_on_batches_matches_numpy():
    # Keras needs TensorFlow to adapt on an iterable, so the reference is the closed form.
    data = np.random.default_rng(4).normal(2.0, 3.0, size=(9, 2, 3)).astype("float32")
    layer = layers.Normalization(axis=1)
    layer.adapt([data[:4], data[4:]])
    mean, variance, count = layer.get_weights()
    np.testing.assert_allclose(mean, data.mean(axis=(0, 2)), rtol=1e-5)
    np.testing.assert_allclose(variance, data.var(axis=(0, 2)), rtol=1e-5)
    assert count == 0


def test_normalization_invert_and_weight_transfer_match_keras(keras):
    data = np.random.default_rng(2).normal(size=(6, 4)).astype("float32")
    theirs = keras.layers.Normalization(invert=True)
    theirs.adapt(data * 3 + 1)
    ours = layers.Normalization(invert=True)
    ours.build((None, 4))
    ours.set_weights(keras_weights(theirs))
    np.testing.assert_allclose(numpy_of(ours(data)), np.asarray(theirs(data)), rtol=1e-5, atol=1e-5)
    assert ours.get_config()["axis"] == (-1,)
    config = theirs.get_config()
    assert layers.Normalization.from_config(config).get_config()["invert"] is True


def test_normalization_adapt_batch_size_and_steps_are_consistent():
    data = np.arange(40, dtype="float32").reshape(20, 2)
    whole = layers.Normalization()
    whole.adapt(data)
    chunked = layers.Normalization()
    chunked.adapt(data, batch_size=3)
    for a, b in zip(whole.get_weights(), chunked.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5)
    first_only = layers.Normalization()
    first_only.adapt(iter([data[:4], data[4:]]), steps=1)
    np.testing.assert_allclose(first_only.get_weights()[0], data[:4].mean(axis=0), rtol=1e-6)


def test_normalization_errors_name_the_layer():
    with pytest.raises(ValueError, match="Normalization layer .* both mean and variance"):
        layers.Normalization(mean=1.0)
    layer = layers.Normalization(axis=3)
    with pytest.raises(ValueError, match="Normalization layer .*axis"):
        layer.build((None, 2))
    adapted = layers.Normalization()
    adapted.adapt(np.ones((4, 3), dtype="float32"))
    with pytest.raises(ValueError, match="Normalization layer .*built for inputs of shape"):
        adapted.adapt(np.ones((4, 5), dtype="float32"))


def test_normalization_in_functional_model():
    layer = layers.Normalization(mean=[1.0, 2.0], variance=[1.0, 4.0])
    inputs = lamina.Input(shape=(2,))
    outputs = layer(inputs)
    assert outputs.shape == (None, 2)
    model = lamina.Model(inputs, outputs)
    result = numpy_of(model(np.array([[2.0, 4.0]], dtype="float32")))
    np.testing.assert_allclose(result, [[1.0, 1.0]], rtol=1e-6)


# -- Discretization ------------------------------------------------------------------------


@pytest.mark.parametrize("output_mode", ["int", "one_hot", "multi_hot", "count"])
def test_discretization_outputs_match_keras(keras, output_mode):
    kwargs = {"bin_boundaries": [-0.5, 0.0, 1.0], "output_mode": output_mode}
    data = np.array([[-1.0, 0.2, 3.0], [0.0, -0.5, 0.9]], dtype="float32")
    if output_mode == "one_hot":
        data = data[:, :1]
    ours = numpy_of(layers.Discretization(**kwargs)(data))
    theirs = np.asarray(keras.layers.Discretization(**kwargs)(data))
    np.testing.assert_allclose(ours, theirs)
    assert str(ours.dtype) == str(theirs.dtype)


def keras_boundaries(batches, num_bins, epsilon):
    # Keras's adapt() needs TensorFlow for its dataset checks; its quantile functions are plain NumPy.
    from keras.src.layers.preprocessing import discretization

    summary = np.array([[], []], dtype="float32")
    for batch in batches:
        batch_summary = discretization.summarize(np.asarray(batch, dtype="float32"), epsilon)
        summary = discretization.merge_summaries(batch_summary, summary, epsilon)
    return discretization.get_bin_boundaries(summary, num_bins).tolist()


@pytest.mark.parametrize("num_bins, epsilon, size", [(4, 0.01, 1000), (3, 0.1, 37), (5, 0.01, 7)])
def test_discretization_adapt_boundaries_match_keras(keras, num_bins, epsilon, size):
    data = np.random.default_rng(num_bins).exponential(size=(size, 1)).astype("float32")
    ours = layers.Discretization(num_bins=num_bins, epsilon=epsilon)
    ours.adapt(data)
    expected = keras_boundaries([data], num_bins, epsilon)
    assert len(ours.bin_boundaries) == num_bins - 1
    np.testing.assert_allclose(ours.bin_boundaries, expected, rtol=1e-6)
    theirs = keras.layers.Discretization(bin_boundaries=expected)
    np.testing.assert_array_equal(numpy_of(ours(data)), np.asarray(theirs(data)))


def test_discretization_adapt_on_batches_matches_keras(keras):
    data = np.random.default_rng(3).normal(size=(300,)).astype("float32")
    batches = [data[:100], data[100:250], data[250:]]
    ours = layers.Discretization(num_bins=4)
    ours.adapt(batches)
    np.testing.assert_allclose(ours.bin_boundaries, keras_boundaries(batches, 4, 0.01), rtol=1e-6)
    # Quartiles of a standard normal sample, within the summary's tolerance.
    np.testing.assert_allclose(ours.bin_boundaries, np.quantile(data, [0.25, 0.5, 0.75]), atol=0.1)


def test_discretization_harness_and_config_after_adapt(keras):
    run_layer_test(
        layers.Discretization,
        init_kwargs={"bin_boundaries": [0.0, 1.0], "output_mode": "count"},
        input_data=np.array([[-1.0, 0.5], [2.0, 3.0]], dtype="float32"),
        expected_output_shape=(2, 3),
        expected_output=np.array([[1.0, 1.0, 0.0], [0.0, 0.0, 2.0]]),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
    )
    layer = layers.Discretization(num_bins=2)
    layer.adapt(np.array([1.0, 2.0, 3.0, 4.0], dtype="float32"))
    config = json.loads(json.dumps(layer.get_config()))
    revived = layers.Discretization.from_config(config)
    assert revived.bin_boundaries == layer.bin_boundaries
    keras_config = keras.layers.Discretization(num_bins=2, name="discretization").get_config()
    assert sorted(keras_config) == sorted(layer.get_config())


def test_discretization_symbolic_and_errors():
    layer = layers.Discretization(bin_boundaries=[0.0, 1.0], output_mode="one_hot")
    output = layer(lamina.KerasTensor((None, 1)))
    assert output.shape == (None, 3) and output.dtype == "float32"
    assert layers.Discretization(bin_boundaries=[0.0])(lamina.KerasTensor((None, 2))).dtype == "int32"
    with pytest.raises(ValueError, match="Discretization layer .* num_bins or bin_boundaries, not both"):
        layers.Discretization(num_bins=2, bin_boundaries=[1.0])
    with pytest.raises(ValueError, match="Discretization layer .*sparse"):
        layers.Discretization(num_bins=2, sparse=True)
    with pytest.raises(ValueError, match="Discretization layer .*adapt"):
        layers.Discretization(num_bins=2)(np.ones((1, 1), dtype="float32"))


# -- CategoryEncoding ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "output_mode, data",
    [
        ("one_hot", [3, 2, 0, 1]),
        ("one_hot", [[3], [2], [0]]),
        ("multi_hot", [[0, 1], [0, 0], [1, 2], [3, 1]]),
        ("multi_hot", [1, 3]),
        ("count", [[0, 1, 1], [2, 2, 2]]),
        ("count", [0, 3, 3]),
    ],
)
def test_category_encoding_matches_keras(keras, output_mode, data):
    data = np.array(data, dtype="int32")
    ours = layers.CategoryEncoding(num_tokens=4, output_mode=output_mode)
    theirs = keras.layers.CategoryEncoding(num_tokens=4, output_mode=output_mode)
    np.testing.assert_allclose(numpy_of(ours(data)), np.asarray(theirs(data)))
    assert ours.compute_output_shape(data.shape) == theirs.compute_output_shape(data.shape)
    assert ours.get_config() == theirs.get_config() | {"name": ours.name}


def test_category_encoding_count_weights_match_keras(keras):
    data = np.array([[0, 1], [0, 0], [1, 2], [3, 1]], dtype="int32")
    weights = np.array([[0.1, 0.2], [0.1, 0.1], [0.2, 0.3], [0.4, 0.2]], dtype="float32")
    ours = layers.CategoryEncoding(num_tokens=4, output_mode="count")(data, count_weights=weights)
    theirs = keras.layers.CategoryEncoding(num_tokens=4, output_mode="count")(data, count_weights=weights)
    np.testing.assert_allclose(numpy_of(ours), np.asarray(theirs), rtol=1e-6)


def test_category_encoding_harness_and_errors():
    run_layer_test(
        layers.CategoryEncoding,
        init_kwargs={"num_tokens": 5, "output_mode": "multi_hot"},
        input_data=np.array([[0, 4], [2, 2]], dtype="int32"),
        input_dtype="int32",
        expected_output_shape=(2, 5),
        expected_output=np.array([[1, 0, 0, 0, 1], [0, 0, 1, 0, 0]], dtype="float32"),
        expected_num_trainable_weights=0,
        assert_built_after_instantiation=True,
    )
    with pytest.raises(ValueError, match="CategoryEncoding layer .*num_tokens"):
        layers.CategoryEncoding()
    with pytest.raises(ValueError, match="CategoryEncoding layer .*sparse"):
        layers.CategoryEncoding(num_tokens=3, sparse=True)
    with pytest.raises(ValueError, match="CategoryEncoding layer .*count_weights"):
        layers.CategoryEncoding(num_tokens=3, output_mode="one_hot")([1], count_weights=[1.0])
