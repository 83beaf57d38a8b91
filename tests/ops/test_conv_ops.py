"""Tests of lamina.ops.conv and conv_transpose: NumPy reference, Keras oracle, shapes, gradients."""

import itertools
import os
import sys

import numpy as np
import pytest
from testing_utils import assert_close
from testing_utils import gradient
from testing_utils import numerical_gradient

from lamina import ops
from lamina.backend.common.keras_tensor import KerasTensor


def _keras():
    """The real Keras (JAX backend), used as a numerical oracle."""
    if "keras" not in sys.modules:
        os.environ["KERAS_BACKEND"] = "jax"
    keras = pytest.importorskip("keras")
    if keras.backend.backend() != "jax":
        pytest.skip("keras was imported with another backend")
    return keras


def _reference_conv(inputs, kernel, strides, padding, dilation_rate):
    """Direct channels_last convolution, one output position at a time (float64)."""
    rank = inputs.ndim - 2
    strides = (strides,) * rank if isinstance(strides, int) else strides
    dilation_rate = (dilation_rate,) * rank if isinstance(dilation_rate, int) else dilation_rate
    kernel_spatial = kernel.shape[:rank]
    taps = [(size - 1) * dilation + 1 for size, dilation in zip(kernel_spatial, dilation_rate)]
    if padding == "same":
        pads = []
        for size, tap, stride in zip(inputs.shape[1:-1], taps, strides):
            total = max((-(-size // stride) - 1) * stride + tap - size, 0)
            pads.append((total // 2, total - total // 2))
        inputs = np.pad(inputs, [(0, 0), *pads, (0, 0)])
    in_per_group, filters = kernel.shape[-2:]
    groups = inputs.shape[-1] // in_per_group
    out_per_group = filters // groups
    out_sizes = [(size - tap) // stride + 1 for size, tap, stride in zip(inputs.shape[1:-1], taps, strides)]
    outputs = np.zeros((inputs.shape[0], *out_sizes, filters))
    for position in np.ndindex(*out_sizes):
        starts = [p * s for p, s in zip(position, strides)]
        window = inputs[
            (slice(None),) + tuple(slice(b, b + t, d) for b, t, d in zip(starts, taps, dilation_rate))
        ]
        for out_channel in range(filters):
            group = out_channel // out_per_group
            patch = window[..., group * in_per_group : (group + 1) * in_per_group]
            outputs[(slice(None), *position, out_channel)] = np.sum(
                patch * kernel[..., out_channel], axis=tuple(range(1, rank + 2))
            )
    return outputs


def _random(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


REFERENCE_CASES = [
    # rank, padding, strides, dilation_rate, groups
    (1, "valid", 1, 1, 1),
    (1, "same", 2, 1, 2),
    (1, "same", 1, 2, 1),
    (2, "valid", 2, 1, 1),
    (2, "same", 1, 1, 2),
    (2, "same", 2, 1, 1),
    (2, "valid", 1, 2, 4),
    (3, "same", 2, 1, 1),
    (3, "valid", 1, 1, 2),
]


@pytest.mark.parametrize("rank, padding, strides, dilation_rate, groups", REFERENCE_CASES)
def test_conv_matches_numpy_reference(rank, padding, strides, dilation_rate, groups):
    spatial = (7, 6, 5)[:rank]
    inputs = _random((2, *spatial, 4))
    kernel = _random((*(3, 2, 3)[:rank], 4 // groups, 4), seed=1)
    expected = _reference_conv(inputs, kernel, strides, padding, dilation_rate)
    actual = ops.conv(inputs, kernel, strides=strides, padding=padding, dilation_rate=dilation_rate)
    assert tuple(actual.shape) == expected.shape
    assert ops.dtype(actual) == "float32"
    assert_close(actual, expected, rtol=1e-4, atol=1e-4)


def test_conv_channels_first_is_transposed_channels_last():
    inputs = _random((2, 3, 6, 5))
    kernel = _random((3, 3, 3, 2), seed=1)
    channels_last = ops.convert_to_numpy(ops.conv(np.moveaxis(inputs, 1, -1), kernel, 2, "same"))
    channels_first = ops.conv(inputs, kernel, 2, "same", data_format="channels_first")
    assert_close(channels_first, np.moveaxis(channels_last, -1, 1))


# Every rank, padding and stride/dilation combination; the data format alternates.
CONV_ORACLE_CASES = [
    (rank, padding, strides_dilation, ("channels_last", "channels_first")[index % 2])
    for index, (rank, padding, strides_dilation) in enumerate(
        itertools.product((1, 2, 3), ("valid", "same"), ((1, 1), (2, 1), (1, 2)))
    )
]


@pytest.mark.parametrize("rank, padding, strides_dilation, data_format", CONV_ORACLE_CASES)
def test_conv_and_conv_transpose_match_keras(rank, padding, strides_dilation, data_format):
    keras = _keras()
    strides, dilation_rate = strides_dilation
    spatial = (5, 4, 3)[:rank]
    shape = (1, *spatial, 4) if data_format == "channels_last" else (1, 4, *spatial)
    inputs = _random(shape)
    kernel = _random((*(3, 2, 2)[:rank], 2, 6), seed=1)
    arguments = (strides, padding, data_format, dilation_rate)
    expected = np.asarray(keras.ops.conv(inputs, kernel, *arguments))
    assert_close(ops.conv(inputs, kernel, *arguments), expected, rtol=1e-4, atol=1e-4)
    transpose_kernel = _random((*(3, 2, 2)[:rank], 3, 4), seed=2)
    for output_padding in (None, strides - 1):
        arguments = (strides, padding, output_padding, data_format, dilation_rate)
        expected = np.asarray(keras.ops.conv_transpose(inputs, transpose_kernel, *arguments))
        actual = ops.conv_transpose(inputs, transpose_kernel, *arguments)
        assert tuple(actual.shape) == expected.shape
        assert_close(actual, expected, rtol=1e-4, atol=1e-4)


def test_conv_transpose_is_adjoint_of_conv():
    # <conv(x, k), y> == <x, conv_transpose(y, k)> for the matching shapes and padding.
    inputs = _random((1, 8, 3))
    kernel = _random((3, 3, 2), seed=1)
    outputs = _random((1, 4, 2), seed=2)
    forward = ops.convert_to_numpy(ops.conv(inputs, kernel, 2, "same"))
    backward = ops.convert_to_numpy(ops.conv_transpose(outputs, kernel, 2, "same"))
    assert backward.shape == inputs.shape
    np.testing.assert_allclose(np.sum(forward * outputs), np.sum(inputs * backward), rtol=1e-4)


def test_symbolic_shapes_with_unknown_sizes():
    inputs = KerasTensor((None, 7, None, 4))
    result = ops.conv(inputs, KerasTensor((3, 3, 2, 6)), strides=2, padding="same")
    assert result.shape == (None, 4, None, 6)
    assert ops.conv(inputs, KerasTensor((3, 3, 4, 6)), dilation_rate=2).shape == (None, 3, None, 6)
    channels_first = KerasTensor((2, 4, 9))
    assert ops.conv(channels_first, KerasTensor((3, 4, 5)), 2, data_format="channels_first").shape == (
        2,
        5,
        4,
    )
    transposed = ops.conv_transpose(inputs, KerasTensor((3, 3, 6, 4)), strides=2, padding="same")
    assert transposed.shape == (None, 14, None, 6)
    valid = ops.conv_transpose(inputs, KerasTensor((3, 3, 6, 4)), strides=2, output_padding=1)
    assert valid.shape == (None, 16, None, 6)


def test_integer_inputs_give_floats():
    result = ops.conv(np.ones((1, 4, 1), dtype="int32"), np.ones((2, 1, 1), dtype="int32"))
    assert ops.dtype(result) == "float32"
    assert_close(result, np.full((1, 3, 1), 2.0))


def test_conv_errors_name_the_op_and_arguments():
    inputs = np.ones((1, 5, 3), dtype="float32")
    with pytest.raises(ValueError, match="conv expects the inputs' channel count"):
        ops.conv(inputs, np.ones((2, 2, 4), dtype="float32"))
    with pytest.raises(ValueError, match="padding to be 'valid' or 'same'"):
        ops.conv(inputs, np.ones((2, 3, 4), dtype="float32"), padding="full")
    with pytest.raises(ValueError, match="strides to be a positive int"):
        ops.conv(inputs, np.ones((2, 3, 4), dtype="float32"), strides=(1, 1))
    with pytest.raises(ValueError, match="3D, 4D or 5D inputs"):
        ops.conv(np.ones((5, 3), dtype="float32"), np.ones((2, 3, 4), dtype="float32"))
    with pytest.raises(ValueError, match="conv_transpose expects the inputs' channel count"):
        ops.conv_transpose(inputs, np.ones((2, 4, 2), dtype="float32"))


@pytest.mark.requires_trainable_backend
@pytest.mark.parametrize("padding, strides, groups", [("same", 2, 1), ("valid", 1, 2)])
def test_conv_gradients_match_finite_differences(padding, strides, groups):
    inputs = _random((1, 5, 4, 2))
    kernel = _random((2, 3, 2 // groups, 2), seed=1)

    def reference(x, k):
        return _reference_conv(x, k, strides, padding, 1) ** 2

    grads = gradient(lambda x, k: ops.square(ops.conv(x, k, strides, padding)), inputs, kernel)
    expected = numerical_gradient(reference, inputs, kernel)
    for actual, wanted in zip(grads, expected):
        assert_close(actual, wanted, rtol=1e-3, atol=1e-3)


@pytest.mark.requires_trainable_backend
def test_conv_transpose_gradients_match_finite_differences():
    inputs = _random((1, 3, 2))
    kernel = _random((3, 2, 2), seed=1)

    def reference(x, k):
        # conv_transpose(x, k) equals conv of the stride-dilated x with the flipped, swapped kernel.
        dilated = np.zeros((1, 5, 2))
        dilated[:, ::2] = x
        padded = np.pad(dilated, [(0, 0), (2, 2), (0, 0)])
        return _reference_conv(padded, np.swapaxes(k[::-1], -1, -2), 1, "valid", 1) ** 2

    grads = gradient(lambda x, k: ops.square(ops.conv_transpose(x, k, 2)), inputs, kernel)
    expected = numerical_gradient(reference, inputs, kernel)
    for actual, wanted in zip(grads, expected):
        assert_close(actual, wanted, rtol=1e-3, atol=1e-3)
