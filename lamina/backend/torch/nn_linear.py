"""PyTorch `linear`: one `addmm` for the product and the bias (a single autograd node)."""

import torch

from lamina.backend.torch.numpy import add
from lamina.backend.torch.numpy import matmul
from lamina.backend.torch.numpy._casting import plain_tensor
from lamina.backend.torch.numpy._casting import promote_pair_fast


def linear(inputs, kernel, bias):
    pair = promote_pair_fast(inputs, kernel)
    if pair is not None and pair[0].ndim == 2 and pair[1].ndim == 2:
        bias_tensor = plain_tensor(bias)
        # addmm broadcasts its first argument against the product as `add` would.
        if bias_tensor is not None and bias_tensor.dtype == pair[0].dtype and bias_tensor.ndim <= 2:
            return torch.addmm(bias_tensor, *pair)
    return add(matmul(inputs, kernel), bias)
