"""The Concatenate layer."""

import numpy as np
import pytest
from layers.layer_test_case import run_layer_test

import lamina
from lamina import layers
from lamina import ops

RNG = np.random.default_rng(1)


@pytest.mark.parametrize(
    "axis, shapes, expected_shape",
    [
        (-1, [(2, 3, 4), (2, 3, 1)], (2, 3, 5)),
        (1, [(2, 3, 4), (2, 2, 4), (2, 1, 4)], (2, 6, 4)),
        (0, [(2, 3), (1, 3)], (3, 3)),
        (-2, [(2, 5, 3), (2, 1, 3)], (2, 6, 3)),
    ],
)
def test_concatenate(axis, shapes, expected_shape):
    data = [RNG.standard_normal(shape).astype("float32") for shape in shapes]
    run_layer_test(
        layers.Concatenate,
        init_kwargs={"axis": axis},
        input_data=data,
        expected_output_shape=expected_shape,
        expected_output_dtype="float32",
        expected_output=np.concatenate(data, axis=axis),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
        supports_masking=True,
    )


def test_functional_form():
    x1, x2 = ops.ones((2, 3)), ops.zeros((2, 2))
    output = layers.concatenate([x1, x2])
    assert ops.convert_to_numpy(output).tolist() == [[1, 1, 1, 0, 0]] * 2
    assert layers.concatenate([lamina.KerasTensor((None, 3, 2))] * 2, axis=1).shape == (None, 6, 2)


def test_unknown_sizes():
    layer = layers.Concatenate(axis=1)
    assert layer.compute_output_shape([(None, None, 4), (None, 3, 4)]) == (None, None, 4)
    assert layer.compute_output_shape([(None, 2, None), (None, 3, 4)]) == (None, 5, 4)


def test_mismatched_shapes_say_which_shapes_and_axis():
    with pytest.raises(
        ValueError,
        match=r"Concatenate layer 'concatenate' \(axis=-1\) requires inputs with matching shapes except on "
        r"the concatenation axis 2\. Received shapes \[\(None, 3, 4\), \(None, 5, 4\)\], which differ on "
        r"axis 1 \(sizes \[3, 5\]\)",
    ):
        layers.Concatenate()([lamina.KerasTensor((None, 3, 4)), lamina.KerasTensor((None, 5, 4))])
    with pytest.raises(ValueError, match=r"same rank.*\[\(2, 3\), \(2, 3, 1\)\]"):
        layers.Concatenate()([ops.ones((2, 3)), ops.ones((2, 3, 1))])
    with pytest.raises(ValueError, match="no axis 3"):
        layers.Concatenate(axis=3)([ops.ones((2, 3)), ops.ones((2, 3))])


def test_config():
    config = layers.Concatenate(axis=1).get_config()
    assert config["axis"] == 1
    assert layers.Concatenate.from_config(config).axis == 1
    with pytest.raises(ValueError, match="int axis"):
        layers.Concatenate(axis="last")


def test_masks_are_concatenated():
    layer = layers.Concatenate(axis=1)
    inputs = [ops.ones((1, 2, 3)), ops.ones((1, 3, 3))]
    mask = ops.convert_to_tensor(np.array([[True, False]]))
    output = layer.compute_mask(inputs, [mask, None])
    assert ops.convert_to_numpy(output).tolist() == [[True, False, True, True, True]]
    assert layer.compute_mask(inputs, [None, None]) is None
