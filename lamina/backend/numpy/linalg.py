"""NumPy linear algebra (inference only). Results keep the input's float dtype."""

import numpy as np

from lamina import config
from lamina.backend.common import dtypes
from lamina.backend.numpy.core import convert_to_tensor


def _float(x):
    x = convert_to_tensor(x)
    if not dtypes.is_float(x.dtype):
        x = x.astype(config.floatx())
    return x


def _as(result, like):
    return np.asarray(result).astype(like.dtype)


def norm(x, ord=None, axis=None, keepdims=False):
    x = _float(x)
    return _as(np.linalg.norm(x, ord=ord, axis=axis, keepdims=keepdims), x)


def inv(x):
    x = _float(x)
    return _as(np.linalg.inv(x), x)


def det(x):
    x = _float(x)
    return _as(np.linalg.det(x), x)


def solve(a, b):
    a = _float(a)
    return _as(np.linalg.solve(a, convert_to_tensor(b).astype(a.dtype)), a)


def solve_triangular(a, b, lower=False):
    a = _float(a)
    # Only the named triangle counts, as in scipy's solve_triangular.
    triangle = np.tril(a) if lower else np.triu(a)
    return _as(np.linalg.solve(triangle, convert_to_tensor(b).astype(a.dtype)), a)


def cholesky(x, upper=False):
    x = _float(x)
    try:
        return _as(np.linalg.cholesky(x, upper=upper), x)
    except np.linalg.LinAlgError:
        raise ValueError("cholesky: the input is not a symmetric positive-definite matrix.") from None


def qr(x, mode="reduced"):
    x = _float(x)
    q, r = np.linalg.qr(x, mode=mode)
    return _as(q, x), _as(r, x)


def svd(x, full_matrices=True, compute_uv=True):
    x = _float(x)
    if not compute_uv:
        return _as(np.linalg.svd(x, compute_uv=False), x)
    u, s, vh = np.linalg.svd(x, full_matrices=full_matrices)
    return _as(u, x), _as(s, x), _as(vh, x)


def eigh(x):
    x = _float(x)
    values, vectors = np.linalg.eigh(x)
    return _as(values, x), _as(vectors, x)


def lstsq(a, b, rcond=None):
    a = _float(a)
    return _as(np.linalg.lstsq(a, convert_to_tensor(b).astype(a.dtype), rcond=rcond)[0], a)
