"""Shared test helpers: tolerances per dtype, gradients on the active backend."""

import numpy as np

from lamina import ops
from lamina.backend import backend

TOLERANCES = {
    "float16": dict(rtol=1e-2, atol=1e-2),
    "bfloat16": dict(rtol=5e-2, atol=5e-2),
    "float32": dict(rtol=1e-5, atol=1e-5),
    "float64": dict(rtol=1e-7, atol=1e-7),
}


def assert_close(actual, expected, dtype="float32", rtol=None, atol=None):
    """Asserts that a tensor (any backend) equals a NumPy reference within the dtype's tolerance."""
    tolerance = dict(TOLERANCES.get(dtype, TOLERANCES["float32"]))
    if rtol is not None:
        tolerance["rtol"] = rtol
    if atol is not None:
        tolerance["atol"] = atol
    actual = ops.convert_to_numpy(actual) if not isinstance(actual, np.ndarray) else actual
    if ops.is_tensor(expected):
        expected = ops.convert_to_numpy(expected)
    np.testing.assert_allclose(
        np.asarray(actual, dtype=np.float64), np.asarray(expected, dtype=np.float64), **tolerance
    )


def gradient(function, *args):
    """Returns d(sum(function(*args)))/d(args) as NumPy arrays, using the backend's autodiff."""
    name = backend()
    if name == "jax":
        import jax
        import jax.numpy as jnp

        values = [jnp.asarray(arg) for arg in args]
        grads = jax.grad(lambda *xs: jnp.sum(function(*xs)), argnums=tuple(range(len(values))))(*values)
        return [np.asarray(g) for g in grads]
    if name == "torch":
        import torch

        values = [torch.tensor(np.asarray(arg), requires_grad=True) for arg in args]
        torch.sum(function(*values)).backward()
        return [v.grad.numpy() for v in values]
    raise RuntimeError("gradient() needs the jax or torch backend")


def numerical_gradient(function, *args, epsilon=1e-3):
    """Central finite differences of sum(function(*args)) in float64 NumPy."""
    args = [np.asarray(arg, dtype=np.float64) for arg in args]
    grads = []
    for index, arg in enumerate(args):
        grad = np.zeros_like(arg)
        for position in np.ndindex(arg.shape):
            plus = [a.copy() for a in args]
            minus = [a.copy() for a in args]
            plus[index][position] += epsilon
            minus[index][position] -= epsilon
            grad[position] = (np.sum(function(*plus)) - np.sum(function(*minus))) / (2 * epsilon)
        grads.append(grad)
    return grads
