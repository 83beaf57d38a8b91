"""NumPy `linear`: the product then the bias."""

from lamina.backend.numpy.numpy import add
from lamina.backend.numpy.numpy import matmul


def linear(inputs, kernel, bias):
    return add(matmul(inputs, kernel), bias)
