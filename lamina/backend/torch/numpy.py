"""PyTorch implementations of the NumPy-like ops."""

import torch

from lamina.backend.common import dtypes
from lamina.backend.torch.core import DEFAULT_DEVICE
from lamina.backend.torch.core import cast
from lamina.backend.torch.core import convert_to_tensor
from lamina.backend.torch.core import to_torch_dtype


def _promoted(x1, x2):
    dtype = dtypes.result_type(x1, x2)
    return cast(x1, dtype), cast(x2, dtype)


def zeros(shape, dtype=None):
    return torch.zeros(tuple(shape), dtype=to_torch_dtype(dtype), device=DEFAULT_DEVICE)


def ones(shape, dtype=None):
    return torch.ones(tuple(shape), dtype=to_torch_dtype(dtype), device=DEFAULT_DEVICE)


def add(x1, x2):
    x1, x2 = _promoted(x1, x2)
    return torch.add(x1, x2)


def subtract(x1, x2):
    x1, x2 = _promoted(x1, x2)
    return torch.subtract(x1, x2)


def multiply(x1, x2):
    x1, x2 = _promoted(x1, x2)
    return torch.multiply(x1, x2)


def matmul(x1, x2):
    x1, x2 = _promoted(convert_to_tensor(x1), convert_to_tensor(x2))
    return torch.matmul(x1, x2)
