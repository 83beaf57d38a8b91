"""lamina.ops.numpy creation ops: zeros, ones, full, eye, identity, tri, arange, linspace, *_like."""

import numpy as np
import pytest
from numpy_op_harness import case
from numpy_op_harness import check_forward
from numpy_op_harness import check_symbolic
from testing_utils import assert_close

from lamina import ops

X = np.arange(6, dtype="float32").reshape(2, 3)
INTS = np.arange(6, dtype="int32").reshape(3, 2)

LIKE = [
    case("zeros_like", ops.zeros_like, np.zeros_like, X),
    case("zeros_like_dtype", ops.zeros_like, np.zeros_like, X, dtype="int32"),
    case("ones_like", ops.ones_like, np.ones_like, INTS),
    case("full_like", ops.full_like, np.full_like, INTS, fill_value=7),
    case("full_like_float_into_int", ops.full_like, np.full_like, INTS, fill_value=2.0),
    case("full_like_dtype", ops.full_like, np.full_like, INTS, fill_value=2.5, dtype="float32"),
    case("copy", ops.copy, np.copy, X),
]


@pytest.mark.parametrize("case", LIKE)
def test_like_ops_forward(case):
    check_forward(case)


@pytest.mark.parametrize("case", LIKE)
def test_like_ops_shape_rule(case):
    check_symbolic(case)


def _check(result, expected, dtype):
    assert ops.dtype(result) == dtype
    assert ops.shape(result) == np.shape(expected)
    np.testing.assert_array_equal(ops.convert_to_numpy(result), expected)


@pytest.mark.parametrize(
    "op, reference, args, kwargs, dtype",
    [
        (ops.zeros, np.zeros, ((2, 3),), {}, "float32"),
        (ops.zeros, np.zeros, (4,), {"dtype": "int32"}, "int32"),
        (ops.ones, np.ones, ((2, 1),), {"dtype": "bool"}, "bool"),
        (ops.empty, np.zeros, ((3,),), {}, "float32"),
        (ops.full, np.full, ((2, 2), 3), {}, "float32"),
        (ops.full, np.full, ((2,), 3), {"dtype": "int32"}, "int32"),
        (ops.eye, np.eye, (3,), {}, "float32"),
        (ops.eye, np.eye, (2, 4), {"k": 1, "dtype": "int32"}, "int32"),
        (ops.eye, np.eye, (4, 3), {"k": -2}, "float32"),
        (ops.identity, np.identity, (3,), {}, "float32"),
        (ops.tri, np.tri, (3,), {}, "float32"),
        (ops.tri, np.tri, (3, 5), {"k": 1, "dtype": "int32"}, "int32"),
        (ops.tri, np.tri, (4, 2), {"k": -1}, "float32"),
    ],
)
def test_constant_creation(op, reference, args, kwargs, dtype):
    _check(op(*args, **kwargs), reference(*args, **kwargs), dtype)


def test_full_broadcasts_a_tensor_fill_value():
    _check(
        ops.full((2, 3), ops.convert_to_tensor([1.0, 2.0, 3.0])), np.full((2, 3), [1.0, 2.0, 3.0]), "float32"
    )


@pytest.mark.parametrize(
    "args, kwargs, dtype",
    [
        ((5,), {}, "int32"),
        ((2, 9, 3), {}, "int32"),
        ((5, 1, -2), {}, "int32"),
        ((0.0, 2.0, 0.5), {}, "float32"),
        ((0, 3, 0.5), {}, "float32"),
        ((4,), {"dtype": "float32"}, "float32"),
    ],
)
def test_arange(args, kwargs, dtype):
    result = ops.arange(*args, **kwargs)
    assert ops.dtype(result) == dtype
    assert_close(result, np.arange(*args))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"start": 0, "stop": 1, "num": 5},
        {"start": -2.0, "stop": 3.0, "num": 7, "endpoint": False},
        {"start": 1.0, "stop": 1.0, "num": 1},
        {"start": [0.0, 1.0], "stop": [1.0, 3.0], "num": 4},
        {"start": [0.0, 1.0], "stop": 5.0, "num": 3, "axis": 1},
        {"start": [0.0, 1.0], "stop": 5.0, "num": 3, "axis": -1, "endpoint": False},
    ],
)
def test_linspace(kwargs):
    result = ops.linspace(**kwargs)
    assert ops.dtype(result) == "float32"
    assert_close(result, np.linspace(**kwargs))


def test_linspace_retstep_and_int_dtype():
    values, step = ops.linspace(0, 3, num=4, retstep=True)
    assert_close(values, [0.0, 1.0, 2.0, 3.0])
    assert_close(step, 1.0)
    _check(
        ops.linspace(0, 10, num=4, dtype="int32"),
        np.floor(np.linspace(0, 10, num=4)).astype("int32"),
        "int32",
    )


def test_creation_rejects_bad_arguments():
    with pytest.raises(ValueError, match="zeros expects `shape` to be an int or a tuple of ints"):
        ops.zeros("abc")
    with pytest.raises(ValueError, match="linspace expects num >= 0"):
        ops.linspace(0, 1, num=-1)
