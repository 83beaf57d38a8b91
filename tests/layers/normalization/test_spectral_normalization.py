"""SpectralNormalization: layer checks, power-method reference and Keras 3 parity."""

import numpy as np
import pytest
from layers.layer_test_case import run_layer_test
from testing_utils import assert_close

from lamina import layers
from lamina import ops


def test_spectral_normalization_basics():
    run_layer_test(
        layers.SpectralNormalization,
        init_kwargs={"layer": layers.Dense(2), "power_iterations": 2},
        input_shape=(3, 4),
        call_kwargs={"training": True},
        expected_output_shape=(3, 2),
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=1,
        run_symbolic_check=False,
    )


def test_training_call_normalizes_the_kernel():
    layer = layers.SpectralNormalization(layers.Dense(3), power_iterations=30)
    layer.build((2, 4))
    kernel = np.random.default_rng(0).standard_normal((4, 3)).astype("float32")
    layer.set_weights([kernel, np.ones((1, 3), "float32"), np.zeros(3, "float32")])
    layer(ops.ones((2, 4)), training=True)
    normalized = layer.layer.kernel.numpy()
    assert_close(normalized, kernel / np.linalg.svd(kernel, compute_uv=False)[0], rtol=1e-4, atol=1e-5)
    assert_close(np.linalg.svd(normalized, compute_uv=False)[0], 1.0, rtol=1e-4)


def test_zero_kernel_is_left_alone():
    layer = layers.SpectralNormalization(layers.Dense(2, kernel_initializer="zeros"))
    outputs = layer(ops.ones((1, 3)), training=True)
    assert_close(outputs, np.zeros((1, 2)))
    assert_close(layer.layer.kernel, np.zeros((3, 2)))


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match="SpectralNormalization layer 'sn'.*power_iterations"):
        layers.SpectralNormalization(layers.Dense(2), power_iterations=0, name="sn")
    with pytest.raises(ValueError, match="SpectralNormalization layer 'sn'.*kernel"):
        layers.SpectralNormalization(layers.Dropout(0.5), name="sn")(ops.ones((2, 3)))


@pytest.mark.parametrize("power_iterations, input_shape", [(1, (2, 3)), (3, (2, 5, 3))])
def test_matches_keras(keras, power_iterations, input_shape):
    theirs = keras.layers.SpectralNormalization(
        keras.layers.Dense(4, name="dense"), power_iterations=power_iterations, name="sn"
    )
    ours = layers.SpectralNormalization(
        layers.Dense(4, name="dense"), power_iterations=power_iterations, name="sn"
    )
    theirs.build(input_shape)
    ours.build(input_shape)
    assert [w.path for w in ours.weights] == [w.path for w in theirs.weights]
    their_config = theirs.get_config()
    assert ours.get_config() == their_config
    rng = np.random.default_rng(5)
    values = [rng.standard_normal(w.shape).astype("float32") for w in theirs.weights]
    theirs.set_weights(values)
    ours.set_weights(values)
    x = rng.standard_normal(input_shape).astype("float32")
    assert_close(ours(ops.convert_to_tensor(x)), np.asarray(theirs(x)), rtol=1e-5, atol=1e-5)
    for _ in range(2):
        expected = np.asarray(theirs(x, training=True))
        assert_close(ours(ops.convert_to_tensor(x), training=True), expected, rtol=1e-5, atol=1e-5)
    for our_weight, their_weight in zip(ours.weights, theirs.weights):
        assert_close(our_weight, np.asarray(their_weight.value), rtol=1e-5, atol=1e-5)
