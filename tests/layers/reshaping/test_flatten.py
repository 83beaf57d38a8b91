"""The Flatten layer."""

import numpy as np
import pytest
from layers.layer_test_case import run_layer_test

import lamina
from lamina import layers


@pytest.mark.parametrize(
    "input_shape, expected_shape",
    [((2, 3, 4), (2, 12)), ((2, 3, 4, 5), (2, 60)), ((3,), (3, 1)), ((2, 7), (2, 7))],
)
def test_flatten(input_shape, expected_shape):
    data = np.random.default_rng(0).standard_normal(input_shape).astype("float32")
    run_layer_test(
        layers.Flatten,
        init_kwargs={},
        input_data=data,
        expected_output_shape=expected_shape,
        expected_output_dtype="float32",
        expected_output=data.reshape(expected_shape),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
    )


def test_channels_first_flattens_in_channels_last_order():
    data = np.arange(2 * 3 * 4 * 5, dtype="float32").reshape(2, 3, 4, 5)
    run_layer_test(
        layers.Flatten,
        init_kwargs={"data_format": "channels_first"},
        input_data=data,
        expected_output_shape=(2, 60),
        expected_output=np.transpose(data, (0, 2, 3, 1)).reshape(2, 60),
    )


def test_int_inputs_keep_their_dtype():
    data = np.arange(12, dtype="int32").reshape(2, 2, 3)
    run_layer_test(
        layers.Flatten,
        input_data=data,
        input_dtype="int32",
        expected_output_shape=(2, 6),
        expected_output_dtype="int32",
        expected_output=data.reshape(2, 6),
    )


def test_unknown_sizes():
    layer = layers.Flatten()
    assert layer(lamina.KerasTensor((None, 3, 4))).shape == (None, 12)
    assert layer.compute_output_shape((None, None, 4)) == (None, None)


def test_config():
    assert layers.Flatten().get_config()["data_format"] == "channels_last"
    with pytest.raises(ValueError, match="data_format"):
        layers.Flatten(data_format="channels_middle")


def test_rank_zero_is_rejected():
    with pytest.raises(ValueError, match="rank >= 1"):
        layers.Flatten()(lamina.ops.ones(()))
