"""Tests of lamina.ops.math: segment reductions, top-k, logsumexp, special functions."""

import math

import numpy as np
import pytest
from testing_utils import assert_close
from testing_utils import gradient

import lamina
from lamina import ops

_erf = np.vectorize(math.erf)


def _logsumexp_reference(x, axis=None, keepdims=False):
    largest = np.max(x, axis=axis, keepdims=True)
    result = np.log(np.sum(np.exp(x - largest), axis=axis, keepdims=True)) + largest
    return result if keepdims else np.squeeze(result, axis=axis)


@pytest.mark.parametrize(
    "axis, keepdims", [(None, False), (None, True), (1, False), (-1, True), ((0, 2), False)]
)
def test_logsumexp(axis, keepdims):
    x = np.random.default_rng(0).normal(scale=3.0, size=(2, 3, 4)).astype("float32")
    result = ops.logsumexp(x, axis=axis, keepdims=keepdims)
    expected = _logsumexp_reference(x.astype("float64"), axis, keepdims)
    assert ops.shape(result) == np.shape(expected)
    assert_close(result, expected)
    symbolic = ops.logsumexp(lamina.KerasTensor((None, 3, 4)), axis=axis, keepdims=keepdims)
    assert symbolic.shape == tuple(None if size == 2 else size for size in np.shape(expected))


def test_logsumexp_extreme_values():
    assert_close(ops.logsumexp(np.array([1000.0, 1000.0], dtype="float32")), 1000.0 + np.log(2.0))
    assert_close(ops.logsumexp(np.array([-1000.0, -1000.0], dtype="float32")), -1000.0 + np.log(2.0))
    assert_close(ops.logsumexp(np.array([0.0, -np.inf], dtype="float32")), 0.0)
    assert (
        float(ops.convert_to_numpy(ops.logsumexp(np.array([-np.inf, -np.inf], dtype="float32")))) == -np.inf
    )
    assert ops.dtype(ops.logsumexp(np.array([1, 2], dtype="int32"))) == "float32"


@pytest.mark.requires_trainable_backend
def test_logsumexp_gradient_is_softmax():
    x = np.array([[1000.0, 0.0, -3.0], [0.5, 0.25, 2.0]], dtype="float32")
    (actual,) = gradient(lambda v: ops.logsumexp(v, axis=-1), x)
    shifted = np.exp(x - x.max(axis=-1, keepdims=True))
    assert_close(actual, shifted / shifted.sum(axis=-1, keepdims=True))


@pytest.mark.parametrize("k", [1, 3, 5])
def test_top_k(k):
    x = np.random.default_rng(1).permutation(20).reshape(4, 5).astype("float32")
    values, indices = ops.top_k(x, k)
    expected_indices = np.argsort(-x, axis=-1)[:, :k]
    assert ops.dtype(indices) == "int32"
    assert ops.convert_to_numpy(indices).tolist() == expected_indices.tolist()
    assert_close(values, np.take_along_axis(x, expected_indices, axis=-1))
    symbolic_values, symbolic_indices = ops.top_k(lamina.KerasTensor((None, 5)), k)
    assert symbolic_values.shape == symbolic_indices.shape == (None, k)
    assert symbolic_indices.dtype == "int32"


def test_top_k_integer_input_and_errors():
    values, indices = ops.top_k(np.array([5, 2, 7, 1, 9, 3], dtype="int32"), 3)
    assert ops.convert_to_numpy(values).tolist() == [9, 7, 5]
    assert ops.convert_to_numpy(indices).tolist() == [4, 2, 0]
    with pytest.raises(ValueError, match="top_k expects 0 <= k <= x.shape"):
        ops.top_k(lamina.KerasTensor((None, 3)), 4)


def test_in_top_k():
    predictions = np.array(
        [[0.1, 0.4, 0.6, 0.9, 0.5], [0.1, 0.7, 0.9, 0.8, 0.3], [0.1, 0.6, 0.9, 0.9, 0.5]], dtype="float32"
    )
    targets = np.array([2, 0, 3], dtype="int32")
    # Row 3 has a tie at the top; tied classes count as in the top k.
    for k in (1, 2, 3, 5):
        expected = [int(np.sum(row > row[target])) < k for row, target in zip(predictions, targets)]
        result = ops.in_top_k(targets, predictions, k)
        assert ops.dtype(result) == "bool"
        assert ops.convert_to_numpy(result).tolist() == expected
    assert ops.in_top_k(
        lamina.KerasTensor((None,), dtype="int32"), lamina.KerasTensor((None, 5)), 2
    ).shape == (None,)


def test_erf_erfinv_rsqrt():
    x = np.linspace(-2.5, 2.5, 11).astype("float32")
    assert_close(ops.erf(x), _erf(x.astype("float64")), atol=1e-6)
    y = np.linspace(-0.95, 0.95, 9).astype("float32")
    inverse = ops.convert_to_numpy(ops.erfinv(y)).astype("float64")
    assert_close(_erf(inverse), y, atol=1e-5)
    positive = np.array([0.25, 1.0, 4.0, 9.0], dtype="float32")
    assert_close(ops.rsqrt(positive), [2.0, 1.0, 0.5, 1.0 / 3.0])
    for op in (ops.erf, ops.erfinv, ops.rsqrt):
        assert op(lamina.KerasTensor((None, 2), dtype="int32")).dtype == "float32"


