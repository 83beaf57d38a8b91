"""lamina.ops.numpy element-wise ops: arithmetic, exponentials, trigonometry, rounding, logic."""

import numpy as np
import pytest
from numpy_op_harness import case
from numpy_op_harness import check_forward
from numpy_op_harness import check_gradient
from numpy_op_harness import check_symbolic
from numpy_op_harness import grad_cases

from lamina import ops

RNG = np.random.default_rng(0)


def normal(*shape):
    return RNG.normal(size=shape).astype("float32")


def uniform(low, high, *shape):
    return RNG.uniform(low, high, size=shape).astype("float32")


def integers(low, high, *shape):
    return RNG.integers(low, high, size=shape).astype("int32")


def _away_from_zero(*shape):
    x = uniform(0.5, 2.0, *shape)
    return np.where(RNG.random(shape) < 0.5, -x, x).astype("float32")


X = normal(3, 4)
Y = normal(4)
POSITIVE = uniform(0.5, 3.0, 3, 4)
UNIT = uniform(-0.9, 0.9, 3, 4)
INT_A = integers(-9, 10, 3, 4)
INT_B = np.array([1, -3, 4, 7], dtype="int32")
BOOL_A = RNG.random((3, 4)) < 0.5
BOOL_B = RNG.random((4,)) < 0.5
SPECIAL = np.array([1.5, np.nan, np.inf, -np.inf, -2.0], dtype="float32")

BINARY = [
    case("add", ops.add, np.add, X, Y, grad=True),
    case("add_int", ops.add, np.add, INT_A, INT_B),
    case("add_scalar", lambda x: ops.add(x, 2.0), lambda x: x + 2.0, X, grad=True),
    case("add_int_float_scalar", lambda x: ops.add(x, 0.5), lambda x: x + 0.5, INT_A),
    case("subtract", ops.subtract, np.subtract, X, Y, grad=True),
    case("scalar_subtract", lambda x: ops.subtract(1.0, x), lambda x: 1.0 - x, X, grad=True),
    case("multiply", ops.multiply, np.multiply, X, Y, grad=True),
    case("multiply_bool", ops.multiply, np.multiply, BOOL_A, BOOL_B),
    case("divide", ops.divide, np.divide, X, _away_from_zero(4), grad=True),
    case("true_divide_int", ops.true_divide, np.true_divide, INT_A, INT_B),
    case("floor_divide", ops.floor_divide, np.floor_divide, X, _away_from_zero(4)),
    case("floor_divide_int", ops.floor_divide, np.floor_divide, INT_A, INT_B),
    case("mod", ops.mod, np.mod, X, _away_from_zero(4)),
    case("mod_int", ops.mod, np.mod, INT_A, INT_B),
    case("power", ops.power, np.power, POSITIVE, Y, grad=True),
    case("power_int", lambda x: ops.power(x, 2), lambda x: np.power(x, 2), INT_A),
    case("maximum", ops.maximum, np.maximum, X, Y, grad=True),
    case("minimum", ops.minimum, np.minimum, X, Y, grad=True),
    case("minimum_scalar", lambda x: ops.minimum(x, 0), lambda x: np.minimum(x, 0), INT_A),
    case("arctan2", ops.arctan2, np.arctan2, X, _away_from_zero(4), grad=True),
    case("hypot", ops.hypot, np.hypot, X, Y, grad=True),
    case("logaddexp", ops.logaddexp, np.logaddexp, X, Y, grad=True),
    case("copysign", ops.copysign, np.copysign, X, Y),
]

UNARY = [
    case("negative", ops.negative, np.negative, X, grad=True),
    case("absolute", ops.absolute, np.absolute, _away_from_zero(3, 4), grad=True),
    case("abs_int", ops.abs, np.abs, INT_A),
    case("square", ops.square, np.square, X, grad=True),
    case("square_bool", ops.square, lambda x: np.square(x.astype("int32")), BOOL_A),
    case("reciprocal", ops.reciprocal, np.reciprocal, _away_from_zero(3, 4), grad=True),
    case("sign", ops.sign, np.sign, INT_A),
    case("sqrt", ops.sqrt, np.sqrt, POSITIVE, grad=True),
    case("sqrt_int", ops.sqrt, np.sqrt, np.abs(INT_A)),
    case("exp", ops.exp, np.exp, X, grad=True),
    case("expm1", ops.expm1, np.expm1, X, grad=True),
    case("log", ops.log, np.log, POSITIVE, grad=True),
    case("log1p", ops.log1p, np.log1p, UNIT, grad=True),
    case("log2", ops.log2, np.log2, POSITIVE, grad=True),
    case("log10", ops.log10, np.log10, POSITIVE, grad=True),
    case("sin", ops.sin, np.sin, X, grad=True),
    case("cos", ops.cos, np.cos, X, grad=True),
    case("tan", ops.tan, np.tan, UNIT, grad=True),
    case("arcsin", ops.arcsin, np.arcsin, UNIT, grad=True),
    case("arccos", ops.arccos, np.arccos, UNIT, grad=True),
    case("arctan", ops.arctan, np.arctan, X, grad=True),
    case("sinh", ops.sinh, np.sinh, X, grad=True),
    case("cosh", ops.cosh, np.cosh, X, grad=True),
    case("tanh", ops.tanh, np.tanh, X, grad=True),
    case("arcsinh", ops.arcsinh, np.arcsinh, X, grad=True),
    case("arccosh", ops.arccosh, np.arccosh, POSITIVE + 1.0, grad=True),
    case("arctanh", ops.arctanh, np.arctanh, UNIT, grad=True),
    case("sin_int", ops.sin, np.sin, INT_A),
]

