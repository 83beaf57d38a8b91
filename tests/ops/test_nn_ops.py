"""Tests of lamina.ops.nn: activations, softmax, encodings, crossentropies, moments."""

import math
import os
import sys

import numpy as np
import pytest
from testing_utils import assert_close
from testing_utils import gradient
from testing_utils import numerical_gradient

import lamina
from lamina import ops

_erf = np.vectorize(math.erf)
_SELU_ALPHA = 1.6732632423543772
_SELU_SCALE = 1.0507009873554805


def _keras():
    """The real Keras (JAX backend), used as a numerical oracle."""
    if "keras" not in sys.modules:
        os.environ["KERAS_BACKEND"] = "jax"
    keras = pytest.importorskip("keras")
    if keras.backend.backend() != "jax":
        pytest.skip("keras was imported with another backend")
    return keras


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _softplus(x):
    return np.logaddexp(0.0, x)


def _softmax(x, axis=-1):
    exponentials = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return exponentials / np.sum(exponentials, axis=axis, keepdims=True)


def _log_softmax(x, axis=-1):
    return np.log(_softmax(x, axis=axis))


def _gelu_tanh(x):
    return 0.5 * x * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * x**3)))


def _glu(x):
    first, second = np.split(x, 2, axis=-1)
    return first * _sigmoid(second)


# name -> (lamina op, float64 NumPy reference)
ACTIVATIONS = {
    "relu": (ops.relu, lambda x: np.maximum(x, 0.0)),
    "relu6": (ops.relu6, lambda x: np.clip(x, 0.0, 6.0)),
    "sigmoid": (ops.sigmoid, _sigmoid),
    "softplus": (ops.softplus, _softplus),
    "softsign": (ops.softsign, lambda x: x / (np.abs(x) + 1.0)),
    "silu": (ops.silu, lambda x: x * _sigmoid(x)),
    "swish": (ops.swish, lambda x: x * _sigmoid(x)),
    "log_sigmoid": (ops.log_sigmoid, lambda x: -_softplus(-x)),
    "leaky_relu": (ops.leaky_relu, lambda x: np.where(x >= 0, x, 0.2 * x)),
    "leaky_relu_0.5": (
        lambda x: ops.leaky_relu(x, negative_slope=0.5),
        lambda x: np.where(x >= 0, x, 0.5 * x),
    ),
    "hard_sigmoid": (ops.hard_sigmoid, lambda x: np.clip(x + 3.0, 0.0, 6.0) / 6.0),
    "hard_silu": (ops.hard_silu, lambda x: x * np.clip(x + 3.0, 0.0, 6.0) / 6.0),
    "hard_swish": (ops.hard_swish, lambda x: x * np.clip(x + 3.0, 0.0, 6.0) / 6.0),
    "elu": (ops.elu, lambda x: np.where(x > 0, x, np.expm1(x))),
    "elu_0.5": (lambda x: ops.elu(x, alpha=0.5), lambda x: np.where(x > 0, x, 0.5 * np.expm1(x))),
    "selu": (ops.selu, lambda x: _SELU_SCALE * np.where(x > 0, x, _SELU_ALPHA * np.expm1(x))),
    "gelu": (ops.gelu, _gelu_tanh),
    "gelu_exact": (
        lambda x: ops.gelu(x, approximate=False),
        lambda x: 0.5 * x * (1.0 + _erf(x / np.sqrt(2.0))),
    ),
    "celu": (lambda x: ops.celu(x, alpha=2.0), lambda x: np.where(x > 0, x, 2.0 * np.expm1(x / 2.0))),
    "glu": (ops.glu, _glu),
    "mish": (ops.mish, lambda x: x * np.tanh(_softplus(x))),
    "softmax": (ops.softmax, _softmax),
    "softmax_axis0": (lambda x: ops.softmax(x, axis=0), lambda x: _softmax(x, axis=0)),
    "softmax_all_axes": (lambda x: ops.softmax(x, axis=(0, 1)), lambda x: _softmax(x, axis=(0, 1))),
    "log_softmax": (ops.log_softmax, _log_softmax),
    "log_softmax_axis0": (lambda x: ops.log_softmax(x, axis=0), lambda x: _log_softmax(x, axis=0)),
}

