"""PyTorch linear algebra."""

import torch

from lamina import config
from lamina.backend.torch.core import convert_to_tensor
from lamina.backend.torch.core import to_torch_dtype


def _float(x):
    x = convert_to_tensor(x)
    if not x.is_floating_point():
        x = x.to(to_torch_dtype(config.floatx()))
    return x


def norm(x, ord=None, axis=None, keepdims=False):
    return torch.linalg.norm(_float(x), ord=ord, dim=axis, keepdim=keepdims)


def inv(x):
    return torch.linalg.inv(_float(x))


def det(x):
    return torch.linalg.det(_float(x))


def _matrix_right_side(b, a):
    b = convert_to_tensor(b).to(a.dtype)
    return (b.unsqueeze(-1), True) if b.ndim == 1 else (b, False)


def solve(a, b):
    a = _float(a)
    b, is_vector = _matrix_right_side(b, a)
    result = torch.linalg.solve(a, b)
    return result.squeeze(-1) if is_vector else result


def solve_triangular(a, b, lower=False):
    a = _float(a)
    b, is_vector = _matrix_right_side(b, a)
    result = torch.linalg.solve_triangular(a, b, upper=not lower)
    return result.squeeze(-1) if is_vector else result


def cholesky(x, upper=False):
    try:
        return torch.linalg.cholesky(_float(x), upper=upper)
    except torch.linalg.LinAlgError:
        raise ValueError("cholesky: the input is not a symmetric positive-definite matrix.") from None


def qr(x, mode="reduced"):
    return tuple(torch.linalg.qr(_float(x), mode=mode))


def svd(x, full_matrices=True, compute_uv=True):
    x = _float(x)
    if not compute_uv:
        return torch.linalg.svdvals(x)
    return tuple(torch.linalg.svd(x, full_matrices=full_matrices))


def eigh(x):
    return tuple(torch.linalg.eigh(_float(x)))


def lstsq(a, b, rcond=None):
    a = _float(a)
    b, is_vector = _matrix_right_side(b, a)
    # gelsd (SVD based) handles rank-deficient systems like NumPy and JAX do.
    driver = "gelsd" if a.device.type == "cpu" else None
    result = torch.linalg.lstsq(a, b, rcond=rcond, driver=driver).solution
    return result.squeeze(-1) if is_vector else result
