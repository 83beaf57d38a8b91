"""lamina.ops.numpy matrix ops: triangles, diagonals, trace and the products (dot ... einsum)."""

import numpy as np
import pytest
from numpy_op_harness import case
from numpy_op_harness import check_forward
from numpy_op_harness import check_gradient
from numpy_op_harness import check_symbolic
from numpy_op_harness import grad_cases

import lamina
from lamina import ops

RNG = np.random.default_rng(4)


def normal(*shape):
    return RNG.normal(size=shape).astype("float32")


A = normal(3, 4)
B = normal(4, 5)
BATCH_A = normal(2, 3, 4)
V = normal(4)
INT_A = RNG.integers(-3, 4, size=(3, 4)).astype("int32")
INT_B = RNG.integers(-3, 4, size=(4, 2)).astype("int32")
BOOL_A = RNG.random((3, 4)) < 0.5
BOOL_B = RNG.random((4, 2)) < 0.5


def _cross(a, b, axisa=-1, axisb=-1, axisc=-1):
    """np.cross, with 2-element vectors (deprecated there) embedded in the z = 0 plane."""
    a, b = np.moveaxis(a, axisa, -1), np.moveaxis(b, axisb, -1)
    planar = a.shape[-1] == 2 and b.shape[-1] == 2
    a = np.concatenate([a, np.zeros(a.shape[:-1] + (1,), a.dtype)], -1) if a.shape[-1] == 2 else a
    b = np.concatenate([b, np.zeros(b.shape[:-1] + (1,), b.dtype)], -1) if b.shape[-1] == 2 else b
    result = np.cross(a, b)
    return result[..., 2] if planar else np.moveaxis(result, -1, axisc)


STRUCTURE = [
    case("triu", ops.triu, np.triu, A, grad=True),
    case("triu_k", ops.triu, np.triu, BATCH_A, k=1),
    case("tril", ops.tril, np.tril, A, k=-1, grad=True),
    case("tril_int", ops.tril, np.tril, INT_A, k=2),
    case("diag_extract", ops.diag, np.diag, A, grad=True),
    case("diag_extract_offset", ops.diag, np.diag, A, k=-1),
    case("diag_build", ops.diag, np.diag, V, k=2, grad=True),
    case("diagonal", ops.diagonal, np.diagonal, A, grad=True),
    case("diagonal_axes", ops.diagonal, np.diagonal, BATCH_A, offset=1, axis1=1, axis2=2, grad=True),
    case("trace", ops.trace, np.trace, A, grad=True),
    case("trace_axes", ops.trace, np.trace, BATCH_A, offset=-1, axis1=2, axis2=0),
    case("trace_bool", ops.trace, lambda x: np.trace(x).astype("int32"), BOOL_A),
]

PRODUCTS = [
    case("matmul", ops.matmul, np.matmul, A, B, grad=True),
    case("matmul_batch_broadcast", ops.matmul, np.matmul, BATCH_A, B, grad=True),
    case("matmul_vector", ops.matmul, np.matmul, A, V, grad=True),
    case("matmul_int", ops.matmul, np.matmul, INT_A, INT_B),
    case("matmul_bool", ops.matmul, lambda a, b: np.matmul(a, b), BOOL_A, BOOL_B),
    case("dot", ops.dot, np.dot, A, B, grad=True),
    case("dot_vector", ops.dot, np.dot, BATCH_A, V, grad=True),
    case("dot_nd", ops.dot, np.dot, BATCH_A, normal(2, 4, 3), grad=True),
    case("dot_scalar", ops.dot, np.dot, A, np.float32(2.0).reshape(()), none_dims=False),
    case("tensordot", ops.tensordot, np.tensordot, BATCH_A, normal(3, 4, 2), grad=True),
    case("tensordot_axes", ops.tensordot, np.tensordot, BATCH_A, normal(4, 2), axes=([2], [0]), grad=True),
    case("tensordot_int_axes", ops.tensordot, np.tensordot, A, B, axes=1),
    case("outer", ops.outer, np.outer, V, A[0], grad=True),
    case("outer_int", ops.outer, np.outer, INT_A[0], INT_B[:, 0]),
    case("inner", ops.inner, np.inner, A, normal(2, 4), grad=True),
    case("inner_vectors", ops.inner, np.inner, V, V, grad=True),
    case("vdot", ops.vdot, np.vdot, A, normal(3, 4), grad=True, none_dims=False),
    case("cross", ops.cross, _cross, normal(4, 3), normal(4, 3), grad=True),
    case(
        "cross_broadcast_axes", ops.cross, _cross, normal(3, 2, 5), normal(5, 3), axisa=0, axisb=-1, axisc=1
    ),
    case("cross_planar", ops.cross, _cross, normal(4, 2), normal(4, 2), grad=True),
    case("cross_mixed", ops.cross, _cross, normal(4, 2), normal(4, 3)),
]