# A grid that stays away from the kinks at 0 and +-3 (finite differences need smoothness).
GRID = np.linspace(-4.1, 4.3, 12).reshape(3, 4)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_forward_matches_numpy(name):
    op, reference = ACTIVATIONS[name]
    x = np.random.default_rng(0).normal(scale=3.0, size=(3, 4)).astype("float32")
    result = op(x)
    assert ops.dtype(result) == "float32"
    assert_close(result, reference(x.astype("float64")), rtol=1e-5, atol=1e-6)


@pytest.mark.requires_trainable_backend
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_gradient_matches_finite_differences(name):
    op, reference = ACTIVATIONS[name]
    # Weighting the outputs keeps the softmax gradient (which sums to zero) informative.
    weights = np.arange(1.0, 13.0).reshape(3, 4)
    width = weights.shape[1] // 2 if name == "glu" else weights.shape[1]
    weights = weights[:, :width]
    (actual,) = gradient(
        lambda x: op(x) * ops.convert_to_tensor(weights.astype("float32")), GRID.astype("float32")
    )
    (expected,) = numerical_gradient(lambda x: reference(x) * weights, GRID)
    assert_close(actual, expected, rtol=1e-3, atol=1e-3)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_symbolic_shape(name):
    op, _ = ACTIVATIONS[name]
    x = lamina.KerasTensor((None, 4), dtype="float32")
    result = op(x)
    assert result.shape == ((None, 2) if name == "glu" else (None, 4))
    assert result.dtype == "float32"


def test_integer_inputs():
    assert ops.dtype(ops.relu(np.array([-1, 2], dtype="int32"))) == "int32"
    assert ops.convert_to_numpy(ops.relu6(np.array([-1, 9], dtype="int32"))).tolist() == [0, 6]
    assert ops.dtype(ops.sigmoid(np.array([0, 1], dtype="int32"))) == "float32"
    assert ops.sigmoid(lamina.KerasTensor((2,), dtype="int32")).dtype == "float32"
    assert ops.relu(lamina.KerasTensor((2,), dtype="int32")).dtype == "int32"


def test_float16_keeps_dtype():
    x = np.array([-1.0, 0.5, 2.0], dtype="float16")
    for op in (ops.sigmoid, ops.gelu, ops.softmax, ops.silu, ops.elu):
        assert ops.dtype(op(x)) == "float16"


def test_extreme_inputs_stay_finite():
    big = np.array([[1000.0, 0.0, -1000.0]], dtype="float32")
    assert_close(ops.softmax(big), [[1.0, 0.0, 0.0]])
    assert_close(ops.log_softmax(big), [[0.0, -1000.0, -2000.0]])
    assert_close(ops.softplus(big), [[1000.0, np.log(2.0), 0.0]])
    assert_close(ops.log_sigmoid(big), [[0.0, -np.log(2.0), -1000.0]])
    assert_close(ops.sigmoid(big), [[1.0, 0.5, 0.0]])


@pytest.mark.requires_trainable_backend
def test_softmax_gradients_are_finite_for_large_logits():
    logits = np.array([[1000.0, 0.0, -1000.0]], dtype="float32")
    weights = ops.convert_to_tensor(np.array([[1.0, 2.0, 3.0]], dtype="float32"))
    for op in (ops.softmax, ops.log_softmax):
        (grad,) = gradient(lambda x, op=op: op(x) * weights, logits)
        assert np.isfinite(grad).all()
    (grad,) = gradient(lambda x: ops.log_softmax(x) * weights, logits)
    assert_close(grad, [[1.0 - 6.0, 2.0, 3.0]], atol=1e-4)


def test_glu_odd_axis_raises():
    with pytest.raises(ValueError, match="glu splits its input"):
        ops.glu(lamina.KerasTensor((2, 5)))


def test_softmax_bad_axis_raises():
    with pytest.raises(ValueError, match="softmax: axis 3"):
        ops.softmax(lamina.KerasTensor((2, 5)), axis=3)


def test_against_keras_oracle():
    keras = _keras()
    x = np.random.default_rng(1).normal(scale=3.0, size=(4, 6)).astype("float32")
    pairs = [
        (ops.gelu(x), keras.ops.gelu(x)),
        (ops.gelu(x, approximate=False), keras.ops.gelu(x, approximate=False)),
        (ops.selu(x), keras.ops.selu(x)),
        (ops.hard_sigmoid(x), keras.ops.hard_sigmoid(x)),
        (ops.leaky_relu(x), keras.ops.leaky_relu(x)),
        (ops.leaky_relu(x, negative_slope=0.1), keras.ops.leaky_relu(x, negative_slope=0.1)),
        (ops.hard_silu(x), keras.ops.hard_silu(x)),
        (ops.celu(x), keras.ops.celu(x)),
        (ops.glu(x), keras.ops.glu(x)),
        (ops.log_softmax(x, axis=0), keras.ops.log_softmax(x, axis=0)),
    ]
    for actual, expected in pairs:
        assert_close(actual, np.asarray(expected), rtol=1e-5, atol=1e-6)


