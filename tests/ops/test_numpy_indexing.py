"""lamina.ops.numpy indexing (take, take_along_axis, get_item) and KerasTensor operators."""

import numpy as np
import pytest
from numpy_op_harness import case
from numpy_op_harness import check_forward
from numpy_op_harness import check_gradient
from numpy_op_harness import check_symbolic
from numpy_op_harness import grad_cases

import lamina
from lamina import ops

RNG = np.random.default_rng(3)
X = RNG.normal(size=(4, 5, 6)).astype("float32")
M = RNG.normal(size=(3, 4)).astype("float32")
INDICES = np.array([[2, 0], [-1, 1]], dtype="int32")


def _item(key):
    def op(x):
        return ops.get_item(x, key)

    def reference(x):
        return x[key]

    return op, reference


KEYS = {
    "int": 1,
    "negative_int": -1,
    "slice": slice(1, 3),
    "negative_step": slice(None, None, -2),
    "reversed_range": (slice(None), slice(4, 0, -1)),
    "empty_slice": (slice(None), slice(3, 1)),
    "ellipsis_int": (Ellipsis, 2),
    "new_axis": (None, slice(None), 0, None),
    "new_axis_ellipsis": (Ellipsis, None),
    "int_slice_ellipsis": (0, Ellipsis, slice(None, 2)),
    "array": np.array([3, 0, 1]),
    "array_second_axis": (slice(None), np.array([[0, 1], [4, 2]])),
    "arrays_adjacent": (slice(None), np.array([0, 2]), np.array([1, 3])),
    "arrays_separated": (np.array([0, 2]), slice(None), np.array([1, 3])),
    "array_and_int": (np.array([0, 3]), 1),
}

TAKE = [
    case("take", ops.take, np.take, X, INDICES, axis=1, grad=(0,)),
    case("take_flat", ops.take, np.take, M, INDICES, grad=(0,)),
    case("take_last_axis", ops.take, np.take, X, np.array([5, 0, 5], "int32"), axis=-1),
    case(
        "take_along_axis",
        ops.take_along_axis,
        np.take_along_axis,
        M,
        np.argsort(M, axis=1)[:, :2].astype("int32"),
        axis=1,
        grad=(0,),
    ),
    case(
        "take_along_axis_broadcast",
        ops.take_along_axis,
        np.take_along_axis,
        X,
        np.array([[[0]], [[-1]]], "int32").repeat(2, axis=0),
        axis=2,
    ),
    case(
        "take_along_axis_flat",
        ops.take_along_axis,
        lambda x, i, axis: np.take_along_axis(x.reshape(-1), i, axis=0),
        M,
        np.array([11, 0, 5], "int32"),
        axis=None,
        none_dims=False,
    ),
]

GET_ITEM = [case(f"get_item_{name}", *_item(key), X, grad=True) for name, key in KEYS.items()]
GET_ITEM.append(case("get_item_mask", *_item(M > 0), M, exact_shape=False, none_dims=False))

CASES = TAKE + GET_ITEM


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


def test_get_item_with_unknown_sizes():
    x = lamina.KerasTensor((None, 5, 6))
    assert x[0].shape == (5, 6)
    assert x[:, 1:4].shape == (None, 3, 6)
    assert x[..., ::2].shape == (None, 5, 3)
    assert x[None, :, -1].shape == (1, None, 6)
    assert x[1:].shape == (None, 5, 6)


def test_get_item_rejects_bad_keys():
    x = lamina.KerasTensor((2, 3))
    with pytest.raises(IndexError, match="too many indices"):
        x[0, 1, 2]
    with pytest.raises(IndexError, match="out of range for axis 1 of size 3"):
        x[:, 3]
    with pytest.raises(IndexError, match="only have one Ellipsis"):
        x[..., ...]


def test_keras_tensor_operators_give_symbolic_shapes():
    x = lamina.KerasTensor((None, 3))
    y = lamina.KerasTensor((4, 1), dtype="int32")
    assert (x + y).shape == (4, 3)
    assert (x + y).dtype == "float32"
    assert (2 - x).shape == (None, 3)
    assert (x * 2.0).dtype == "float32"
    assert (y / 2).dtype == "float32"
    assert (y // 2).dtype == "int32"
    assert (y % 3).shape == (4, 1)
    assert (x**2).shape == (None, 3)
    assert (2**y).dtype == "int32"
    assert (-x).shape == (None, 3)
    assert abs(y).dtype == "int32"
    assert (x @ lamina.KerasTensor((3, 5))).shape == (None, 5)
    assert (lamina.KerasTensor((2, 4)) @ lamina.KerasTensor((None, 4, 6))).shape == (None, 2, 6)
    for comparison in (x < y, x <= 1.0, x > y, x >= y):
        assert comparison.shape in ((4, 3), (None, 3))
        assert comparison.dtype == "bool"
    mask = x > 0
    assert (mask & (x < 1)).dtype == "bool"
    assert (mask | mask).shape == (None, 3)
    assert (mask ^ mask).dtype == "bool"
    assert (~mask).shape == (None, 3)
    assert x[:, 0].shape == (None,)
    assert x.reshape((-1,)).shape == (None,)


def test_keras_tensor_operators_reject_incompatible_shapes():
    with pytest.raises(ValueError, match="cannot be broadcast together"):
        lamina.KerasTensor((None, 3)) + lamina.KerasTensor((None, 4))
    with pytest.raises(ValueError, match="matmul: the last axis of x1"):
        lamina.KerasTensor((2, 3)) @ lamina.KerasTensor((4, 5))