ROUNDING = [
    case("floor", ops.floor, np.floor, X * 3),
    case("floor_int", ops.floor, np.floor, INT_A),
    case("ceil", ops.ceil, np.ceil, X * 3),
    case("round", ops.round, np.round, X * 3),
    case("round_decimals", ops.round, np.round, X * 30, decimals=-1),
    case("round_int_negative_decimals", ops.round, np.round, INT_A * 7, decimals=-1),
    case("trunc", ops.trunc, np.trunc, X * 3),
    case("clip", lambda x: ops.clip(x, -0.5, 0.5), lambda x: np.clip(x, -0.5, 0.5), X, grad=True),
    case("clip_int", lambda x: ops.clip(x, -2, 3), lambda x: np.clip(x, -2, 3), INT_A),
    case("clip_tensor_bounds", ops.clip, np.clip, X, -np.abs(Y), np.abs(Y)),
    case("nan_to_num", ops.nan_to_num, lambda x: np.nan_to_num(x.astype("float32")), SPECIAL),
    case(
        "nan_to_num_values",
        lambda x: ops.nan_to_num(x, nan=-1.0, posinf=9.0, neginf=-9.0),
        lambda x: np.nan_to_num(x, nan=-1.0, posinf=9.0, neginf=-9.0),
        SPECIAL,
    ),
]

LOGIC = [
    case("equal", ops.equal, np.equal, INT_A, INT_B),
    case("not_equal", ops.not_equal, np.not_equal, INT_A, INT_B),
    case("less", ops.less, np.less, X, Y),
    case("less_equal", ops.less_equal, np.less_equal, INT_A, INT_B),
    case("greater", ops.greater, np.greater, X, Y),
    case("greater_equal", lambda x: ops.greater_equal(x, 0), lambda x: x >= 0, INT_A),
    case("logical_and", ops.logical_and, np.logical_and, BOOL_A, BOOL_B),
    case("logical_or", ops.logical_or, np.logical_or, BOOL_A, BOOL_B),
    case("logical_xor", ops.logical_xor, np.logical_xor, BOOL_A, BOOL_B),
    case("logical_and_numbers", ops.logical_and, np.logical_and, INT_A, X),
    case("logical_not", ops.logical_not, np.logical_not, BOOL_A),
    case("isnan", ops.isnan, np.isnan, SPECIAL),
    case("isinf", ops.isinf, np.isinf, SPECIAL),
    case("isfinite", ops.isfinite, np.isfinite, SPECIAL),
    case("where", ops.where, np.where, BOOL_A, X, Y, grad=(1, 2)),
    case("where_scalars", lambda c: ops.where(c, 1.0, 0.0), lambda c: np.where(c, 1.0, 0.0), BOOL_A),
    case("where_nonzero", ops.where, np.nonzero, INT_A, exact_shape=False),
    case("isin", ops.isin, np.isin, INT_A, INT_B),
    case("isin_invert", ops.isin, np.isin, INT_A, INT_B, invert=True),
]

CASES = BINARY + UNARY + ROUNDING + LOGIC


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


def test_divide_no_nan_gives_zero_where_the_divisor_is_zero():
    x1 = np.array([[3.0, -4.0, 1.0]], dtype="float32")
    x2 = np.array([[2.0, 0.0, -0.5]], dtype="float32")
    result = ops.convert_to_numpy(ops.divide_no_nan(x1, x2))
    np.testing.assert_allclose(result, [[1.5, 0.0, -2.0]])
    assert ops.divide_no_nan(ops.convert_to_tensor([1, 2]), 2).dtype == ops.convert_to_tensor(1.0).dtype


@pytest.mark.requires_trainable_backend
def test_divide_no_nan_gradient_is_finite_at_zero():
    from testing_utils import gradient

    grads = gradient(
        lambda a, b: ops.divide_no_nan(a, b), np.array([1.0, 2.0], "float32"), np.array([0.0, 4.0], "float32")
    )
    assert np.isfinite(grads[0]).all() and np.isfinite(grads[1]).all()
    np.testing.assert_allclose(grads[0], [0.0, 0.25])
