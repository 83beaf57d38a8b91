"""The Activation layer."""

import numpy as np
import pytest
from layers.layer_test_case import run_layer_test

import lamina
from lamina import layers
from lamina import ops

X = np.array([[-2.0, -0.5, 0.0, 1.5], [3.0, -1.0, 0.25, 7.0]], dtype="float32")


@pytest.mark.parametrize(
    "activation, reference",
    [
        ("relu", lambda x: np.maximum(x, 0)),
        ("tanh", np.tanh),
        ("linear", lambda x: x),
        (None, lambda x: x),
        (lamina.activations.softsign, lambda x: x / (1 + np.abs(x))),
    ],
)
def test_activation_layer(activation, reference):
    run_layer_test(
        layers.Activation,
        init_kwargs={"activation": activation},
        input_data=X,
        expected_output_shape=(2, 4),
        expected_output_dtype="float32",
        expected_output=reference(X),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
        expected_num_seed_generators=0,
        supports_masking=True,
        assert_built_after_instantiation=True,
    )


def test_config_stores_the_activation_name():
    config = layers.Activation(lamina.activations.gelu).get_config()
    assert config["activation"] == "gelu"
    assert layers.Activation.from_config(config).activation is lamina.activations.gelu
    assert layers.Activation("swish").get_config()["activation"] == "silu"


def test_unknown_activation_raises():
    with pytest.raises(ValueError, match="Unknown activation function: 'rleu'"):
        layers.Activation("rleu")


def test_symbolic_call_and_output_shape():
    layer = layers.Activation("softmax")
    output = layer(lamina.KerasTensor((None, 3, 5)))
    assert output.shape == (None, 3, 5)
    assert layer.compute_output_shape((None, 3, 5)) == (None, 3, 5)


def test_mask_passes_through():
    layer = layers.Activation("relu")
    mask = ops.convert_to_tensor(np.array([[True, False]]))
    assert layer.compute_mask(ops.ones((1, 2, 3)), mask) is mask