def _einsum(subscripts):
    def op(*operands):
        return ops.einsum(subscripts, *operands)

    def reference(*operands):
        return np.einsum(subscripts, *operands)

    return op, reference


EINSUM = [
    case("einsum_matmul", *_einsum("ij,jk->ik"), A, B, grad=True),
    case("einsum_batch", *_einsum("bij,jk->bik"), BATCH_A, B, grad=True),
    case("einsum_implicit", *_einsum("ij,jk"), A, B),
    case("einsum_trace", *_einsum("ii"), normal(4, 4), grad=True, none_dims=False),
    case("einsum_transpose", *_einsum("ij->ji"), A),
    case("einsum_sum", *_einsum("ijk->"), BATCH_A, grad=True),
    case("einsum_ellipsis", *_einsum("...ij,...jk->...ik"), BATCH_A, B, grad=True),
    case("einsum_ellipsis_implicit", *_einsum("...j,j"), BATCH_A, V),
    case("einsum_outer_three", *_einsum("i,j,k->ijk"), V, V[:2], V[:3], grad=True),
    case("einsum_int", *_einsum("ij,jk->ik"), INT_A, INT_B),
]

CASES = STRUCTURE + PRODUCTS + EINSUM


@pytest.mark.parametrize("case", CASES)
def test_forward_matches_numpy(case):
    check_forward(case)


@pytest.mark.parametrize("case", CASES)
def test_shape_rule_matches_eager(case):
    check_symbolic(case)


@pytest.mark.requires_trainable_backend
@pytest.mark.parametrize("case", grad_cases(CASES))
def test_gradient_matches_finite_differences(case):
    check_gradient(case)


def test_einsum_rule_with_unknown_sizes():
    x = lamina.KerasTensor((None, 3, 4))
    y = lamina.KerasTensor((4, None))
    assert ops.einsum("bij,jk->bki", x, y).shape == (None, None, 3)
    assert ops.einsum("...ij,jk", x, y).shape == (None, 3, None)


def test_einsum_rule_rejects_bad_subscripts():
    x = lamina.KerasTensor((2, 3))
    with pytest.raises(ValueError, match="has sizes 3 and 4"):
        ops.einsum("ij,jk->ik", x, lamina.KerasTensor((4, 5)))
    with pytest.raises(ValueError, match="name 2 operands. Received 1"):
        ops.einsum("ij,jk->ik", x)
    with pytest.raises(ValueError, match="does not fit an operand of shape"):
        ops.einsum("ijk->i", x)
    with pytest.raises(ValueError, match="output subscript 'z'"):
        ops.einsum("ij->z", x)


def test_eager_einsum_checks_every_call_and_keeps_the_promoted_dtype():
    # Eager einsum checks each (subscripts, operand signature) once; errors are never kept.
    x = ops.convert_to_tensor(np.ones((2, 3), "float32"))
    for _ in range(2):
        with pytest.raises(ValueError, match="has sizes 3 and 4"):
            ops.einsum("ij,jk->ik", x, ops.ones((4, 5)))
    ints = ops.convert_to_tensor(np.ones((3, 2), "int32"))
    for _ in range(2):
        product = ops.einsum("ij,jk->ik", x, ints)
        assert ops.dtype(product) == "float32"
        np.testing.assert_allclose(ops.convert_to_numpy(product), np.full((2, 2), 3.0))
        assert ops.dtype(ops.einsum("ij,jk->ik", ints, ops.transpose(ints))) == "int32"


def test_products_reject_mismatched_contractions():
    with pytest.raises(ValueError, match="dot: the contracted axes must have one size"):
        ops.dot(lamina.KerasTensor((None, 3)), lamina.KerasTensor((4, 2)))
    with pytest.raises(ValueError, match="tensordot: the contracted axes"):
        ops.tensordot(lamina.KerasTensor((2, 3)), lamina.KerasTensor((4, 2)), axes=1)
    with pytest.raises(ValueError, match="cross expects vectors of 2 or 3 elements"):
        ops.cross(lamina.KerasTensor((None, 4)), lamina.KerasTensor((None, 3)))


def test_matmul_dtype_promotion():
    assert (
        ops.matmul(lamina.KerasTensor((2, 3), "int8"), lamina.KerasTensor((3, 2), "float16")).dtype
        == "float16"
    )
    assert ops.dtype(ops.matmul(ops.ones((2, 3), "int8"), ops.ones((3, 2), "float16"))) == "float16"
