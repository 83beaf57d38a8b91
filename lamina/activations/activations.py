"""Activation functions."""


def linear(x):
    """Linear activation: returns `x` unchanged.

    Example:

    >>> linear(3.0)
    3.0
    """
    return x
