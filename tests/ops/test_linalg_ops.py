"""Tests of lamina.ops.linalg against NumPy, finite differences and decomposition identities."""

import numpy as np
import pytest
from testing_utils import assert_close
from testing_utils import gradient
from testing_utils import numerical_gradient

import lamina
from lamina import ops

RNG = np.random.default_rng(0)
MATRICES = RNG.normal(size=(2, 3, 3)).astype("float32") + 3.0 * np.eye(3, dtype="float32")
SPD = (MATRICES @ np.swapaxes(MATRICES, -1, -2) + np.eye(3, dtype="float32")).astype("float32")


def _numpy(x):
    return ops.convert_to_numpy(x).astype("float64")


@pytest.mark.parametrize(
    "ord, axis",
    [
        (None, None),
        (None, -1),
        (1, 0),
        (3, -1),
        (np.inf, 1),
        (-np.inf, 1),
        (0, -1),
        (None, (0, 1)),
        ("fro", (0, 1)),
        ("nuc", (0, 1)),
        (1, (0, 1)),
        (-1, (0, 1)),
        (2, (0, 1)),
        (-2, (0, 1)),
        (np.inf, (0, 1)),
    ],
)
def test_norm(ord, axis):
    x = RNG.normal(size=(4, 3)).astype("float32")
    for keepdims in (False, True):
        result = ops.norm(x, ord=ord, axis=axis, keepdims=keepdims)
        expected = np.linalg.norm(x.astype("float64"), ord=ord, axis=axis, keepdims=keepdims)
        assert ops.shape(result) == np.shape(expected)
        assert ops.dtype(result) == "float32"
        assert_close(result, expected, rtol=1e-5, atol=1e-5)


def test_norm_higher_rank_and_integers():
    x = RNG.normal(size=(2, 3, 4)).astype("float32")
    assert_close(ops.norm(x), np.sqrt(np.sum(x.astype("float64") ** 2)))
    assert_close(ops.norm(x, axis=(1, 2)), np.linalg.norm(x.astype("float64"), axis=(1, 2)))
    assert ops.dtype(ops.norm(np.array([3, 4], dtype="int32"))) == "float32"
    assert ops.norm(lamina.KerasTensor((None, 3, 4)), axis=-1, keepdims=True).shape == (None, 3, 1)
    assert ops.norm(lamina.KerasTensor((None, 3, 4), dtype="int32"), axis=(1, 2)).dtype == "float32"
    with pytest.raises(ValueError, match="needs a 1-D or 2-D input"):
        ops.norm(lamina.KerasTensor((2, 3, 4)), ord=2)
    with pytest.raises(ValueError, match="is a matrix norm"):
        ops.norm(x, ord="fro", axis=-1)
    with pytest.raises(ValueError, match="the matrix norms take ord in"):
        ops.norm(x, ord=3, axis=(1, 2))


def test_inv_det_solve():
    assert_close(ops.inv(MATRICES), np.linalg.inv(MATRICES.astype("float64")), rtol=1e-4, atol=1e-5)
    assert_close(ops.det(MATRICES), np.linalg.det(MATRICES.astype("float64")), rtol=1e-4)
    vector = RNG.normal(size=(3,)).astype("float32")
    assert_close(
        ops.solve(MATRICES[0], vector), np.linalg.solve(MATRICES[0].astype("float64"), vector), rtol=1e-4
    )
    right = RNG.normal(size=(2, 3, 2)).astype("float32")
    assert_close(
        ops.solve(MATRICES, right), np.linalg.solve(MATRICES.astype("float64"), right), rtol=1e-4, atol=1e-5
    )


@pytest.mark.parametrize("lower", [True, False])
def test_solve_triangular_reads_one_triangle(lower):
    full = MATRICES[0]
    triangle = np.tril(full) if lower else np.triu(full)
    right = RNG.normal(size=(3, 2)).astype("float32")
    expected = np.linalg.solve(triangle.astype("float64"), right)
    assert_close(ops.solve_triangular(full, right, lower=lower), expected, rtol=1e-4, atol=1e-5)
    assert_close(ops.solve_triangular(full, right[:, 0], lower=lower), expected[:, 0], rtol=1e-4, atol=1e-5)


def test_cholesky():
    lower = _numpy(ops.cholesky(SPD))
    assert np.allclose(np.triu(lower, 1), 0.0)
    assert_close(lower @ np.swapaxes(lower, -1, -2), SPD, rtol=1e-4, atol=1e-4)
    assert_close(ops.cholesky(SPD), np.linalg.cholesky(SPD.astype("float64")), rtol=1e-4, atol=1e-5)
    upper = _numpy(ops.cholesky(SPD, upper=True))
    assert_close(upper, np.swapaxes(lower, -1, -2), rtol=1e-4, atol=1e-5)
    with pytest.raises(ValueError, match="cholesky: the input is not a symmetric positive-definite matrix"):
        ops.cholesky(np.array([[1.0, 2.0], [2.0, 1.0]], dtype="float32"))


@pytest.mark.parametrize("shape", [(4, 3), (3, 4), (2, 3, 3)])
@pytest.mark.parametrize("mode", ["reduced", "complete"])
def test_qr(shape, mode):
    x = RNG.normal(size=shape).astype("float32")
    q, r = (_numpy(part) for part in ops.qr(x, mode=mode))
    m, n = shape[-2:]
    k = min(m, n) if mode == "reduced" else m
    assert q.shape == shape[:-2] + (m, k) and r.shape == shape[:-2] + (k, n)
    assert_close(q @ r, x, rtol=1e-4, atol=1e-5)
    assert_close(np.swapaxes(q, -1, -2) @ q, np.broadcast_to(np.eye(k), shape[:-2] + (k, k)), atol=1e-5)
    assert np.allclose(np.tril(r, -1), 0.0, atol=1e-6)
    symbolic_q, symbolic_r = ops.qr(lamina.KerasTensor((None,) + shape[-2:]), mode=mode)
    assert symbolic_q.shape == (None, m, k) and symbolic_r.shape == (None, k, n)