# -- encodings ------------------------------------------------------------------------


def _one_hot_reference(labels, num_classes, axis=-1):
    labels = np.asarray(labels)
    encoded = (labels[..., None] == np.arange(num_classes)).astype("float32")
    return np.moveaxis(encoded, -1, axis) if axis != -1 else encoded


@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_one_hot(axis):
    labels = np.array([[0, 2, 1], [3, -1, 4]], dtype="int32")
    result = ops.one_hot(labels, 4, axis=axis)
    assert ops.dtype(result) == "float32"
    assert_close(result, _one_hot_reference(labels, 4, axis))
    symbolic = ops.one_hot(lamina.KerasTensor((None, 3), dtype="int32"), 4, axis=axis)
    assert symbolic.shape == {-1: (None, 3, 4), 0: (4, None, 3), 1: (None, 4, 3)}[axis]


def test_one_hot_dtype_and_errors():
    assert ops.dtype(ops.one_hot([1], 3, dtype="int32")) == "int32"
    with pytest.raises(ValueError, match="one_hot: sparse=True is not supported"):
        ops.one_hot([1], 3, sparse=True)
    with pytest.raises(ValueError, match="one_hot expects axis"):
        ops.one_hot(lamina.KerasTensor((2,), dtype="int32"), 3, axis=4)


def test_multi_hot():
    labels = np.array([[0, 2, 2], [1, 1, 3]], dtype="int32")
    expected = np.array([[1, 0, 1, 0], [0, 1, 0, 1]], dtype="float32")
    assert_close(ops.multi_hot(labels, 4), expected)
    assert_close(ops.multi_hot(np.array([0, 3]), num_tokens=5), [1, 0, 0, 1, 0])
    assert ops.multi_hot(lamina.KerasTensor((None, 3), dtype="int32"), 4).shape == (None, 4)
    assert ops.multi_hot(lamina.KerasTensor((3,), dtype="int32"), 4).shape == (4,)


# -- crossentropies -------------------------------------------------------------------

EPSILON = 1e-7


def _categorical_reference(target, output, from_logits, axis=-1):
    if from_logits:
        log_probabilities = _log_softmax(output, axis=axis)
    else:
        output = np.clip(output / output.sum(axis=axis, keepdims=True), EPSILON, 1 - EPSILON)
        log_probabilities = np.log(output)
    return -np.sum(target * log_probabilities, axis=axis)


def _binary_reference(target, output, from_logits):
    if from_logits:
        return -target * -_softplus(-output) - (1 - target) * -_softplus(output)
    output = np.clip(output, EPSILON, 1 - EPSILON)
    return -(target * np.log(output) + (1 - target) * np.log(1 - output))


def _classification_data(axis=-1):
    rng = np.random.default_rng(2)
    logits = rng.normal(scale=2.0, size=(4, 5)).astype("float32")
    labels = rng.integers(0, 5, size=(4,)).astype("int32")
    target = _one_hot_reference(labels, 5)
    if axis == 0:
        logits, target = logits.T.copy(), target.T.copy()
    return logits, labels, target


@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("axis", [-1, 0])
def test_categorical_crossentropies(from_logits, axis):
    logits, labels, target = _classification_data(axis)
    output = logits if from_logits else _softmax(logits.astype("float64"), axis=axis).astype("float32")
    expected = _categorical_reference(target.astype("float64"), output.astype("float64"), from_logits, axis)
    categorical = ops.categorical_crossentropy(target, output, from_logits=from_logits, axis=axis)
    sparse = ops.sparse_categorical_crossentropy(labels, output, from_logits=from_logits, axis=axis)
    assert ops.shape(categorical) == (4,) and ops.shape(sparse) == (4,)
    assert_close(categorical, expected, rtol=1e-5, atol=1e-5)
    assert_close(sparse, expected, rtol=1e-5, atol=1e-5)


