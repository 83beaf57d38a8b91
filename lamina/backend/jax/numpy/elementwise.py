"""JAX element-wise ops: arithmetic, exponentials, trigonometry, rounding, logic."""

import jax.numpy as jnp

from lamina.backend.common import dtypes
from lamina.backend.jax.core import cast
from lamina.backend.jax.core import convert_to_tensor
from lamina.backend.jax.numpy._casting import float_dtype
from lamina.backend.jax.numpy._casting import promote
from lamina.backend.jax.numpy._casting import to_float


def add(x1, x2):
    x1, x2 = promote(x1, x2)
    return jnp.add(x1, x2)


def subtract(x1, x2):
    x1, x2 = promote(x1, x2)
    return jnp.subtract(x1, x2)


def multiply(x1, x2):
    x1, x2 = promote(x1, x2)
    return jnp.multiply(x1, x2)


def maximum(x1, x2):
    x1, x2 = promote(x1, x2)
    return jnp.maximum(x1, x2)


def minimum(x1, x2):
    x1, x2 = promote(x1, x2)
    return jnp.minimum(x1, x2)


def true_divide(x1, x2):
    x1, x2 = promote(x1, x2)
    x1, x2 = promote(x1, x2, dtype=float_dtype(x1.dtype))
    return jnp.true_divide(x1, x2)


def divide_no_nan(x1, x2):
    x1, x2 = promote(x1, x2)
    x1, x2 = promote(x1, x2, dtype=float_dtype(x1.dtype))
    safe = jnp.where(x2 == 0, jnp.ones_like(x2), x2)
    return jnp.where(x2 == 0, jnp.zeros_like(x1 / safe), x1 / safe)


def divide(x1, x2):
    return true_divide(x1, x2)


def _integer_promote(x1, x2):
    x1, x2 = promote(x1, x2)
    if x1.dtype == bool:
        x1, x2 = promote(x1, x2, dtype="int32")
    return x1, x2


def floor_divide(x1, x2):
    x1, x2 = _integer_promote(x1, x2)
    return jnp.floor_divide(x1, x2)


def mod(x1, x2):
    x1, x2 = _integer_promote(x1, x2)
    return jnp.mod(x1, x2)


def power(x1, x2):
    x1, x2 = _integer_promote(x1, x2)
    return jnp.power(x1, x2)


def negative(x):
    return jnp.negative(convert_to_tensor(x))


def absolute(x):
    return jnp.absolute(convert_to_tensor(x))


def sign(x):
    return jnp.sign(convert_to_tensor(x))


def square(x):
    x = convert_to_tensor(x)
    if x.dtype == bool:
        x = cast(x, "int32")
    return jnp.square(x)


def reciprocal(x):
    return jnp.reciprocal(to_float(x))


def sqrt(x):
    return jnp.sqrt(to_float(x))


def exp(x):
    return jnp.exp(to_float(x))


def expm1(x):
    return jnp.expm1(to_float(x))


def log(x):
    return jnp.log(to_float(x))


def log1p(x):
    return jnp.log1p(to_float(x))


def log2(x):
    return jnp.log2(to_float(x))


def log10(x):
    return jnp.log10(to_float(x))


def sin(x):
    return jnp.sin(to_float(x))


def cos(x):
    return jnp.cos(to_float(x))


def tan(x):
    return jnp.tan(to_float(x))


def arcsin(x):
    return jnp.arcsin(to_float(x))


def arccos(x):
    return jnp.arccos(to_float(x))


def arctan(x):
    return jnp.arctan(to_float(x))


def sinh(x):
    return jnp.sinh(to_float(x))


def cosh(x):
    return jnp.cosh(to_float(x))


def tanh(x):
    return jnp.tanh(to_float(x))


def arcsinh(x):
    return jnp.arcsinh(to_float(x))


def arccosh(x):
    return jnp.arccosh(to_float(x))


def arctanh(x):
    return jnp.arctanh(to_float(x))


def floor(x):
    return jnp.floor(to_float(x))


def ceil(x):
    return jnp.ceil(to_float(x))


def arctan2(x1, x2):
    x1, x2 = promote(x1, x2)
    x1, x2 = promote(x1, x2, dtype=float_dtype(x1.dtype))
    return jnp.arctan2(x1, x2)


def hypot(x1, x2):
    x1, x2 = promote(x1, x2)
    x1, x2 = promote(x1, x2, dtype=float_dtype(x1.dtype))
    return jnp.hypot(x1, x2)


def logaddexp(x1, x2):
    x1, x2 = promote(x1, x2)
    x1, x2 = promote(x1, x2, dtype=float_dtype(x1.dtype))
    return jnp.logaddexp(x1, x2)


def copysign(x1, x2):
    x1, x2 = promote(x1, x2)
    x1, x2 = promote(x1, x2, dtype=float_dtype(x1.dtype))
    return jnp.copysign(x1, x2)


def trunc(x):
    x = convert_to_tensor(x)
    if not dtypes.is_float(x.dtype):
        return x
    return jnp.trunc(x)


def round(x, decimals=0):
    x = convert_to_tensor(x)
    if not dtypes.is_float(x.dtype):
        if decimals >= 0:
            return x
        factor = 10.0 ** (-decimals)
        return cast(jnp.round(cast(x, "float32") / factor) * factor, x.dtype)
    return jnp.round(x, decimals)


def clip(x, x_min, x_max, dtype=None):
    x, x_min, x_max = promote(x, x_min, x_max, dtype=dtype)
    return jnp.clip(x, x_min, x_max)


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    x = convert_to_tensor(x)
    if not dtypes.is_float(x.dtype):
        return x
    return jnp.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


def equal(x1, x2):
    x1, x2 = promote(x1, x2)
    return jnp.equal(x1, x2)


def not_equal(x1, x2):
    x1, x2 = promote(x1, x2)
    return jnp.not_equal(x1, x2)


def less(x1, x2):
    x1, x2 = promote(x1, x2)
    return jnp.less(x1, x2)


def less_equal(x1, x2):
    x1, x2 = promote(x1, x2)
    return jnp.less_equal(x1, x2)


def greater(x1, x2):
    x1, x2 = promote(x1, x2)
    return jnp.greater(x1, x2)


def greater_equal(x1, x2):
    x1, x2 = promote(x1, x2)
    return jnp.greater_equal(x1, x2)


def logical_and(x1, x2):
    x1, x2 = promote(x1, x2, dtype="bool")
    return jnp.logical_and(x1, x2)


def logical_or(x1, x2):
    x1, x2 = promote(x1, x2, dtype="bool")
    return jnp.logical_or(x1, x2)


def logical_xor(x1, x2):
    x1, x2 = promote(x1, x2, dtype="bool")
    return jnp.logical_xor(x1, x2)


def logical_not(x):
    return jnp.logical_not(cast(convert_to_tensor(x), "bool"))


def isnan(x):
    return jnp.isnan(convert_to_tensor(x))


def isinf(x):
    return jnp.isinf(convert_to_tensor(x))


def isfinite(x):
    return jnp.isfinite(convert_to_tensor(x))


def where(condition, x1, x2):
    condition = cast(convert_to_tensor(condition), "bool")
    x1, x2 = promote(x1, x2)
    return jnp.where(condition, x1, x2)


def nonzero(x):
    return tuple(cast(index, "int32") for index in jnp.nonzero(convert_to_tensor(x)))


def isin(x1, x2, invert=False):
    x1, x2 = promote(x1, x2)
    return jnp.isin(x1, x2, invert=invert)
