"""ReLU, LeakyReLU, PReLU, ELU and Softmax layers: harness, values, Keras parity."""

import numpy as np
import pytest
from layers.layer_test_case import run_layer_test
from testing_utils import assert_close

from lamina import initializers
from lamina import layers
from lamina import ops


def _data(shape=(2, 3, 4), seed=0):
    return (np.random.default_rng(seed).standard_normal(shape) * 3).astype("float32")


SIMPLE_CASES = [
    ("ReLU", {}),
    ("ReLU", {"max_value": 2.0, "negative_slope": 0.1, "threshold": 0.5}),
    ("LeakyReLU", {}),
    ("LeakyReLU", {"negative_slope": 0.05}),
    ("ELU", {}),
    ("ELU", {"alpha": 0.5}),
    ("Softmax", {}),
    ("Softmax", {"axis": 1}),
    ("Softmax", {"axis": (1, 2)}),
    ("PReLU", {}),
    ("PReLU", {"shared_axes": [1]}),
]


@pytest.mark.parametrize("class_name, kwargs", SIMPLE_CASES)
def test_activation_layer_basics(class_name, kwargs):
    run_layer_test(
        getattr(layers, class_name),
        init_kwargs=kwargs,
        input_shape=(2, 3, 4),
        expected_output_shape=(2, 3, 4),
        expected_output_dtype="float32",
        expected_num_trainable_weights=1 if class_name == "PReLU" else 0,
        expected_num_non_trainable_weights=0,
        supports_masking=True,
    )


@pytest.mark.parametrize("class_name, kwargs", SIMPLE_CASES)
def test_activation_layer_matches_keras(keras, class_name, kwargs):
    data = _data()
    theirs = getattr(keras.layers, class_name)(name="act", **kwargs)
    ours = getattr(layers, class_name)(name="act", **kwargs)
    if class_name == "PReLU":
        theirs.alpha_initializer = keras.initializers.RandomNormal(seed=1)
        theirs.build(data.shape)
        ours.build(data.shape)
        ours.set_weights([np.array(v.value) for v in theirs.weights])
    expected = np.array(theirs(data))
    assert_close(ours(ops.convert_to_tensor(data)), expected, rtol=1e-5, atol=1e-6)
    config = getattr(keras.layers, class_name)(name="act", **kwargs).get_config()
    assert ours.get_config() == config
    assert getattr(layers, class_name).from_config(config).get_config() == config


def test_relu_reference_values():
    data = _data()
    outputs = layers.ReLU(max_value=2.0, negative_slope=0.1, threshold=0.5)(ops.convert_to_tensor(data))
    expected = np.where(data >= 0.5, np.minimum(data, 2.0), 0.1 * (data - 0.5))
    assert_close(outputs, expected)


def test_prelu_weight_and_reference():
    data = _data((2, 3, 4, 5))
    layer = layers.PReLU(alpha_initializer=initializers.Constant(0.25), shared_axes=[1, 2])
    outputs = layer(ops.convert_to_tensor(data))
    assert tuple(layer.alpha.shape) == (1, 1, 5)
    assert layer.alpha.path == f"{layer.name}/alpha"
    assert_close(outputs, np.where(data >= 0, data, 0.25 * data))


def test_softmax_mask_matches_keras(keras):
    data = _data((2, 3, 4))
    mask = np.random.default_rng(2).integers(0, 2, (2, 1, 4)).astype(bool)
    mask[0, 0, :] = False
    expected = np.array(keras.layers.Softmax()(data, mask=mask))
    outputs = layers.Softmax()(ops.convert_to_tensor(data), mask=ops.convert_to_tensor(mask))
    assert_close(outputs, expected, atol=1e-6)
    assert_close(ops.sum(outputs, axis=-1)[1], np.where(mask[1].any(-1), 1.0, 0.0) * np.ones((3,)))


def test_bad_arguments_name_the_layer():
    with pytest.raises(ValueError, match="ReLU layer .* max_value"):
        layers.ReLU(max_value=-1.0)
    with pytest.raises(ValueError, match="ReLU layer .* threshold"):
        layers.ReLU(threshold=-1.0)
    with pytest.raises(ValueError, match="LeakyReLU layer .* negative_slope"):
        layers.LeakyReLU(negative_slope=-0.1)
    with pytest.raises(ValueError, match="PReLU layer .* shared_axes"):
        layers.PReLU(shared_axes=[3])(ops.ones((2, 3)))
    with pytest.raises(ValueError, match="Softmax layer .* mask"):
        layers.Softmax()(ops.ones((2, 3)), mask=ops.ones((2, 4)))


def test_leaky_relu_legacy_alpha_warns():
    with pytest.warns(UserWarning, match="alpha"):
        layer = layers.LeakyReLU(alpha=0.2)
    assert layer.negative_slope == 0.2
