"""Linear algebra ops on (batches of) matrices: the last two axes are the matrix axes.

Integer inputs are converted to `floatx()`; results are floats.
"""

from lamina.backend import current
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.ops import shape_rules
from lamina.ops.dispatch import symbolic

__all__ = [
    "cholesky",
    "det",
    "eigh",
    "inv",
    "lstsq",
    "norm",
    "qr",
    "solve",
    "solve_triangular",
    "svd",
]

_MATRIX_ORDS = (None, "fro", "nuc", float("inf"), float("-inf"), 1, -1, 2, -2)


def _float_dtype(x):
    return shape_rules.unary_float(x).dtype


def _matrix_shape(x, function_name, square=True):
    shape = shape_rules.shape_of(x)
    if len(shape) < 2:
        raise ValueError(
            f"{function_name} expects a tensor of rank >= 2 (..., m, n). Received: shape={shape}"
        )
    if square and None not in shape[-2:] and shape[-1] != shape[-2]:
        raise ValueError(f"{function_name} expects square matrices (..., n, n). Received: shape={shape}")
    return shape


def _norm_rule(x, ord=None, axis=None, keepdims=False):
    shape = shape_rules.shape_of(x)
    axes = tuple(range(len(shape))) if axis is None else (axis,) if isinstance(axis, int) else tuple(axis)
    if axis is None and ord is not None and len(shape) not in (1, 2):
        raise ValueError(
            f"norm with ord={ord!r} and axis=None needs a 1-D or 2-D input; pass axis for "
            f"higher ranks. Received: x.shape={shape}"
        )
    if len(axes) == 1 and isinstance(ord, str):
        raise ValueError(f"norm: ord={ord!r} is a matrix norm; a vector norm needs a number.")
    if len(axes) == 2 and ord not in _MATRIX_ORDS:
        raise ValueError(f"norm: the matrix norms take ord in {_MATRIX_ORDS}. Received: ord={ord!r}")
    if len(axes) > 2 and ord is not None:
        raise ValueError(f"norm with ord={ord!r} takes one or two axes. Received: axis={axis!r}")
    reduced = shape_rules.reduced_shape(shape, axes, keepdims, "norm")
    return KerasTensor(reduced, dtype=_float_dtype(x))


@symbolic(_norm_rule)
def norm(x, ord=None, axis=None, keepdims=False):
    """Vector or matrix norm.

    With `axis` an int (or a 1-tuple) it is a vector norm: `ord=None` or 2 is
    the Euclidean norm, `inf`/`-inf` the max/min of `abs(x)`, 0 the count of
    nonzeros, other numbers `sum(abs(x)**ord)**(1/ord)`. With a 2-tuple it is
    a matrix norm: `None`/`"fro"` Frobenius, `"nuc"` nuclear, `1`/`-1` max/min
    column sum, `inf`/`-inf` max/min row sum, `2`/`-2` largest/smallest
    singular value. With `axis=None`, `ord=None` gives the 2-norm of all entries.

    Args:
        x: Input tensor.
        ord: The norm's order (see above).
        axis: None, an int, or a tuple of one or two ints.
        keepdims: Whether to keep the reduced axes with size 1.

    Example:

    >>> import lamina
    >>> float(lamina.ops.norm([3.0, 4.0]))
    5.0
    """
    axis = axis if axis is None or isinstance(axis, int) else tuple(axis)
    _norm_rule(x, ord, axis, keepdims)
    return current.linalg.norm(x, ord=ord, axis=axis, keepdims=keepdims)


def _square_rule(function_name):
    def rule(x):
        return KerasTensor(_matrix_shape(x, function_name), dtype=_float_dtype(x))

    return rule


@symbolic(_square_rule("inv"))
def inv(x):
    """Inverse of square matrices.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(lamina.ops.inv([[2.0, 0.0], [0.0, 4.0]])).tolist()
    [[0.5, 0.0], [0.0, 0.25]]
    """
    _square_rule("inv")(x)
    return current.linalg.inv(x)


def _det_rule(x):
    return KerasTensor(_matrix_shape(x, "det")[:-2], dtype=_float_dtype(x))


