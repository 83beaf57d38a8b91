"""EinsumDense: harness, shape analysis, errors, Keras parity."""

import numpy as np
import pytest
from layers.layer_test_case import run_layer_test
from testing_utils import assert_close

import lamina
from lamina import layers
from lamina import ops

CASES = [
    ({"equation": "ab,bc->ac", "output_shape": 4, "bias_axes": "c"}, (2, 3), (2, 4), [(3, 4), (4,)]),
    ({"equation": "ab,bc->ac", "output_shape": (4,)}, (2, 3), (2, 4), [(3, 4)]),
    (
        {"equation": "abc,cd->abd", "output_shape": (5, 4), "bias_axes": "d"},
        (2, 5, 3),
        (2, 5, 4),
        [(3, 4), (4,)],
    ),
    (
        {"equation": "abc,cde->abde", "output_shape": (5, 2, 4), "bias_axes": "de", "activation": "relu"},
        (2, 5, 3),
        (2, 5, 2, 4),
        [(3, 2, 4), (2, 4)],
    ),
    (
        {"equation": "abcd,cde->abe", "output_shape": (5, 4), "bias_axes": "be"},
        (2, 5, 3, 2),
        (2, 5, 4),
        [(3, 2, 4), (5, 4)],
    ),
    (
        {"equation": "...b,bc->...c", "output_shape": 4, "bias_axes": "c"},
        (2, 5, 3),
        (2, 5, 4),
        [(3, 4), (4,)],
    ),
    (
        {"equation": "ab...,bc->ac...", "output_shape": 4, "bias_axes": "c"},
        (2, 3, 5),
        (2, 4, 5),
        [(3, 4), (4, 1)],
    ),
]


@pytest.mark.parametrize("kwargs, input_shape, output_shape, weight_shapes", CASES)
def test_einsum_dense_basics(kwargs, input_shape, output_shape, weight_shapes):
    run_layer_test(
        layers.EinsumDense,
        init_kwargs=kwargs,
        input_shape=input_shape,
        expected_output_shape=output_shape,
        expected_num_trainable_weights=len(weight_shapes),
        expected_num_non_trainable_weights=0,
    )
    layer = layers.EinsumDense(**kwargs)
    layer.build(input_shape)
    assert [tuple(w.shape) for w in layer.weights] == weight_shapes
    assert [w.path.split("/")[-1] for w in layer.weights] == ["kernel", "bias"][: len(weight_shapes)]


@pytest.mark.parametrize("kwargs, input_shape, output_shape, weight_shapes", CASES)
def test_einsum_dense_matches_keras(keras, kwargs, input_shape, output_shape, weight_shapes):
    data = np.random.default_rng(0).standard_normal(input_shape).astype("float32")
    theirs = keras.layers.EinsumDense(bias_initializer="random_normal", name="einsum_dense", **kwargs)
    expected = np.array(theirs(data))
    ours = layers.EinsumDense(name="einsum_dense", **kwargs)
    ours.build(input_shape)
    ours.set_weights([np.array(v.value) for v in theirs.weights])
    assert_close(ours(ops.convert_to_tensor(data)), expected, rtol=1e-5, atol=1e-5)
    config = keras.layers.EinsumDense(name="einsum_dense", **kwargs).get_config()
    assert ours.get_config() == config
    assert layers.EinsumDense.from_config(config).get_config() == config


def test_kernel_initializer_uses_einsum_fans():
    layer = layers.EinsumDense(
        "abc,cde->abde", output_shape=(None, 8, 16), kernel_initializer="glorot_uniform"
    )
    layer.build((4, 5, 64))
    values = ops.convert_to_numpy(layer.kernel)
    limit = np.sqrt(6.0 / (64 + 8 * 16))
    assert values.max() <= limit and values.max() > 0.8 * limit


def test_none_output_sizes_follow_the_input():
    layer = layers.EinsumDense("abc,cd->abd", output_shape=(None, 4))
    assert layer(lamina.KerasTensor((None, 7, 3))).shape == (None, 7, 4)


def test_bad_arguments_name_the_layer():
    with pytest.raises(ValueError, match="EinsumDense layer .* equation"):
        layers.EinsumDense("ab->b", output_shape=3)
    with pytest.raises(ValueError, match="bias axis 'z'"):
        layers.EinsumDense("ab,bc->ac", output_shape=3, bias_axes="z").build((2, 4))
    with pytest.raises(ValueError, match="do not match at shared axis 'b'"):
        layers.EinsumDense("abc,cd->abd", output_shape=(6, 4)).build((2, 5, 3))
    with pytest.raises(ValueError, match="expects inputs of rank 2"):
        layers.EinsumDense("ab,bc->ac", output_shape=3)(ops.ones((2, 3, 4)))
