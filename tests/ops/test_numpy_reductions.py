"""lamina.ops.numpy reductions, scans, sorting and searching."""

import numpy as np
import pytest
from numpy_op_harness import case
from numpy_op_harness import check_forward
from numpy_op_harness import check_gradient
from numpy_op_harness import check_symbolic
from numpy_op_harness import grad_cases

import lamina
from lamina import ops

RNG = np.random.default_rng(1)
X = RNG.normal(size=(3, 4, 5)).astype("float32")
M = RNG.normal(size=(4, 6)).astype("float32")
INTS = RNG.integers(-5, 6, size=(3, 4)).astype("int32")
BOOLS = RNG.random((3, 4)) < 0.5
WEIGHTS = RNG.uniform(0.5, 2.0, size=(4, 6)).astype("float32")


def _keepdims_argmax(function):
    def reference(x, axis=None, keepdims=False):
        result = function(x, axis=axis)
        if keepdims:
            result = np.expand_dims(result, tuple(range(x.ndim)) if axis is None else axis)
        return result

    return reference


REDUCTIONS = [
    case("sum", ops.sum, np.sum, X, grad=True),
    case("sum_axis", ops.sum, np.sum, X, axis=1, grad=True),
    case("sum_axes_keepdims", ops.sum, np.sum, X, axis=(0, 2), keepdims=True, grad=True),
    case("sum_int", ops.sum, np.sum, INTS, axis=0),
    case("sum_bool", ops.sum, np.sum, BOOLS, axis=-1),
    case("prod", ops.prod, np.prod, M, axis=1, grad=True),
    case("prod_axes", ops.prod, np.prod, X, axis=(0, 2), keepdims=True),
    case("prod_int_dtype", ops.prod, np.prod, INTS, axis=0, dtype="float32"),
    case("mean", ops.mean, np.mean, X, axis=-1, grad=True),
    case("mean_int", ops.mean, np.mean, INTS),
    case("mean_axes_keepdims", ops.mean, np.mean, X, axis=(1, 2), keepdims=True),
    case("var", ops.var, np.var, X, axis=1, grad=True),
    case("var_int", ops.var, np.var, INTS, axis=(0, 1)),
    case("std", ops.std, np.std, X, axis=(0, 1), keepdims=True, grad=True),
    case("sum_no_axis", ops.sum, np.sum, X, axis=(), grad=True),
    case("mean_no_axis", ops.mean, np.mean, INTS, axis=()),
    case("var_no_axis", ops.var, np.var, X, axis=()),
    case("max_no_axis", ops.max, np.max, X, axis=()),
    case("count_nonzero_no_axis", ops.count_nonzero, np.count_nonzero, INTS, axis=()),
    case("all", ops.all, np.all, BOOLS, axis=1),
    case("all_numbers", ops.all, np.all, INTS),
    case("any", ops.any, np.any, BOOLS, axis=0, keepdims=True),
    case("max", ops.max, np.max, X, axis=1, grad=True),
    case("max_all", ops.max, np.max, INTS),
    case("max_initial", ops.max, np.max, M, axis=0, initial=0.5),
    case("amax", ops.amax, np.amax, X, axis=(0, 2), keepdims=True),
    case("min", ops.min, np.min, X, axis=-1, grad=True),
    case("min_initial", ops.min, np.min, INTS, axis=1, initial=-2),
    case("amin", ops.amin, np.amin, INTS, axis=0),
    case("count_nonzero", ops.count_nonzero, np.count_nonzero, INTS, axis=1),
    case("count_nonzero_all", ops.count_nonzero, np.count_nonzero, BOOLS),
    case("average", ops.average, np.average, M, axis=1, grad=True),
    case(
        "average_weights",
        lambda x, w: ops.average(x, weights=w),
        lambda x, w: np.average(x, weights=w),
        M,
        WEIGHTS,
        grad=True,
    ),
    case(
        "average_weights_1d",
        lambda x, w: ops.average(x, axis=0, weights=w),
        lambda x, w: np.average(x, axis=0, weights=w),
        M,
        WEIGHTS[:, 0],
        grad=True,
    ),
    case("average_int", ops.average, np.average, INTS, axis=0),
]

SCANS = [
    case("cumsum", ops.cumsum, np.cumsum, X, axis=1, grad=True),
    case("cumsum_flat", ops.cumsum, np.cumsum, INTS),
    case("cumsum_bool", ops.cumsum, lambda x, axis: np.cumsum(x, axis=axis).astype("int32"), BOOLS, axis=0),
    case("cumprod", ops.cumprod, np.cumprod, M, axis=-1, grad=True),
    case("cumprod_dtype", ops.cumprod, np.cumprod, INTS, axis=0, dtype="float32"),
    case("diff", ops.diff, np.diff, X, grad=True),
    case("diff_n_axis", ops.diff, np.diff, INTS, n=2, axis=0),
]

