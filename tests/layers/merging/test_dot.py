"""The Dot layer."""

import numpy as np
import pytest
from layers.layer_test_case import run_layer_test

import lamina
from lamina import layers
from lamina import ops

RNG = np.random.default_rng(2)


def _batch_dot(x1, x2, axes, normalize=False):
    if normalize:
        x1 = x1 / np.linalg.norm(x1, axis=axes[0], keepdims=True)
        x2 = x2 / np.linalg.norm(x2, axis=axes[1], keepdims=True)
    outputs = [np.tensordot(a, b, axes=(axes[0] - 1, axes[1] - 1)) for a, b in zip(x1, x2)]
    output = np.stack(outputs)
    return output.reshape(output.shape[0], 1) if output.ndim == 1 else output


@pytest.mark.parametrize(
    "axes, shape1, shape2, expected_shape, resolved, normalize",
    [
        (1, (2, 4), (2, 4), (2, 1), (1, 1), False),
        (-1, (2, 3, 4), (2, 5, 4), (2, 3, 5), (2, 2), False),
        ((1, 2), (2, 3, 5), (2, 10, 3), (2, 5, 10), (1, 2), False),
        ([2, 1], (2, 3, 4), (2, 4, 6), (2, 3, 6), (2, 1), False),
        ((1, 1), (2, 4), (2, 4, 3, 2), (2, 3, 2), (1, 1), False),
        ((1, 2), (2, 3, 5), (2, 10, 3), (2, 5, 10), (1, 2), True),
        ((1, 1), (2, 4), (2, 4, 3, 2), (2, 3, 2), (1, 1), True),
    ],
)
def test_dot(axes, shape1, shape2, expected_shape, resolved, normalize):
    x1 = RNG.standard_normal(shape1).astype("float32")
    x2 = RNG.standard_normal(shape2).astype("float32")
    run_layer_test(
        layers.Dot,
        init_kwargs={"axes": axes, "normalize": normalize},
        input_data=[x1, x2],
        expected_output_shape=expected_shape,
        expected_output_dtype="float32",
        expected_output=_batch_dot(x1.astype("float64"), x2.astype("float64"), resolved, normalize),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
        rtol=1e-4,
        atol=1e-5,
    )


def test_normalized_dot_is_cosine_similarity():
    x1 = ops.convert_to_tensor([[3.0, 4.0]])
    x2 = ops.convert_to_tensor([[6.0, 8.0]])
    np.testing.assert_allclose(
        ops.convert_to_numpy(layers.Dot(axes=1, normalize=True)([x1, x2])), [[1.0]], rtol=1e-6
    )


def test_functional_form():
    x1, x2 = ops.ones((2, 3)), ops.ones((2, 3))
    assert ops.convert_to_numpy(layers.dot([x1, x2], axes=1)).tolist() == [[3.0], [3.0]]
    assert layers.dot([lamina.KerasTensor((None, 3, 4))] * 2, axes=2).shape == (None, 3, 3)


def test_mismatched_axis_sizes_raise():
    with pytest.raises(
        ValueError, match=r"Dot layer 'dot' \(axes=1\).*\(None, 3\) and \(None, 4\).*size 3.*size 4"
    ):
        layers.Dot(axes=1)([lamina.KerasTensor((None, 3)), lamina.KerasTensor((None, 4))])
    with pytest.raises(ValueError, match="batch axis 0"):
        layers.Dot(axes=0)([ops.ones((2, 3)), ops.ones((2, 3))])
    with pytest.raises(ValueError, match="exactly 2 inputs"):
        layers.Dot(axes=1)([ops.ones((2, 3))] * 3)


def test_invalid_axes_argument():
    with pytest.raises(ValueError, match="axes"):
        layers.Dot(axes=(1, 2, 3))
    with pytest.raises(ValueError, match="axes"):
        layers.Dot(axes="last")


def test_config_matches_keras():
    config = layers.Dot(axes=(1, 2)).get_config()
    assert config["axes"] == (1, 2) and config["normalize"] is False
    assert layers.Dot.from_config(config).axes == (1, 2)
    assert layers.Dot(axes=1).compute_mask([ops.ones((1, 2))] * 2, None) is None