@symbolic(_det_rule)
def det(x):
    """Determinant of square matrices.

    Example:

    >>> import lamina
    >>> round(float(lamina.ops.det([[1.0, 2.0], [3.0, 4.0]])), 4)
    -2.0
    """
    _det_rule(x)
    return current.linalg.det(x)


def _solve_rule(function_name):
    def rule(a, b, *args, **kwargs):
        a_shape = _matrix_shape(a, function_name)
        b_shape = shape_rules.shape_of(b)
        n = a_shape[-1]
        rows = b_shape[-1 if len(b_shape) == 1 else -2] if b_shape else None
        if not b_shape or (None not in (rows, n) and rows != n):
            raise ValueError(
                f"{function_name} expects b of shape (n,) or (..., n, k) for a of shape (..., n, n). "
                f"Received: a.shape={a_shape}, b.shape={b_shape}"
            )
        if len(b_shape) == 1:
            shape = a_shape[:-2] + (n if n is not None else b_shape[0],)
        else:
            batch = shape_rules.broadcast_shapes(a_shape[:-2], b_shape[:-2], op_name=function_name)
            shape = batch + b_shape[-2:]
        return KerasTensor(shape, dtype=_float_dtype(a))

    return rule


@symbolic(_solve_rule("solve"))
def solve(a, b):
    """Solves `a @ x = b` for square `a`.

    Args:
        a: Matrices of shape `(..., n, n)`.
        b: A vector `(n,)` or matrices `(..., n, k)`.

    Returns:
        `x`, shaped like `b` (with broadcast batch axes).

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(lamina.ops.solve([[2.0, 0.0], [0.0, 4.0]], [2.0, 2.0])).tolist()
    [1.0, 0.5]
    """
    _solve_rule("solve")(a, b)
    return current.linalg.solve(a, b)


@symbolic(_solve_rule("solve_triangular"))
def solve_triangular(a, b, lower=False):
    """Solves `a @ x = b` for triangular `a` (only the chosen triangle of `a` is read).

    Args:
        a: Matrices of shape `(..., n, n)`.
        b: A vector `(n,)` or matrices `(..., n, k)`.
        lower: Whether `a` is lower (True) or upper (False, the default) triangular.

    Example:

    >>> import lamina
    >>> x = lamina.ops.solve_triangular([[1.0, 0.0], [1.0, 2.0]], [1.0, 3.0], lower=True)
    >>> lamina.ops.convert_to_numpy(x).tolist()
    [1.0, 1.0]
    """
    _solve_rule("solve_triangular")(a, b)
    return current.linalg.solve_triangular(a, b, lower=lower)


def _cholesky_rule(x, upper=False):
    return KerasTensor(_matrix_shape(x, "cholesky"), dtype=_float_dtype(x))


@symbolic(_cholesky_rule)
def cholesky(x, upper=False):
    """Cholesky factor of symmetric positive-definite matrices: `x = L @ L.T`.

    Args:
        x: Matrices of shape `(..., n, n)`.
        upper: Return the upper factor `U` (`x = U.T @ U`) instead of `L`.

    Raises:
        ValueError: When run eagerly on a matrix that is not positive definite.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(lamina.ops.cholesky([[4.0, 2.0], [2.0, 2.0]])).tolist()
    [[2.0, 0.0], [1.0, 1.0]]
    """
    _cholesky_rule(x, upper)
    return current.linalg.cholesky(x, upper=upper)


def _qr_rule(x, mode="reduced"):
    if mode not in ("reduced", "complete"):
        raise ValueError(f"qr expects mode 'reduced' or 'complete'. Received: mode={mode!r}")
    shape = _matrix_shape(x, "qr", square=False)
    m, n = shape[-2:]
    k = None if None in (m, n) else min(m, n)
    batch, dtype = shape[:-2], _float_dtype(x)
    if mode == "reduced":
        return KerasTensor(batch + (m, k), dtype=dtype), KerasTensor(batch + (k, n), dtype=dtype)
    return KerasTensor(batch + (m, m), dtype=dtype), KerasTensor(batch + (m, n), dtype=dtype)