SORTING = [
    case("sort", ops.sort, np.sort, X, grad=True),
    case("sort_axis0", ops.sort, np.sort, INTS, axis=0),
    case("sort_flat", ops.sort, np.sort, INTS, axis=None),
    case("argsort", ops.argsort, lambda x, axis=-1: np.argsort(x, axis=axis, stable=True), INTS),
    case("argsort_axis", ops.argsort, lambda x, axis: np.argsort(x, axis=axis, stable=True), X, axis=1),
    case("argmax", ops.argmax, np.argmax, X, axis=1),
    case("argmax_flat_keepdims", ops.argmax, _keepdims_argmax(np.argmax), X, keepdims=True),
    case("argmax_int_keepdims", ops.argmax, _keepdims_argmax(np.argmax), INTS, axis=0, keepdims=True),
    case("argmin", ops.argmin, np.argmin, INTS, axis=-1),
    case("argmin_flat", ops.argmin, np.argmin, X),
    case("median", ops.median, np.median, X, axis=1, grad=True),
    case("median_all", ops.median, np.median, INTS),
    case("median_axes_keepdims", ops.median, np.median, X, axis=(0, 2), keepdims=True),
    case("quantile", ops.quantile, np.quantile, M, np.array([0.1, 0.5, 0.75], "float32"), axis=1, grad=(0,)),
    case("quantile_scalar_keepdims", ops.quantile, np.quantile, X, q=0.3, axis=(0, 1), keepdims=True),
    case("quantile_0d_q", ops.quantile, np.quantile, M, np.float32(0.7), axis=1),
    case("quantile_lower", ops.quantile, np.quantile, M, np.array([0.3], "float32"), method="lower"),
    case(
        "quantile_higher", ops.quantile, np.quantile, M, np.array([0.3], "float32"), axis=0, method="higher"
    ),
    case("quantile_midpoint", ops.quantile, np.quantile, INTS, np.array([0.4], "float32"), method="midpoint"),
    case("quantile_nearest", ops.quantile, np.quantile, M, np.array([0.45], "float32"), method="nearest"),
    case("searchsorted", ops.searchsorted, np.searchsorted, np.sort(M[0]), M[1:]),
    case(
        "searchsorted_right",
        ops.searchsorted,
        np.searchsorted,
        np.array([1, 2, 2, 5], "int32"),
        INTS,
        side="right",
    ),
    case("digitize", ops.digitize, np.digitize, M, np.array([-1.0, 0.0, 0.5], "float32")),
    case(
        "bincount",
        ops.bincount,
        lambda x: np.bincount(x).astype("int32"),
        np.array([0, 3, 3, 1], "int32"),
        exact_shape=False,
    ),
    case(
        "bincount_weights_minlength",
        ops.bincount,
        np.bincount,
        np.array([0, 3, 3, 1], "int32"),
        np.array([0.5, 1.0, 2.0, 3.0], "float32"),
        minlength=6,
        exact_shape=False,
    ),
    case(
        "bincount_2d",
        ops.bincount,
        lambda x: np.stack([np.bincount(row, minlength=4) for row in x]),
        np.array([[0, 1, 1], [3, 0, 0]], "int32"),
        exact_shape=False,
    ),
]

CASES = REDUCTIONS + SCANS + SORTING


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


@pytest.mark.parametrize(
    "op, dtype, expected",
    [
        (ops.sum, "bool", "int32"),
        (ops.sum, "int8", "int32"),
        (ops.sum, "float16", "float16"),
        (ops.prod, "int16", "int32"),
        (ops.mean, "int32", "float32"),
        (ops.std, "bool", "float32"),
        (ops.max, "int8", "int8"),
        (ops.argmax, "float32", "int32"),
        (ops.all, "float32", "bool"),
        (ops.cumsum, "bool", "int32"),
        (ops.cumsum, "int8", "int8"),
        (ops.median, "int32", "float32"),
        (ops.count_nonzero, "float32", "int32"),
    ],
)
def test_reduction_dtypes(op, dtype, expected):
    x = ops.ones((2, 3), dtype=dtype)
    assert ops.dtype(op(x)) == expected
    assert op(lamina.KerasTensor((None, 3), dtype=dtype)).dtype == expected


def test_reduction_rejects_out_of_range_axis():
    with pytest.raises(ValueError, match="axis 2 is out of range"):
        ops.sum(lamina.KerasTensor((None, 3)), axis=2)


def test_quantile_rejects_unknown_method():
    with pytest.raises(ValueError, match="quantile expects `method`"):
        ops.quantile(ops.ones((3,)), 0.5, method="cubic")


def test_average_rejects_mismatched_weights():
    with pytest.raises(ValueError, match="1-D weights must have the length of axis 1"):
        ops.average(ops.ones((2, 3)), axis=1, weights=ops.ones((4,)))