def test_crossentropy_clips_and_renormalizes_probabilities():
    target = np.array([[0.0, 1.0, 0.0]], dtype="float32")
    # Unnormalized probabilities with an exact zero at the target class.
    output = np.array([[2.0, 0.0, 2.0]], dtype="float32")
    result = ops.categorical_crossentropy(target, output)
    assert_close(result, [-np.log(EPSILON)], rtol=1e-4)
    # 1 - epsilon rounds in float32, so log(1 - clipped) sees float32's nearest value.
    upper = np.float64(np.float32(1.0 - EPSILON))
    assert_close(
        ops.binary_crossentropy([1.0, 0.0], [0.0, 1.0]), [-np.log(EPSILON), -np.log(1.0 - upper)], rtol=1e-4
    )


def test_sparse_crossentropy_accepts_trailing_unit_axis():
    logits, labels, _ = _classification_data()
    flat = ops.sparse_categorical_crossentropy(labels, logits, from_logits=True)
    column = ops.sparse_categorical_crossentropy(labels[:, None], logits, from_logits=True)
    assert_close(column, ops.convert_to_numpy(flat))


@pytest.mark.parametrize("from_logits", [False, True])
def test_binary_crossentropy(from_logits):
    rng = np.random.default_rng(3)
    target = rng.uniform(size=(3, 4)).astype("float32")
    output = (
        rng.normal(size=(3, 4)).astype("float32")
        if from_logits
        else rng.uniform(size=(3, 4)).astype("float32")
    )
    result = ops.binary_crossentropy(target, output, from_logits=from_logits)
    assert ops.shape(result) == (3, 4)
    assert_close(result, _binary_reference(target.astype("float64"), output.astype("float64"), from_logits))


def test_binary_crossentropy_from_large_logits_is_finite():
    result = ops.convert_to_numpy(ops.binary_crossentropy([1.0, 0.0], [-200.0, 200.0], from_logits=True))
    assert_close(result, [200.0, 200.0], rtol=1e-5)


@pytest.mark.requires_trainable_backend
def test_crossentropy_gradients_match_finite_differences():
    logits, labels, target = _classification_data()
    (actual,) = gradient(lambda x: ops.categorical_crossentropy(target, x, from_logits=True), logits)
    (expected,) = numerical_gradient(lambda x: _categorical_reference(target, x, True), logits)
    assert_close(actual, expected, rtol=1e-3, atol=1e-3)
    (actual,) = gradient(lambda x: ops.sparse_categorical_crossentropy(labels, x, from_logits=True), logits)
    assert_close(actual, expected, rtol=1e-3, atol=1e-3)
    probabilities = _softmax(logits.astype("float64")).astype("float32")
    (actual,) = gradient(lambda p: ops.categorical_crossentropy(target, p), probabilities)
    (expected,) = numerical_gradient(
        lambda p: _categorical_reference(target, p, False), probabilities, epsilon=1e-5
    )
    assert_close(actual, expected, rtol=1e-2, atol=1e-2)
    binary_target = (target > 0).astype("float32")
    (actual,) = gradient(lambda x: ops.binary_crossentropy(binary_target, x, from_logits=True), logits)
    (expected,) = numerical_gradient(lambda x: _binary_reference(binary_target, x, True), logits)
    assert_close(actual, expected, rtol=1e-3, atol=1e-3)


def test_crossentropy_symbolic_shapes_and_errors():
    target = lamina.KerasTensor((None, 5))
    output = lamina.KerasTensor((None, 5))
    assert ops.categorical_crossentropy(target, output).shape == (None,)
    assert ops.categorical_crossentropy(target, output, axis=0).shape == (5,)
    assert ops.binary_crossentropy(target, output).shape == (None, 5)
    labels = lamina.KerasTensor((None,), dtype="int32")
    assert ops.sparse_categorical_crossentropy(labels, output).shape == (None,)
    with pytest.raises(
        ValueError, match="categorical_crossentropy expects target and output of the same shape"
    ):
        ops.categorical_crossentropy(np.zeros((2, 3)), np.ones((2, 4)))
    with pytest.raises(ValueError, match="sparse_categorical_crossentropy expects integer targets"):
        ops.sparse_categorical_crossentropy(lamina.KerasTensor((None, 2), dtype="int32"), output)