@pytest.mark.parametrize("full_matrices", [True, False])
def test_svd(full_matrices):
    x = RNG.normal(size=(2, 4, 3)).astype("float32")
    u, s, vh = (_numpy(part) for part in ops.svd(x, full_matrices=full_matrices))
    assert_close(s, np.linalg.svd(x.astype("float64"), compute_uv=False), rtol=1e-5, atol=1e-5)
    assert u.shape == ((2, 4, 4) if full_matrices else (2, 4, 3)) and vh.shape == (2, 3, 3)
    assert_close((u[..., :, :3] * s[..., None, :]) @ vh, x, rtol=1e-4, atol=1e-5)
    assert_close(ops.svd(x, compute_uv=False), s)
    symbolic = ops.svd(lamina.KerasTensor((None, 4, 3)), full_matrices=full_matrices)
    assert [part.shape for part in symbolic] == [
        (None, 4, 4 if full_matrices else 3),
        (None, 3),
        (None, 3, 3),
    ]


def test_eigh():
    values, vectors = (_numpy(part) for part in ops.eigh(SPD))
    assert_close(values, np.linalg.eigvalsh(SPD.astype("float64")), rtol=1e-4)
    assert np.all(np.diff(values, axis=-1) >= 0)
    assert_close(SPD @ vectors, vectors * values[..., None, :], rtol=1e-3, atol=1e-3)
    symbolic_values, symbolic_vectors = ops.eigh(lamina.KerasTensor((None, 3, 3)))
    assert symbolic_values.shape == (None, 3) and symbolic_vectors.shape == (None, 3, 3)


def test_lstsq():
    a = RNG.normal(size=(6, 3)).astype("float32")
    b = RNG.normal(size=(6, 2)).astype("float32")
    expected = np.linalg.lstsq(a.astype("float64"), b.astype("float64"), rcond=None)[0]
    assert_close(ops.lstsq(a, b), expected, rtol=1e-4, atol=1e-5)
    assert_close(ops.lstsq(a, b[:, 0]), expected[:, 0], rtol=1e-4, atol=1e-5)
    assert ops.lstsq(lamina.KerasTensor((6, 3)), lamina.KerasTensor((6, 2))).shape == (3, 2)
    with pytest.raises(ValueError, match="lstsq expects b.shape\\[0\\] == a.shape\\[0\\]"):
        ops.lstsq(lamina.KerasTensor((6, 3)), lamina.KerasTensor((5,)))


def test_symbolic_shapes_and_errors():
    batch = lamina.KerasTensor((None, 3, 3))
    assert ops.inv(batch).shape == (None, 3, 3)
    assert ops.det(batch).shape == (None,)
    assert ops.cholesky(batch).shape == (None, 3, 3)
    assert ops.solve(batch, lamina.KerasTensor((None, 3, 2))).shape == (None, 3, 2)
    assert ops.solve(lamina.KerasTensor((3, 3)), lamina.KerasTensor((3,))).shape == (3,)
    assert ops.inv(lamina.KerasTensor((3, 3), dtype="int32")).dtype == "float32"
    with pytest.raises(ValueError, match="inv expects square matrices"):
        ops.inv(lamina.KerasTensor((None, 3, 4)))
    with pytest.raises(ValueError, match="det expects a tensor of rank >= 2"):
        ops.det(lamina.KerasTensor((3,)))
    with pytest.raises(ValueError, match="solve expects b of shape"):
        ops.solve(batch, lamina.KerasTensor((None, 4, 2)))
    with pytest.raises(ValueError, match="qr expects mode"):
        ops.qr(np.eye(2), mode="raw")


@pytest.mark.requires_trainable_backend
def test_gradients_match_finite_differences():
    a = MATRICES[0].astype("float64")
    b = RNG.normal(size=(3, 2))
    weights = RNG.normal(size=(3, 3))
    cases = [
        (ops.det, np.linalg.det, (a,)),
        (
            lambda x: ops.inv(x) * ops.convert_to_tensor(weights.astype("float32")),
            lambda x: np.linalg.inv(x) * weights,
            (a,),
        ),
        (ops.solve, np.linalg.solve, (a, b)),
        (lambda x: ops.norm(x), lambda x: np.linalg.norm(x), (a,)),
        (lambda x: ops.norm(x, ord=3, axis=0), lambda x: np.linalg.norm(x, ord=3, axis=0), (a,)),
    ]
    for op, reference, args in cases:
        actual = gradient(op, *(arg.astype("float32") for arg in args))
        expected = numerical_gradient(reference, *args, epsilon=1e-4)
        for actual_grad, expected_grad in zip(actual, expected):
            assert_close(actual_grad, expected_grad, rtol=2e-3, atol=2e-3)
    spd = SPD[0].astype("float64")
    (actual,) = gradient(
        lambda x: ops.cholesky(x) * ops.convert_to_tensor(weights.astype("float32")), spd.astype("float32")
    )
    # The Cholesky gradient is defined on symmetric inputs; symmetrize before comparing.
    (expected,) = numerical_gradient(lambda x: np.linalg.cholesky((x + x.T) / 2) * weights, spd, epsilon=1e-4)
    assert_close((actual + actual.T) / 2, (expected + expected.T) / 2, rtol=1e-2, atol=1e-3)
