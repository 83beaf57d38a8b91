"""`depthwise_conv` and `separable_conv` against a direct NumPy reference, symbolically and in gradients."""

import numpy as np
import pytest
from testing_utils import assert_close
from testing_utils import gradient
from testing_utils import numerical_gradient

from lamina import ops
from lamina.backend.common.keras_tensor import KerasTensor


def _as_tuple(value, rank):
    return (value,) * rank if isinstance(value, int) else tuple(value)


def reference_depthwise(inputs, kernel, strides=1, padding="valid", data_format="channels_last", dilation=1):
    """Direct loops over output positions, channels and multipliers (channels_last math)."""
    inputs = np.asarray(inputs, dtype=np.float64)
    kernel = np.asarray(kernel, dtype=np.float64)
    if data_format == "channels_first":
        inputs = np.moveaxis(inputs, 1, -1)
    rank = inputs.ndim - 2
    strides, dilation = _as_tuple(strides, rank), _as_tuple(dilation, rank)
    spatial = inputs.shape[1:-1]
    taps = [(kernel.shape[axis] - 1) * dilation[axis] + 1 for axis in range(rank)]
    if padding == "same":
        outputs = [-(-size // stride) for size, stride in zip(spatial, strides)]
        totals = [max((o - 1) * s + t - n, 0) for o, s, t, n in zip(outputs, strides, taps, spatial)]
        pads = [(total // 2, total - total // 2) for total in totals]
    else:
        outputs = [(n - t) // s + 1 for n, t, s in zip(spatial, taps, strides)]
        pads = [(0, 0)] * rank
    padded = np.pad(inputs, [(0, 0), *pads, (0, 0)])
    channels, multiplier = kernel.shape[-2:]
    result = np.zeros((inputs.shape[0], *outputs, channels * multiplier))
    for position in np.ndindex(*outputs):
        for offset in np.ndindex(*kernel.shape[:-2]):
            index = tuple(p * s + o * d for p, s, o, d in zip(position, strides, offset, dilation))
            values = padded[(slice(None), *index)]  # (batch, channels)
            contribution = values[:, :, None] * kernel[offset][None]  # (batch, channels, multiplier)
            result[(slice(None), *position)] += contribution.reshape(inputs.shape[0], -1)
    if data_format == "channels_first":
        result = np.moveaxis(result, -1, 1)
    return result


def reference_separable(inputs, depthwise, pointwise, data_format="channels_last", **kwargs):
    middle = reference_depthwise(inputs, depthwise, data_format=data_format, **kwargs)
    matrix = np.asarray(pointwise, dtype=np.float64).reshape(pointwise.shape[-2:])
    if data_format == "channels_first":
        return np.moveaxis(np.moveaxis(middle, 1, -1) @ matrix, -1, 1)
    return middle @ matrix


CASES = [
    # input shape (channels_last), kernel spatial, multiplier, strides, padding, dilation
    ((2, 9, 3), (3,), 1, 1, "valid", 1),
    ((2, 9, 3), (2,), 2, 2, "same", 1),
    ((1, 10, 2), (3,), 3, 1, "same", 2),
    ((2, 7, 6, 3), (3, 3), 1, 1, "valid", 1),
    ((2, 7, 6, 2), (3, 2), 2, (2, 1), "same", 1),
    ((1, 8, 7, 2), (2, 3), 2, 1, "valid", (2, 1)),
    ((1, 4, 5, 4, 2), (2, 2, 2), 2, 1, "same", 1),
]


def _channels_first_shape(shape):
    return (shape[0], shape[-1], *shape[1:-1])


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("input_shape, kernel_spatial, multiplier, strides, padding, dilation", CASES)
def test_depthwise_and_separable_match_numpy(
    data_format, input_shape, kernel_spatial, multiplier, strides, padding, dilation
):
    rng = np.random.default_rng(1)
    if data_format == "channels_first":
        input_shape = _channels_first_shape(input_shape)
    channels = input_shape[-1] if data_format == "channels_last" else input_shape[1]
    inputs = rng.standard_normal(input_shape).astype("float32")
    depthwise = rng.standard_normal((*kernel_spatial, channels, multiplier)).astype("float32")
    pointwise = rng.standard_normal((1,) * len(kernel_spatial) + (channels * multiplier, 4)).astype("float32")
    arguments = {
        "strides": strides,
        "padding": padding,
        "data_format": data_format,
        "dilation_rate": dilation,
    }
    actual = ops.depthwise_conv(ops.convert_to_tensor(inputs), ops.convert_to_tensor(depthwise), **arguments)
    reference_arguments = {"strides": strides, "padding": padding, "dilation": dilation}
    expected = reference_depthwise(inputs, depthwise, data_format=data_format, **reference_arguments)
    assert ops.convert_to_numpy(actual).dtype == np.float32
    assert_close(actual, expected, rtol=1e-4, atol=1e-4)
    separable = ops.separable_conv(
        ops.convert_to_tensor(inputs),
        ops.convert_to_tensor(depthwise),
        ops.convert_to_tensor(pointwise),
        **arguments,
    )
    expected = reference_separable(
        inputs, depthwise, pointwise, data_format=data_format, **reference_arguments
    )
    assert_close(separable, expected, rtol=1e-4, atol=1e-4)


def test_symbolic_shapes():
    inputs = KerasTensor((None, 7, None, 4))
    assert ops.depthwise_conv(inputs, KerasTensor((3, 3, 4, 2)), strides=2, padding="same").shape == (
        None,
        4,
        None,
        8,
    )
    separable = ops.separable_conv(inputs, KerasTensor((3, 3, 4, 2)), KerasTensor((1, 1, 8, 5)))
    assert separable.shape == (None, 5, None, 5)
    channels_first = ops.depthwise_conv(
        KerasTensor((2, 3, 9)), KerasTensor((2, 3, 1)), data_format="channels_first"
    )
    assert channels_first.shape == (2, 3, 8)


def test_bad_arguments_are_reported():
    inputs = ops.ones((1, 5, 2))
    with pytest.raises(ValueError, match="depthwise_conv"):
        ops.depthwise_conv(inputs, ops.ones((3, 2)))
    with pytest.raises(ValueError, match="separable_conv"):
        ops.separable_conv(inputs, ops.ones((3, 2, 1)), ops.ones((2, 2, 3)))
    with pytest.raises(ValueError, match="input channels"):
        ops.depthwise_conv(inputs, ops.ones((3, 3, 1)))
    with pytest.raises(ValueError, match="padding"):
        ops.depthwise_conv(inputs, ops.ones((3, 2, 1)), padding="full")


@pytest.mark.requires_trainable_backend
def test_gradients_match_finite_differences():
    rng = np.random.default_rng(2)
    inputs = rng.standard_normal((1, 5, 4, 2)).astype("float32")
    depthwise = rng.standard_normal((2, 2, 2, 2)).astype("float32")
    pointwise = rng.standard_normal((1, 1, 4, 3)).astype("float32")

    def function(x, d, p):
        return ops.separable_conv(x, d, p, strides=(2, 1), padding="same")

    def reference(x, d, p):
        return reference_separable(x, d, p, strides=(2, 1), padding="same")

    actual = gradient(function, inputs, depthwise, pointwise)
    expected = numerical_gradient(reference, inputs, depthwise, pointwise)
    for got, want in zip(actual, expected):
        assert_close(got, want, rtol=1e-3, atol=1e-3)
