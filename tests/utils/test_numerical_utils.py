"""`to_categorical` and `normalize` against NumPy references and Keras 3."""

import numpy as np
import pytest
from testing_utils import assert_close

from lamina import ops
from lamina.backend import backend
from lamina.utils import normalize
from lamina.utils import to_categorical


def one_hot_reference(labels, num_classes):
    return (np.asarray(labels)[..., None] == np.arange(num_classes)).astype("float32")


@pytest.mark.parametrize(
    "labels, num_classes",
    [
        ([0, 1, 2, 3], 4),
        ([2, 0, 1], None),
        (np.array([[1], [0], [2]]), None),
        (np.array([[0, 1], [2, 1]]), 5),
        (np.array([[[1]], [[0]]]), 3),
        (3, None),
        (np.array([1.0, 0.0]), 2),
    ],
)
def test_to_categorical_matches_keras_as_float32_numpy(keras, labels, num_classes):
    result = to_categorical(labels, num_classes=num_classes)
    expected = keras.utils.to_categorical(labels, num_classes=num_classes)
    assert isinstance(result, np.ndarray)
    assert result.dtype == np.float32
    assert result.shape == expected.shape
    np.testing.assert_array_equal(result, expected)


def test_to_categorical_against_numpy():
    labels = np.random.default_rng(0).integers(0, 6, size=(5, 4, 1))
    result = to_categorical(labels, 6)
    assert result.shape == (5, 4, 6)
    np.testing.assert_array_equal(result, one_hot_reference(labels[..., 0], 6))


def test_to_categorical_on_a_backend_tensor():
    labels = ops.convert_to_tensor(np.array([[2], [0]], dtype="int32"))
    result = to_categorical(labels)
    assert ops.is_tensor(result)
    assert ops.shape(result) == (2, 3)
    assert_close(result, one_hot_reference([2, 0], 3))
    assert_close(to_categorical(labels, num_classes=4), one_hot_reference([2, 0], 4))


@pytest.mark.parametrize(
    "labels, num_classes, error, match",
    [
        ([0, 3], 3, ValueError, r"labels in \[0, 2\] for num_classes=3\. Received labels in \[0, 3\]"),
        ([-1, 1], None, ValueError, r"Received labels in \[-1, 1\]"),
        ([0.5, 1.0], None, ValueError, "non-integer values"),
        ([], None, ValueError, "cannot infer num_classes from empty labels"),
        ([0, 1], 0, ValueError, "num_classes to be a positive integer"),
        (["a"], None, TypeError, "integer class labels"),
    ],
)
def test_to_categorical_errors(labels, num_classes, error, match):
    with pytest.raises(error, match=match):
        to_categorical(labels, num_classes=num_classes)


def l2_reference(x, axis):
    norm = np.sqrt(np.sum(np.square(x), axis=axis, keepdims=True))
    return x / np.where(norm == 0, 1, norm)


def test_normalize_numpy_matches_keras(keras):
    x = np.random.default_rng(1).normal(size=(3, 5)).astype("float32")
    x[1] = 0.0
    for order in (1, 2, 3):
        result = normalize(x, order=order)
        assert isinstance(result, np.ndarray) and result.dtype == np.float32
        np.testing.assert_allclose(result, keras.utils.normalize(x, order=order), rtol=1e-6, atol=1e-7)
    np.testing.assert_array_equal(normalize(x)[1], np.zeros(5))


@pytest.mark.parametrize("axis", [-1, 0, 1, (0, 2), None])
def test_normalize_numpy_against_numpy(axis):
    x = np.random.default_rng(2).normal(size=(2, 3, 4))
    result = normalize(x, axis=axis)
    np.testing.assert_allclose(result, l2_reference(x, axis), rtol=1e-12)
    assert result.shape == x.shape


def test_normalize_other_orders_against_numpy():
    x = np.random.default_rng(3).normal(size=(4, 3))
    np.testing.assert_allclose(normalize(x, order=1), x / np.abs(x).sum(-1, keepdims=True))
    np.testing.assert_allclose(normalize(x, order=np.inf), x / np.abs(x).max(-1, keepdims=True))
    np.testing.assert_allclose(normalize(x, order=3), x / np.linalg.norm(x, 3, axis=-1, keepdims=True))
    assert normalize([3, 4]).tolist() == [0.6, 0.8]
    assert normalize(np.float64(-2.0)).tolist() == [-1.0]


def test_normalize_backend_tensor_returns_backend_tensor():
    x = np.random.default_rng(4).normal(size=(3, 4)).astype("float32")
    result = normalize(ops.convert_to_tensor(x), axis=-1)
    assert ops.is_tensor(result)
    if backend() != "numpy":
        assert not isinstance(result, np.ndarray)
    assert_close(result, l2_reference(x, -1))
    assert_close(normalize(ops.convert_to_tensor(x), axis=0, order=1), x / np.abs(x).sum(0, keepdims=True))


def test_normalize_bad_order():
    with pytest.raises(ValueError, match="order to be an int >= 1"):
        normalize(np.ones((2, 2)), order=0.5)