@pytest.mark.requires_trainable_backend
def test_special_function_gradients():
    x = np.array([0.3, 0.7, 1.5, 2.0], dtype="float32")
    (actual,) = gradient(ops.erf, x)
    assert_close(actual, 2.0 / np.sqrt(np.pi) * np.exp(-(x.astype("float64") ** 2)), rtol=1e-4)
    (actual,) = gradient(ops.rsqrt, x)
    assert_close(actual, -0.5 * x.astype("float64") ** -1.5, rtol=1e-4)
    y = np.array([-0.5, 0.1, 0.6], dtype="float32")
    (actual,) = gradient(ops.erfinv, y)
    inverse = ops.convert_to_numpy(ops.erfinv(y)).astype("float64")
    assert_close(actual, np.sqrt(np.pi) / 2.0 * np.exp(inverse**2), rtol=1e-4)


def _segment_reference(data, ids, count, reduce, identity):
    result = np.full((count,) + data.shape[1:], identity, dtype="float64")
    for row, segment in zip(data, ids):
        if 0 <= segment < count:
            result[segment] = reduce(result[segment], row)
    return result


@pytest.mark.parametrize("name", ["segment_sum", "segment_max"])
def test_segment_reductions(name):
    op = getattr(ops, name)
    reduce, identity = (np.add, 0.0) if name == "segment_sum" else (np.maximum, -np.inf)
    data = np.random.default_rng(2).normal(size=(6, 3)).astype("float32")
    ids = np.array([0, 0, 2, 2, 2, 5], dtype="int32")
    # Segment 1 is empty; id 5 lies outside num_segments=4 and is dropped.
    assert_close(op(data, ids, num_segments=4), _segment_reference(data, ids, 4, reduce, identity))
    inferred = op(data, ids)
    assert ops.shape(inferred) == (6, 3)
    assert_close(inferred, _segment_reference(data, ids, 6, reduce, identity))
    integers = op(
        np.array([1, 2, 10, 20], dtype="int32"), np.array([0, 0, 1, 1], dtype="int32"), num_segments=2
    )
    assert ops.dtype(integers) == "int32"
    assert ops.convert_to_numpy(integers).tolist() == ([3, 30] if name == "segment_sum" else [2, 20])
    assert op(lamina.KerasTensor((None, 3)), lamina.KerasTensor((None,), dtype="int32"), 4).shape == (4, 3)
    with pytest.raises(ValueError, match=f"{name} expects one segment id per row"):
        op(np.zeros((3, 2)), np.zeros((4,), dtype="int32"), num_segments=2)


@pytest.mark.requires_trainable_backend
def test_segment_sum_gradient():
    data = np.random.default_rng(3).normal(size=(5, 2)).astype("float32")
    ids = np.array([1, 0, 1, 2, 0], dtype="int32")
    weights = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], dtype="float32")
    (actual,) = gradient(
        lambda d: ops.segment_sum(d, ids, num_segments=3) * ops.convert_to_tensor(weights), data
    )
    assert_close(actual, weights[ids])


@pytest.mark.jax_only
def test_segment_sum_in_jit_needs_num_segments():
    import jax

    data, ids = np.ones((3,), dtype="float32"), np.array([0, 1, 1], dtype="int32")
    assert_close(jax.jit(lambda d, i: ops.segment_sum(d, i, num_segments=2))(data, ids), [1.0, 2.0])
    with pytest.raises(ValueError, match="segment_sum needs num_segments inside a compiled function"):
        jax.jit(lambda d, i: ops.segment_sum(d, i))(data, ids)


def test_logdet():
    rng = np.random.default_rng(4)
    matrices = rng.normal(size=(3, 4, 4)).astype("float32")
    expected = np.linalg.slogdet(matrices.astype("float64"))[1]
    assert_close(ops.logdet(matrices), expected, rtol=1e-4, atol=1e-4)
    assert ops.logdet(lamina.KerasTensor((None, 4, 4))).shape == (None,)
    with pytest.raises(ValueError, match="logdet expects square matrices"):
        ops.logdet(lamina.KerasTensor((2, 3)))


@pytest.mark.parametrize("length, stride", [(3, 2), (4, 1), (5, 5)])
def test_extract_sequences(length, stride):
    x = np.arange(2 * 11, dtype="float32").reshape(2, 11)
    count = 1 + (11 - length) // stride
    expected = np.stack([x[:, i * stride : i * stride + length] for i in range(count)], axis=1)
    result = ops.extract_sequences(x, length, stride)
    assert_close(result, expected)
    assert ops.extract_sequences(lamina.KerasTensor((None, 11)), length, stride).shape == (
        None,
        count,
        length,
    )
    assert ops.extract_sequences(lamina.KerasTensor((2, None)), length, stride).shape == (2, None, length)


def test_numpy_backend_special_functions_without_scipy(monkeypatch):
    # scipy is optional for the NumPy backend; its fallback must agree with math.erf.
    from lamina.backend.numpy import math as numpy_math

    monkeypatch.setattr(numpy_math, "_scipy_special", lambda: None)
    x = np.linspace(-3.0, 3.0, 13)
    np.testing.assert_allclose(numpy_math.erf(x), _erf(x), rtol=1e-12, atol=1e-15)
    y = np.array([-1.0, -0.999, -0.5, 0.0, 0.3, 0.9, 0.99999, 1.0])
    inverse = numpy_math.erfinv(y)
    assert inverse[0] == -np.inf and inverse[-1] == np.inf
    np.testing.assert_allclose(_erf(inverse[1:-1]), y[1:-1], rtol=1e-12, atol=1e-14)
    assert np.isnan(numpy_math.erfinv(np.array([1.5]))).all()
