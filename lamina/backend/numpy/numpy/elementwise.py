"""NumPy element-wise ops: arithmetic, exponentials, trigonometry, rounding, logic."""

import numpy as np

from lamina.backend.common import dtypes
from lamina.backend.numpy.core import cast
from lamina.backend.numpy.core import convert_to_tensor
from lamina.backend.numpy.numpy._casting import float_dtype
from lamina.backend.numpy.numpy._casting import promote
from lamina.backend.numpy.numpy._casting import to_float


def add(x1, x2):
    x1, x2 = promote(x1, x2)
    return np.add(x1, x2)


def subtract(x1, x2):
    x1, x2 = promote(x1, x2)
    return np.subtract(x1, x2)


def multiply(x1, x2):
    x1, x2 = promote(x1, x2)
    return np.multiply(x1, x2)


def maximum(x1, x2):
    x1, x2 = promote(x1, x2)
    return np.maximum(x1, x2)


def minimum(x1, x2):
    x1, x2 = promote(x1, x2)
    return np.minimum(x1, x2)


def true_divide(x1, x2):
    x1, x2 = promote(x1, x2)
    x1, x2 = promote(x1, x2, dtype=float_dtype(x1.dtype))
    return np.true_divide(x1, x2)


def divide_no_nan(x1, x2):
    x1, x2 = promote(x1, x2)
    x1, x2 = promote(x1, x2, dtype=float_dtype(x1.dtype))
    safe = np.where(x2 == 0, np.ones_like(x2), x2)
    return np.where(x2 == 0, np.zeros_like(x1 / safe), x1 / safe)


def divide(x1, x2):
    return true_divide(x1, x2)


def _integer_promote(x1, x2):
    x1, x2 = promote(x1, x2)
    if x1.dtype == bool:
        x1, x2 = promote(x1, x2, dtype="int32")
    return x1, x2


def floor_divide(x1, x2):
    x1, x2 = _integer_promote(x1, x2)
    return np.floor_divide(x1, x2)


def mod(x1, x2):
    x1, x2 = _integer_promote(x1, x2)
    return np.mod(x1, x2)


def power(x1, x2):
    x1, x2 = _integer_promote(x1, x2)
    return np.power(x1, x2)


def negative(x):
    return np.negative(convert_to_tensor(x))


def absolute(x):
    return np.absolute(convert_to_tensor(x))


def sign(x):
    return np.sign(convert_to_tensor(x))


def square(x):
    x = convert_to_tensor(x)
    if x.dtype == bool:
        x = cast(x, "int32")
    return np.square(x)


def reciprocal(x):
    return np.reciprocal(to_float(x))


def sqrt(x):
    return np.sqrt(to_float(x))


def exp(x):
    return np.exp(to_float(x))


def expm1(x):
    return np.expm1(to_float(x))


def log(x):
    return np.log(to_float(x))


def log1p(x):
    return np.log1p(to_float(x))


def log2(x):
    return np.log2(to_float(x))


def log10(x):
    return np.log10(to_float(x))


def sin(x):
    return np.sin(to_float(x))


def cos(x):
    return np.cos(to_float(x))


def tan(x):
    return np.tan(to_float(x))


def arcsin(x):
    return np.arcsin(to_float(x))


def arccos(x):
    return np.arccos(to_float(x))


def arctan(x):
    return np.arctan(to_float(x))


def sinh(x):
    return np.sinh(to_float(x))


def cosh(x):
    return np.cosh(to_float(x))


def tanh(x):
    return np.tanh(to_float(x))


def arcsinh(x):
    return np.arcsinh(to_float(x))


def arccosh(x):
    return np.arccosh(to_float(x))


def arctanh(x):
    return np.arctanh(to_float(x))


def floor(x):
    return np.floor(to_float(x))


def ceil(x):
    return np.ceil(to_float(x))


def arctan2(x1, x2):
    x1, x2 = promote(x1, x2)
    x1, x2 = promote(x1, x2, dtype=float_dtype(x1.dtype))
    return np.arctan2(x1, x2)


def hypot(x1, x2):
    x1, x2 = promote(x1, x2)
    x1, x2 = promote(x1, x2, dtype=float_dtype(x1.dtype))
    return np.hypot(x1, x2)


def logaddexp(x1, x2):
    x1, x2 = promote(x1, x2)
    x1, x2 = promote(x1, x2, dtype=float_dtype(x1.dtype))
    return np.logaddexp(x1, x2)


def copysign(x1, x2):
    x1, x2 = promote(x1, x2)
    x1, x2 = promote(x1, x2, dtype=float_dtype(x1.dtype))
    return np.copysign(x1, x2)


def trunc(x):
    x = convert_to_tensor(x)
    if not dtypes.is_float(x.dtype):
        return x
    return np.trunc(x)


def round(x, decimals=0):
    x = convert_to_tensor(x)
    if not dtypes.is_float(x.dtype):
        if decimals >= 0:
            return x
        factor = 10.0 ** (-decimals)
        return cast(np.round(cast(x, "float64") / factor) * factor, x.dtype)
    return np.round(x, decimals)


def clip(x, x_min, x_max, dtype=None):
    x, x_min, x_max = promote(x, x_min, x_max, dtype=dtype)
    return np.clip(x, x_min, x_max)


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    x = convert_to_tensor(x)
    if not dtypes.is_float(x.dtype):
        return x
    return np.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


def equal(x1, x2):
    x1, x2 = promote(x1, x2)
    return np.equal(x1, x2)


def not_equal(x1, x2):
    x1, x2 = promote(x1, x2)
    return np.not_equal(x1, x2)


def less(x1, x2):
    x1, x2 = promote(x1, x2)
    return np.less(x1, x2)


def less_equal(x1, x2):
    x1, x2 = promote(x1, x2)
    return np.less_equal(x1, x2)


def greater(x1, x2):
    x1, x2 = promote(x1, x2)
    return np.greater(x1, x2)


def greater_equal(x1, x2):
    x1, x2 = promote(x1, x2)
    return np.greater_equal(x1, x2)


def logical_and(x1, x2):
    x1, x2 = promote(x1, x2, dtype="bool")
    return np.logical_and(x1, x2)


def logical_or(x1, x2):
    x1, x2 = promote(x1, x2, dtype="bool")
    return np.logical_or(x1, x2)


def logical_xor(x1, x2):
    x1, x2 = promote(x1, x2, dtype="bool")
    return np.logical_xor(x1, x2)


def logical_not(x):
    return np.logical_not(cast(convert_to_tensor(x), "bool"))


def isnan(x):
    return np.isnan(convert_to_tensor(x))


def isinf(x):
    return np.isinf(convert_to_tensor(x))


def isfinite(x):
    return np.isfinite(convert_to_tensor(x))


def where(condition, x1, x2):
    condition = cast(convert_to_tensor(condition), "bool")
    x1, x2 = promote(x1, x2)
    return np.where(condition, x1, x2)


def nonzero(x):
    return tuple(cast(index, "int32") for index in np.nonzero(convert_to_tensor(x)))


def isin(x1, x2, invert=False):
    x1, x2 = promote(x1, x2)
    return np.isin(x1, x2, invert=invert)