def test_crossentropies_against_keras_oracle():
    keras = _keras()
    logits, labels, target = _classification_data()
    probabilities = _softmax(logits.astype("float64")).astype("float32")
    for from_logits, output in ((True, logits), (False, probabilities), (False, probabilities * 3.0)):
        assert_close(
            ops.categorical_crossentropy(target, output, from_logits=from_logits),
            np.asarray(keras.ops.categorical_crossentropy(target, output, from_logits=from_logits)),
        )
        assert_close(
            ops.sparse_categorical_crossentropy(labels, output, from_logits=from_logits),
            np.asarray(keras.ops.sparse_categorical_crossentropy(labels, output, from_logits=from_logits)),
        )
    binary_target = (target > 0).astype("float32")
    for from_logits, output in ((True, logits), (False, _sigmoid(logits).astype("float32"))):
        assert_close(
            ops.binary_crossentropy(binary_target, output, from_logits=from_logits),
            np.asarray(keras.ops.binary_crossentropy(binary_target, output, from_logits=from_logits)),
        )


# -- normalization --------------------------------------------------------------------


@pytest.mark.parametrize("axes, keepdims", [([0], False), ([0, 2], True), ((1,), False), (-1, False)])
def test_moments(axes, keepdims):
    x = np.random.default_rng(4).normal(loc=3.0, size=(4, 3, 5)).astype("float32")
    mean, variance = ops.moments(x, axes, keepdims=keepdims)
    numpy_axes = tuple(axes) if isinstance(axes, (list, tuple)) else axes
    assert_close(mean, x.astype("float64").mean(axis=numpy_axes, keepdims=keepdims))
    assert_close(variance, x.astype("float64").var(axis=numpy_axes, keepdims=keepdims))
    symbolic_mean, symbolic_variance = ops.moments(lamina.KerasTensor((None, 3, 5)), axes, keepdims=keepdims)
    expected_shape = tuple(None if size == 4 else size for size in ops.shape(mean))
    assert symbolic_mean.shape == symbolic_variance.shape == expected_shape


def test_moments_float16_does_not_overflow():
    x = np.full((1000,), 300.0, dtype="float16")
    mean, variance = ops.moments(x, axes=[0])
    assert ops.dtype(mean) == "float16"
    assert float(ops.convert_to_numpy(mean)) == 300.0
    assert float(ops.convert_to_numpy(variance)) == 0.0


def test_moments_synchronized_raises():
    with pytest.raises(NotImplementedError, match="synchronized=True"):
        ops.moments(np.ones((2, 2)), axes=[0], synchronized=True)


@pytest.mark.requires_trainable_backend
def test_moments_gradient():
    x = GRID.astype("float32")
    (actual,) = gradient(lambda v: ops.moments(v, axes=[0])[1] * ops.convert_to_tensor(np.float32(2.0)), x)
    (expected,) = numerical_gradient(lambda v: 2.0 * v.var(axis=0), GRID)
    assert_close(actual, expected, rtol=1e-3, atol=1e-3)


def test_batch_normalization():
    rng = np.random.default_rng(5)
    x = rng.normal(size=(4, 3)).astype("float32")
    mean, variance = rng.normal(size=3), rng.uniform(0.5, 2.0, size=3)
    offset, scale = rng.normal(size=3), rng.normal(size=3)
    vectors = [value.astype("float32") for value in (mean, variance, offset, scale)]
    result = ops.batch_normalization(x, vectors[0], vectors[1], axis=1, offset=vectors[2], scale=vectors[3])
    assert_close(result, (x - mean) / np.sqrt(variance + 1e-3) * scale + offset)
    channels_first = ops.batch_normalization(x.T.copy(), vectors[0], vectors[1], axis=0, epsilon=0.1)
    assert_close(channels_first, ((x - mean) / np.sqrt(variance + 0.1)).T)
    with pytest.raises(ValueError, match="batch_normalization expects mean to be a vector of length"):
        ops.batch_normalization(lamina.KerasTensor((None, 3)), np.zeros(4), np.ones(3), axis=-1)


@pytest.mark.parametrize("order", [1, 2, 3])
def test_normalize(order):
    x = np.random.default_rng(6).normal(size=(3, 4)).astype("float32")
    norm = np.sum(np.abs(x.astype("float64")) ** order, axis=-1, keepdims=True) ** (1.0 / order)
    assert_close(ops.normalize(x, order=order), x / norm)
    assert_close(ops.normalize(np.zeros((2,), dtype="float32")), [0.0, 0.0])
    assert ops.normalize(lamina.KerasTensor((None, 4)), axis=0).shape == (None, 4)
    with pytest.raises(ValueError, match="normalize expects order"):
        ops.normalize(x, order=0)
