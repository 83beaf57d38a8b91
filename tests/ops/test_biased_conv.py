"""`lamina.ops.nn_conv.biased_conv` (the convolution layers' conv plus bias) equals conv then add."""

import numpy as np
import pytest

import lamina
from lamina import ops
from lamina.ops.nn_conv import biased_conv
from tests.testing_utils import assert_close
from tests.testing_utils import gradient

RNG = np.random.default_rng(0)


def _conv_then_add(inputs, kernel, bias, data_format, **arguments):
    outputs = ops.conv(inputs, kernel, data_format=data_format, **arguments)
    shape = (-1,) if data_format == "channels_last" else (-1,) + (1,) * (len(outputs.shape) - 2)
    return ops.add(outputs, ops.reshape(bias, shape))


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("rank", [1, 2])
def test_biased_conv_equals_conv_then_add(data_format, rank):
    spatial = (7,) * rank
    shape = (2, *spatial, 3) if data_format == "channels_last" else (2, 3, *spatial)
    inputs = RNG.normal(size=shape).astype("float32")
    kernel = RNG.normal(size=(3,) * rank + (3, 4)).astype("float32")
    bias = RNG.normal(size=(4,)).astype("float32")
    arguments = {"strides": 2, "padding": "same", "dilation_rate": 1}
    expected = _conv_then_add(inputs, kernel, bias, data_format, **arguments)
    actual = biased_conv(inputs, kernel, bias, data_format=data_format, **arguments)
    assert ops.dtype(actual) == ops.dtype(expected)
    assert_close(ops.convert_to_numpy(actual), ops.convert_to_numpy(expected), atol=1e-5)


def test_a_bias_of_another_dtype_is_promoted_as_add_does():
    inputs = np.ones((1, 5, 2), "float32")
    kernel = np.ones((2, 2, 3), "float32")
    bias = np.arange(3).astype("float16")
    actual = biased_conv(inputs, kernel, bias)
    expected = _conv_then_add(inputs, kernel, bias, "channels_last")
    assert ops.dtype(actual) == ops.dtype(expected)
    assert_close(ops.convert_to_numpy(actual), ops.convert_to_numpy(expected))


def test_biased_conv_symbolic_shape_and_bias_error():
    outputs = biased_conv(
        lamina.KerasTensor((None, 9, 9, 3)), lamina.KerasTensor((3, 3, 3, 8)), lamina.KerasTensor((8,))
    )
    assert outputs.shape == (None, 7, 7, 8)
    with pytest.raises(ValueError, match=r"one bias value per output channel.*\(8,\).*\(5,\)"):
        biased_conv(
            lamina.KerasTensor((None, 9, 9, 3)), lamina.KerasTensor((3, 3, 3, 8)), lamina.KerasTensor((5,))
        )


@pytest.mark.requires_trainable_backend
def test_biased_conv_gradients_equal_conv_then_add():
    inputs = RNG.normal(size=(2, 6, 6, 2)).astype("float32")
    kernel = RNG.normal(size=(3, 3, 2, 3)).astype("float32")
    bias = RNG.normal(size=(3,)).astype("float32")
    fused = gradient(lambda x, k, b: biased_conv(x, k, b) ** 2, inputs, kernel, bias)
    separate = gradient(lambda x, k, b: _conv_then_add(x, k, b, "channels_last") ** 2, inputs, kernel, bias)
    for actual, expected in zip(fused, separate):
        assert_close(actual, expected, rtol=1e-4, atol=1e-4)
