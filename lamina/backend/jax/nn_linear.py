"""JAX `linear`: the product then the bias (XLA fuses them under jit)."""

from lamina.backend.jax.numpy import add
from lamina.backend.jax.numpy import matmul


def linear(inputs, kernel, bias):
    return add(matmul(inputs, kernel), bias)
