"""PyTorch element-wise ops: arithmetic, exponentials, trigonometry, rounding, logic."""

import torch

from lamina.backend.torch.core import cast
from lamina.backend.torch.core import convert_to_tensor
from lamina.backend.torch.numpy._casting import float_dtype
from lamina.backend.torch.numpy._casting import promote
from lamina.backend.torch.numpy._casting import promote_pair_fast
from lamina.backend.torch.numpy._casting import to_float


def add(x1, x2):
    fast = promote_pair_fast(x1, x2, keep_scalars=True)
    if fast is not None:
        return torch.add(*fast)
    x1, x2 = promote(x1, x2, keep_scalars=True)
    return torch.add(x1, x2)


def subtract(x1, x2):
    fast = promote_pair_fast(x1, x2, keep_scalars=True)
    if fast is not None:
        return torch.subtract(*fast)
    x1, x2 = promote(x1, x2, keep_scalars=True)
    return torch.subtract(x1, x2)


def multiply(x1, x2):
    fast = promote_pair_fast(x1, x2, keep_scalars=True)
    if fast is not None:
        return torch.multiply(*fast)
    x1, x2 = promote(x1, x2, keep_scalars=True)
    return torch.multiply(x1, x2)


def maximum(x1, x2):
    x1, x2 = promote(x1, x2)
    return torch.maximum(x1, x2)


def minimum(x1, x2):
    x1, x2 = promote(x1, x2)
    return torch.minimum(x1, x2)


def _float_promote(x1, x2, keep_scalars=False):
    fast = promote_pair_fast(x1, x2)
    if fast is not None:
        return fast
    x1, x2 = promote(x1, x2)
    if x1.is_floating_point():
        return x1, x2  # already one float dtype: the second promote would change nothing
    return promote(x1, x2, dtype=float_dtype(x1.dtype), keep_scalars=keep_scalars)


def true_divide(x1, x2):
    x1, x2 = _float_promote(x1, x2)
    return torch.true_divide(x1, x2)


def divide_no_nan(x1, x2):
    x1, x2 = _float_promote(x1, x2)
    zero = x2 == 0
    if not (torch.is_grad_enabled() and (x1.requires_grad or x2.requires_grad)):
        # No gradient to keep finite (e.g. a metric's result): the plain quotient, zeroed.
        return torch.where(zero, 0.0, x1 / x2)
    safe = torch.where(zero, torch.ones_like(x2), x2)
    quotient = x1 / safe
    return torch.where(zero, torch.zeros_like(quotient), quotient)


def divide(x1, x2):
    return true_divide(x1, x2)


def _integer_promote(x1, x2):
    x1, x2 = promote(x1, x2)
    if x1.dtype == torch.bool:
        x1, x2 = promote(x1, x2, dtype="int32")
    return x1, x2


def floor_divide(x1, x2):
    x1, x2 = _integer_promote(x1, x2)
    return torch.floor_divide(x1, x2)


def mod(x1, x2):
    x1, x2 = _integer_promote(x1, x2)
    return torch.remainder(x1, x2)


def power(x1, x2):
    x1, x2 = _integer_promote(x1, x2)
    return torch.pow(x1, x2)


def negative(x):
    return torch.negative(convert_to_tensor(x))


def absolute(x):
    x = convert_to_tensor(x)
    return x if x.dtype == torch.bool else torch.abs(x)


def sign(x):
    x = convert_to_tensor(x)
    return x if x.dtype == torch.bool else torch.sign(x)


def square(x):
    x = convert_to_tensor(x)
    if x.dtype == torch.bool:
        x = cast(x, "int32")
    return torch.square(x)


def reciprocal(x):
    return torch.reciprocal(to_float(x))


def sqrt(x):
    return torch.sqrt(to_float(x))


def exp(x):
    return torch.exp(to_float(x))


def expm1(x):
    return torch.expm1(to_float(x))


def log(x):
    return torch.log(to_float(x))


def log1p(x):
    return torch.log1p(to_float(x))


def log2(x):
    return torch.log2(to_float(x))


def log10(x):
    return torch.log10(to_float(x))