@symbolic(_qr_rule)
def qr(x, mode="reduced"):
    """QR decomposition: `x = q @ r` with orthonormal columns in `q`, upper-triangular `r`.

    Args:
        x: Matrices of shape `(..., m, n)`.
        mode: `"reduced"` (`q`: (..., m, k), `r`: (..., k, n), `k = min(m, n)`)
            or `"complete"` (`q`: (..., m, m), `r`: (..., m, n)).

    Returns:
        A tuple `(q, r)`.

    Example:

    >>> import lamina
    >>> q, r = lamina.ops.qr(lamina.ops.ones((3, 2)))
    >>> tuple(q.shape), tuple(r.shape)
    ((3, 2), (2, 2))
    """
    _qr_rule(x, mode)
    return current.linalg.qr(x, mode=mode)


def _svd_rule(x, full_matrices=True, compute_uv=True):
    shape = _matrix_shape(x, "svd", square=False)
    m, n = shape[-2:]
    k = None if None in (m, n) else min(m, n)
    batch, dtype = shape[:-2], _float_dtype(x)
    values = KerasTensor(batch + (k,), dtype=dtype)
    if not compute_uv:
        return values
    if full_matrices:
        return KerasTensor(batch + (m, m), dtype=dtype), values, KerasTensor(batch + (n, n), dtype=dtype)
    return KerasTensor(batch + (m, k), dtype=dtype), values, KerasTensor(batch + (k, n), dtype=dtype)


@symbolic(_svd_rule)
def svd(x, full_matrices=True, compute_uv=True):
    """Singular value decomposition: `x = u @ diag(s) @ vh`.

    Args:
        x: Matrices of shape `(..., m, n)`.
        full_matrices: Whether `u` and `vh` are square (`(m, m)`, `(n, n)`) or
            reduced (`(m, k)`, `(k, n)` with `k = min(m, n)`).
        compute_uv: Whether to return `u` and `vh` or only `s`.

    Returns:
        `(u, s, vh)` with `s` in descending order, or `s` alone.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(lamina.ops.svd([[3.0, 0.0], [0.0, -4.0]], compute_uv=False)).tolist()
    [4.0, 3.0]
    """
    _svd_rule(x, full_matrices, compute_uv)
    return current.linalg.svd(x, full_matrices=full_matrices, compute_uv=compute_uv)


def _eigh_rule(x):
    shape = _matrix_shape(x, "eigh")
    dtype = _float_dtype(x)
    return KerasTensor(shape[:-1], dtype=dtype), KerasTensor(shape, dtype=dtype)


@symbolic(_eigh_rule)
def eigh(x):
    """Eigenvalues (ascending) and eigenvectors (columns) of symmetric matrices.

    Example:

    >>> import lamina
    >>> values, vectors = lamina.ops.eigh([[2.0, 0.0], [0.0, 1.0]])
    >>> lamina.ops.convert_to_numpy(values).tolist()
    [1.0, 2.0]
    """
    _eigh_rule(x)
    return current.linalg.eigh(x)


def _lstsq_rule(a, b, rcond=None):
    a_shape, b_shape = shape_rules.shape_of(a), shape_rules.shape_of(b)
    if len(a_shape) != 2 or len(b_shape) not in (1, 2):
        raise ValueError(
            f"lstsq expects a of rank 2 and b of rank 1 or 2. Received: a.shape={a_shape}, b.shape={b_shape}"
        )
    if None not in (a_shape[0], b_shape[0]) and a_shape[0] != b_shape[0]:
        raise ValueError(
            f"lstsq expects b.shape[0] == a.shape[0]. Received: a.shape={a_shape}, b.shape={b_shape}"
        )
    return KerasTensor((a_shape[1],) + b_shape[1:], dtype=_float_dtype(a))


@symbolic(_lstsq_rule)
def lstsq(a, b, rcond=None):
    """Least-squares solution `x` minimizing `||a @ x - b||`.

    Args:
        a: Matrix of shape `(m, n)`.
        b: Vector `(m,)` or matrix `(m, k)`.
        rcond: Cutoff ratio for small singular values of `a` (backend default when None).

    Returns:
        `x` of shape `(n,)` or `(n, k)`.

    Example:

    >>> import numpy as np
    >>> import lamina
    >>> x = lamina.ops.lstsq([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]], [1.0, 2.0, 3.0])
    >>> print(np.round(lamina.ops.convert_to_numpy(x), 4))
    [1. 2.]
    """
    _lstsq_rule(a, b, rcond)
    return current.linalg.lstsq(a, b, rcond=rcond)
