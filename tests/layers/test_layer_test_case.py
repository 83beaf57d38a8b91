"""The layer test harness checks what it claims to check."""

import numpy as np
import pytest
from layers.layer_test_case import run_layer_test

import lamina
from lamina import layers


def test_harness_on_dense():
    outputs = run_layer_test(
        layers.Dense,
        init_kwargs={"units": 3, "kernel_regularizer": "l2", "activation": "tanh"},
        input_shape=(2, 4),
        expected_output_shape=(2, 3),
        expected_output_dtype="float32",
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=0,
        expected_num_seed_generators=0,
        expected_num_losses=1,
    )
    assert tuple(outputs.shape) == (2, 3)


def test_harness_accepts_a_list_of_shapes():
    run_layer_test(layers.Add, input_shape=[(2, 3), (2, 3)], expected_output_shape=(2, 3))


class _ForgetfulScale(lamina.layers.Layer):
    """A layer whose get_config drops its argument: the harness must notice."""

    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, inputs):
        return inputs * self.factor

    def get_config(self):
        return super().get_config()


def test_harness_catches_an_incomplete_config():
    with pytest.raises(AssertionError, match="re-created from its config"):
        run_layer_test(_ForgetfulScale, init_kwargs={"factor": 3.0}, input_shape=(2, 2))


def test_harness_catches_wrong_expectations():
    with pytest.raises(AssertionError, match="expected output shape"):
        run_layer_test(layers.Flatten, input_shape=(2, 3, 4), expected_output_shape=(2, 11))
    with pytest.raises(AssertionError, match="trainable weights"):
        run_layer_test(layers.Dense, {"units": 2}, input_shape=(2, 3), expected_num_trainable_weights=1)
    with pytest.raises(AssertionError):
        run_layer_test(
            layers.Activation,
            {"activation": "relu"},
            input_data=np.array([[-1.0, 1.0]], dtype="float32"),
            expected_output=np.array([[-1.0, 1.0]]),
        )
