"""Element-wise merging layers: Add, Subtract, Multiply, Average, Maximum, Minimum."""

import numpy as np
import pytest
from layers.layer_test_case import run_layer_test

import lamina
from lamina import layers
from lamina import ops

RNG = np.random.default_rng(0)
A = RNG.standard_normal((2, 3, 4)).astype("float32")
B = RNG.standard_normal((2, 3, 4)).astype("float32")
C = RNG.standard_normal((2, 3, 4)).astype("float32")

MERGES = {
    "Add": (layers.Add, layers.add, lambda xs: sum(xs)),
    "Multiply": (layers.Multiply, layers.multiply, lambda xs: np.prod(np.stack(xs), axis=0)),
    "Average": (layers.Average, layers.average, lambda xs: np.mean(np.stack(xs), axis=0)),
    "Maximum": (layers.Maximum, layers.maximum, lambda xs: np.max(np.stack(xs), axis=0)),
    "Minimum": (layers.Minimum, layers.minimum, lambda xs: np.min(np.stack(xs), axis=0)),
}


@pytest.mark.parametrize("name", sorted(MERGES))
def test_merge_layer_with_three_inputs(name):
    layer_cls, _, reference = MERGES[name]
    run_layer_test(
        layer_cls,
        init_kwargs={},
        input_data=[A, B, C],
        expected_output_shape=(2, 3, 4),
        expected_output_dtype="float32",
        expected_output=reference([A, B, C]),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
        supports_masking=True,
    )


def test_subtract():
    run_layer_test(
        layers.Subtract,
        init_kwargs={},
        input_data=[A, B],
        expected_output_shape=(2, 3, 4),
        expected_output=A - B,
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
    )
    with pytest.raises(ValueError, match=r"Subtract layer 'subtract.*' should be called on exactly 2 inputs"):
        layers.Subtract()([A, B, C])


@pytest.mark.parametrize("name", sorted(MERGES))
def test_functional_forms(name):
    _, function, reference = MERGES[name]
    output = function([ops.convert_to_tensor(A), ops.convert_to_tensor(B)])
    np.testing.assert_allclose(ops.convert_to_numpy(output), reference([A, B]), rtol=1e-6, atol=1e-6)
    symbolic = function([lamina.KerasTensor((None, 3, 4)), lamina.KerasTensor((None, 3, 4))])
    assert symbolic.shape == (None, 3, 4)


def test_subtract_functional_form():
    output = layers.subtract([ops.convert_to_tensor(A), ops.convert_to_tensor(B)])
    np.testing.assert_allclose(ops.convert_to_numpy(output), A - B, rtol=1e-6)


def test_broadcasting_like_keras():
    # A rank-2 input gains axes after its batch axis: (2, 4) merges with (2, 3, 4).
    low_rank = RNG.standard_normal((2, 4)).astype("float32")
    run_layer_test(
        layers.Add,
        input_data=[A, low_rank],
        expected_output_shape=(2, 3, 4),
        expected_output=A + low_rank[:, None, :],
    )
    size_one = RNG.standard_normal((2, 1, 4)).astype("float32")
    run_layer_test(
        layers.Multiply,
        input_data=[A, size_one],
        expected_output_shape=(2, 3, 4),
        expected_output=A * size_one,
    )


def test_symbolic_output_shapes():
    layer = layers.Add()
    assert layer.compute_output_shape([(None, 1, 4), (None, 3, 1)]) == (None, 3, 4)
    assert layer.compute_output_shape([(5, 4), (None, 4)]) == (5, 4)
    output = layers.Maximum()([lamina.KerasTensor((None, 4)), lamina.KerasTensor((None, 3, 4))])
    assert output.shape == (None, 3, 4)


def test_int_inputs_keep_int_dtype():
    x = np.arange(6, dtype="int32").reshape(2, 3)
    output = layers.Add()([x, x])
    assert ops.dtype(output) == "int32"
    symbolic = layers.Add()([lamina.KerasTensor((None, 3), "int32")] * 2)
    assert symbolic.dtype == "int32"


def test_incompatible_shapes_raise_naming_the_layer():
    with pytest.raises(ValueError, match=r"Add layer 'add'.*\(None, 3\), \(None, 4\).*3 and 4"):
        layers.Add()([lamina.KerasTensor((None, 3)), lamina.KerasTensor((None, 4))])
    with pytest.raises(ValueError, match="different batch sizes"):
        layers.Average()([ops.ones((2, 3)), ops.ones((3, 3))])


def test_single_tensor_input_raises():
    with pytest.raises(ValueError, match="list of tensors"):
        layers.Add()(ops.ones((2, 3)))


def test_masks_are_combined_with_or():
    layer = layers.Add()
    mask_a = ops.convert_to_tensor(np.array([[True, False, False]]))
    mask_b = ops.convert_to_tensor(np.array([[False, False, True]]))
    mask = layer.compute_mask([ops.ones((1, 3, 2)), ops.ones((1, 3, 2))], [mask_a, mask_b])
    assert ops.convert_to_numpy(mask).tolist() == [[True, False, True]]
    assert layer.compute_mask([ops.ones((1, 3, 2))] * 2, [mask_a, None]) is None


def test_config_round_trip_keeps_the_name():
    layer = layers.Average(name="mean_of_branches")
    revived = layers.Average.from_config(layer.get_config())
    assert revived.name == "mean_of_branches"
    assert set(layer.get_config()) == {"name", "trainable", "dtype"}
