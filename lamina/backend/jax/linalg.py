"""JAX linear algebra."""

import jax
import jax.numpy as jnp
import jax.scipy as jsp

from lamina import config
from lamina.backend.jax.core import convert_to_tensor


def _float(x):
    x = convert_to_tensor(x)
    if not jnp.issubdtype(x.dtype, jnp.floating):
        x = x.astype(config.floatx())
    return x


def norm(x, ord=None, axis=None, keepdims=False):
    return jnp.linalg.norm(_float(x), ord=ord, axis=axis, keepdims=keepdims)


def inv(x):
    return jnp.linalg.inv(_float(x))


def det(x):
    return jnp.linalg.det(_float(x))


def solve(a, b):
    a = _float(a)
    return jnp.linalg.solve(a, convert_to_tensor(b).astype(a.dtype))


def solve_triangular(a, b, lower=False):
    a = _float(a)
    return jsp.linalg.solve_triangular(a, convert_to_tensor(b).astype(a.dtype), lower=lower)


def cholesky(x, upper=False):
    result = jnp.linalg.cholesky(_float(x), upper=upper)
    try:
        failed = bool(jnp.any(jnp.isnan(result)))
    except jax.errors.JAXTypeError:
        # Inside a compiled function the check cannot run; NaNs flag the failure.
        failed = False
    if failed:
        raise ValueError("cholesky: the input is not a symmetric positive-definite matrix.")
    return result


def qr(x, mode="reduced"):
    return jnp.linalg.qr(_float(x), mode=mode)


def svd(x, full_matrices=True, compute_uv=True):
    return jnp.linalg.svd(_float(x), full_matrices=full_matrices, compute_uv=compute_uv)


def eigh(x):
    return jnp.linalg.eigh(_float(x))


def lstsq(a, b, rcond=None):
    a = _float(a)
    return jnp.linalg.lstsq(a, convert_to_tensor(b).astype(a.dtype), rcond=rcond)[0]