def sin(x):
    return torch.sin(to_float(x))


def cos(x):
    return torch.cos(to_float(x))


def tan(x):
    return torch.tan(to_float(x))


def arcsin(x):
    return torch.asin(to_float(x))


def arccos(x):
    return torch.acos(to_float(x))


def arctan(x):
    return torch.atan(to_float(x))


def sinh(x):
    return torch.sinh(to_float(x))


def cosh(x):
    return torch.cosh(to_float(x))


def tanh(x):
    return torch.tanh(to_float(x))


def arcsinh(x):
    return torch.asinh(to_float(x))


def arccosh(x):
    return torch.acosh(to_float(x))


def arctanh(x):
    return torch.atanh(to_float(x))


def floor(x):
    return torch.floor(to_float(x))


def ceil(x):
    return torch.ceil(to_float(x))


def arctan2(x1, x2):
    x1, x2 = _float_promote(x1, x2)
    return torch.atan2(x1, x2)


def hypot(x1, x2):
    x1, x2 = _float_promote(x1, x2)
    return torch.hypot(x1, x2)


def logaddexp(x1, x2):
    x1, x2 = _float_promote(x1, x2)
    return torch.logaddexp(x1, x2)


def copysign(x1, x2):
    x1, x2 = _float_promote(x1, x2)
    return torch.copysign(x1, x2)


def trunc(x):
    x = convert_to_tensor(x)
    return torch.trunc(x) if x.is_floating_point() else x


def round(x, decimals=0):
    x = convert_to_tensor(x)
    if x.is_floating_point():
        return torch.round(x, decimals=decimals)
    if decimals >= 0:
        return x
    factor = 10.0 ** (-decimals)
    return cast(torch.round(cast(x, "float64") / factor) * factor, x.dtype)


def clip(x, x_min, x_max, dtype=None):
    x, x_min, x_max = promote(x, x_min, x_max, dtype=dtype, keep_scalars=True)
    return torch.clamp(x, x_min, x_max)


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    x = convert_to_tensor(x)
    if not x.is_floating_point():
        return x
    return torch.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


def equal(x1, x2):
    x1, x2 = promote(x1, x2, keep_scalars=True)
    return torch.eq(x1, x2)


def not_equal(x1, x2):
    x1, x2 = promote(x1, x2, keep_scalars=True)
    return torch.ne(x1, x2)


def less(x1, x2):
    x1, x2 = promote(x1, x2, keep_scalars=True)
    return torch.lt(x1, x2)


def less_equal(x1, x2):
    x1, x2 = promote(x1, x2, keep_scalars=True)
    return torch.le(x1, x2)


def greater(x1, x2):
    x1, x2 = promote(x1, x2, keep_scalars=True)
    return torch.gt(x1, x2)


def greater_equal(x1, x2):
    x1, x2 = promote(x1, x2, keep_scalars=True)
    return torch.ge(x1, x2)


def logical_and(x1, x2):
    x1, x2 = promote(x1, x2, dtype="bool")
    return torch.logical_and(x1, x2)


def logical_or(x1, x2):
    x1, x2 = promote(x1, x2, dtype="bool")
    return torch.logical_or(x1, x2)


def logical_xor(x1, x2):
    x1, x2 = promote(x1, x2, dtype="bool")
    return torch.logical_xor(x1, x2)


def logical_not(x):
    return torch.logical_not(cast(convert_to_tensor(x), "bool"))


def isnan(x):
    return torch.isnan(convert_to_tensor(x))


def isinf(x):
    return torch.isinf(convert_to_tensor(x))


def isfinite(x):
    return torch.isfinite(convert_to_tensor(x))


def where(condition, x1, x2):
    condition = cast(convert_to_tensor(condition), "bool")
    x1, x2 = promote(x1, x2)
    return torch.where(condition, x1, x2)


def nonzero(x):
    return tuple(cast(index, "int32") for index in torch.nonzero(convert_to_tensor(x), as_tuple=True))


def isin(x1, x2, invert=False):
    x1, x2 = promote(x1, x2)
    return torch.isin(x1, x2, invert=invert)
