"""Shared checks for the tests of `lamina.ops.numpy`.

A case is one call of an op: the op, its NumPy reference, the tensor inputs
(NumPy arrays) and keyword arguments. Each case is checked four ways:
forward values against the reference (computed in float64), the symbolic
shape rule against the eager result (same shapes, then the first axis of each
input unknown), the dtype of the eager result against the rule's, and - for
differentiable cases on jax/torch - autodiff gradients against central
differences of the reference.
"""

import numpy as np
import pytest
from testing_utils import assert_close
from testing_utils import gradient
from testing_utils import numerical_gradient

import lamina
from lamina import ops
from lamina.backend import backend


class Case:
    def __init__(self, name, op, reference, inputs, kwargs, grad, none_dims, exact_shape, tolerance):
        self.name = name
        self.op = op
        self.reference = reference
        self.inputs = inputs
        self.kwargs = kwargs
        self.grad = grad
        self.none_dims = none_dims
        self.exact_shape = exact_shape
        self.tolerance = tolerance

    def __repr__(self):
        return self.name


def case(
    name, op, reference, *inputs, grad=False, none_dims=True, exact_shape=True, rtol=None, atol=None, **kwargs
):
    """A pytest param for one op call.

    Args:
        name: The test id.
        op: Callable `op(*tensors, **kwargs)` (usually `ops.<name>`).
        reference: The NumPy callable with the same arguments.
        *inputs: NumPy arrays, passed as tensors.
        grad: False, True (all float inputs) or a tuple of the input positions to differentiate.
        none_dims: Whether the rule must also accept inputs whose first axis is unknown.
        exact_shape: False when the output shape depends on the values (the rule gives None there).
        rtol, atol: Forward tolerances (default: float32's).
        **kwargs: Python keyword arguments for both callables.
    """
    inputs = [np.asarray(x) for x in inputs]
    if grad is True:
        grad = tuple(i for i, x in enumerate(inputs) if x.dtype.kind == "f")
    tolerance = {key: value for key, value in (("rtol", rtol), ("atol", atol)) if value is not None}
    params = Case(name, op, reference, inputs, kwargs, grad or (), none_dims, exact_shape, tolerance)
    return pytest.param(params, id=name)


def grad_cases(cases):
    return [param for param in cases if param.values[0].grad]


def _to_float64(x):
    return x.astype("float64") if x.dtype.kind == "f" else x


def _leaves(value):
    if isinstance(value, (list, tuple)):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


def check_forward(case):
    tensors = [ops.convert_to_tensor(x) for x in case.inputs]
    result = case.op(*tensors, **case.kwargs)
    expected = case.reference(*[_to_float64(x) for x in case.inputs], **case.kwargs)
    results, expectations = _leaves(result), _leaves(expected)
    assert len(results) == len(expectations), (
        f"{case.name}: {len(results)} outputs, expected {len(expectations)}"
    )
    for actual, reference in zip(results, expectations):
        if isinstance(reference, (int, float, bool, np.generic)) and not hasattr(actual, "shape"):
            assert actual == reference, f"{case.name}: {actual} != {reference}"
            continue
        actual_array = ops.convert_to_numpy(actual)
        assert actual_array.shape == np.shape(reference), (
            f"{case.name}: {actual_array.shape} != {np.shape(reference)}"
        )
        if np.asarray(reference).dtype == bool:
            np.testing.assert_array_equal(actual_array, reference)
        else:
            assert_close(actual_array, reference, **case.tolerance)


def _symbolic_inputs(case, unknown_first_axis):
    specs = []
    for x in case.inputs:
        shape = x.shape
        if unknown_first_axis and shape:
            shape = (None,) + shape[1:]
        specs.append(lamina.KerasTensor(shape, dtype=str(x.dtype)))
    return specs


def check_symbolic(case):
    tensors = [ops.convert_to_tensor(x) for x in case.inputs]
    eager = case.op(*tensors, **case.kwargs)
    symbolic = case.op(*_symbolic_inputs(case, False), **case.kwargs)
    eager_leaves, symbolic_leaves = _leaves(eager), _leaves(symbolic)
    assert len(eager_leaves) == len(symbolic_leaves)
    for actual, spec in zip(eager_leaves, symbolic_leaves):
        if isinstance(actual, int):
            assert spec.shape == () and spec.dtype == "int32"
            continue
        assert spec.dtype == ops.dtype(actual), f"{case.name}: rule {spec.dtype}, eager {ops.dtype(actual)}"
        if case.exact_shape:
            assert spec.shape == ops.shape(actual), (
                f"{case.name}: rule {spec.shape}, eager {ops.shape(actual)}"
            )
        else:
            _assert_compatible(case, spec.shape, ops.shape(actual))
    if not case.none_dims:
        return
    for actual, spec in zip(eager_leaves, _leaves(case.op(*_symbolic_inputs(case, True), **case.kwargs))):
        _assert_compatible(case, spec.shape, () if isinstance(actual, int) else ops.shape(actual))


def _assert_compatible(case, rule_shape, eager_shape):
    """The rule's shape has the eager rank, and each size is the eager one or unknown."""
    assert len(rule_shape) == len(eager_shape), f"{case.name}: rule {rule_shape}, eager {eager_shape}"
    for rule_size, size in zip(rule_shape, eager_shape):
        assert rule_size in (None, size), f"{case.name}: rule {rule_shape}, eager {eager_shape}"


def _gradient(function, *args):
    """Autodiff gradients; on jax under `jit`, which also checks that the op traces."""
    if backend() != "jax":
        return gradient(function, *args)
    import jax

    grads = jax.jit(jax.grad(function, argnums=tuple(range(len(args)))))(*args)
    return [np.asarray(g) for g in grads]


def check_gradient(case, rtol=2e-3, atol=2e-3):
    positions = case.grad
    inputs = [x.astype("float32") if x.dtype.kind == "f" else x for x in case.inputs]

    def with_constants(function, convert):
        def call(*variables):
            args = [convert(x) for x in inputs]
            for position, value in zip(positions, variables):
                args[position] = value
            return function(*args, **case.kwargs)

        return call

    def summed_op(*args, **kwargs):
        result = case.op(*args, **kwargs)
        leaves = _leaves(result)
        total = ops.sum(leaves[0])
        for leaf in leaves[1:]:
            total = total + ops.sum(leaf)
        return total

    def summed_reference(*args, **kwargs):
        return sum(np.sum(leaf) for leaf in _leaves(case.reference(*args, **kwargs)))

    variables = [inputs[position] for position in positions]
    analytic = _gradient(with_constants(summed_op, ops.convert_to_tensor), *variables)
    numeric = numerical_gradient(with_constants(summed_reference, _to_float64), *variables)
    for actual, expected in zip(analytic, numeric):
        assert_close(actual, expected, rtol=rtol, atol=atol)
