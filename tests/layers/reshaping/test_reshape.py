"""The Reshape layer."""

import numpy as np
import pytest
from layers.layer_test_case import run_layer_test

import lamina
from lamina import layers


@pytest.mark.parametrize(
    "target_shape, expected_shape",
    [((3, 4), (2, 3, 4)), ((-1, 2), (2, 6, 2)), ((12,), (2, 12)), ((2, -1, 3), (2, 2, 2, 3))],
)
def test_reshape(target_shape, expected_shape):
    data = np.random.default_rng(0).standard_normal((2, 4, 3)).astype("float32")
    run_layer_test(
        layers.Reshape,
        init_kwargs={"target_shape": target_shape},
        input_data=data,
        expected_output_shape=expected_shape,
        expected_output_dtype="float32",
        expected_output=data.reshape(expected_shape),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
        assert_built_after_instantiation=True,
    )


def test_output_shape_with_unknown_sizes():
    layer = layers.Reshape((-1, 4))
    assert layer.compute_output_shape((None, 8)) == (None, 2, 4)
    assert layer.compute_output_shape((None, None, 2)) == (None, None, 4)
    assert layer(lamina.KerasTensor((None, 12))).shape == (None, 3, 4)


def test_size_mismatch_raises_naming_the_layer():
    with pytest.raises(ValueError, match=r"Reshape layer 'reshape'.*\(None, 10\).*target_shape=\(3, 4\)"):
        layers.Reshape((3, 4))(lamina.KerasTensor((None, 10)))
    with pytest.raises(ValueError, match="values per sample"):
        layers.Reshape((-1, 3))(lamina.ops.ones((2, 10)))


def test_invalid_target_shapes():
    with pytest.raises(ValueError, match="target_shape"):
        layers.Reshape((0, 3))
    with pytest.raises(ValueError, match="at most one -1"):
        layers.Reshape((-1, -1))
    with pytest.raises(ValueError, match="target_shape"):
        layers.Reshape(5)


def test_config_round_trip_through_json_lists():
    config = layers.Reshape((2, -1)).get_config()
    assert config["target_shape"] == (2, -1)
    config["target_shape"] = [2, -1]
    assert layers.Reshape.from_config(config).target_shape == (2, -1)
