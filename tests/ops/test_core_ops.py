"""Tests of lamina.ops.core: conversion, casting, shapes and control flow."""

import numpy as np
import pytest
from testing_utils import assert_close
from testing_utils import gradient

import lamina
from lamina import ops
from lamina.backend import backend


@pytest.mark.parametrize(
    "value, dtype",
    [
        (1.5, "float32"),
        ([1.0, 2.0], "float32"),
        (3, "int32"),
        ([1, 2], "int32"),
        ([True, False], "bool"),
        (np.zeros((2,), dtype="float16"), "float16"),
        (np.zeros((2,), dtype="uint8"), "uint8"),
    ],
)
def test_convert_to_tensor_default_dtypes(value, dtype):
    tensor = ops.convert_to_tensor(value)
    assert ops.is_tensor(tensor)
    assert ops.dtype(tensor) == dtype
    np.testing.assert_array_equal(ops.convert_to_numpy(tensor), np.asarray(value))


@pytest.mark.parametrize("dtype", ["float16", "float32", "int8", "int32", "bool", "float"])
def test_convert_to_tensor_with_dtype(dtype):
    tensor = ops.convert_to_tensor([0, 1, 2], dtype=dtype)
    expected = lamina.backend.standardize_dtype(dtype)
    assert ops.dtype(tensor) == expected
    assert ops.convert_to_numpy(tensor).tolist() == np.array([0, 1, 2]).astype(expected).tolist()


@pytest.mark.jax_only
def test_jax_turns_64_bit_inputs_into_32_bit():
    # JAX runs with x64 disabled (as Keras on JAX does).
    assert ops.dtype(ops.convert_to_tensor(np.zeros((2,), dtype="int64"))) == "int32"
    assert ops.dtype(ops.convert_to_tensor(np.zeros((2,), dtype="float64"))) == "float32"


@pytest.mark.torch_only
def test_torch_keeps_64_bit_inputs():
    assert ops.dtype(ops.convert_to_tensor(np.zeros((2,), dtype="int64"))) == "int64"
    assert ops.dtype(ops.convert_to_tensor(np.zeros((2,), dtype="float64"))) == "float64"


def test_convert_variables_and_keras_tensors():
    variable = lamina.Variable(np.array([1.0, 2.0], dtype="float32"))
    assert ops.is_tensor(ops.convert_to_tensor(variable))
    assert ops.convert_to_numpy(variable).tolist() == [1.0, 2.0]
    symbolic = lamina.KerasTensor((None, 2))
    assert ops.convert_to_tensor(symbolic) is symbolic
    assert ops.convert_to_tensor(symbolic, dtype="int32").dtype == "int32"
    with pytest.raises(ValueError, match="convert_to_numpy received a symbolic KerasTensor"):
        ops.convert_to_numpy(symbolic)


@pytest.mark.parametrize(
    "source, target", [("float32", "int32"), ("int32", "float16"), ("float32", "bool"), ("bool", "float32")]
)
def test_cast(source, target):
    values = np.array([0, 1, 3], dtype=source)
    result = ops.cast(values, target)
    assert ops.dtype(result) == target
    assert ops.convert_to_numpy(result).tolist() == values.astype(target).tolist()
    assert ops.cast(lamina.KerasTensor((None, 3), dtype=source), target).dtype == target
    assert ops.dtype(ops.cast(lamina.Variable(values.astype("float32")), target)) == target


def test_cast_truncates_floats_towards_zero():
    result = ops.cast(np.array([-1.7, 1.7], dtype="float32"), "int32")
    assert ops.convert_to_numpy(result).tolist() == [-1, 1]


def test_shape_and_dtype():
    assert ops.shape(ops.zeros((2, 3))) == (2, 3)
    assert isinstance(ops.shape(ops.zeros((2, 3))), tuple)
    assert ops.shape(lamina.KerasTensor((None, 3))) == (None, 3)
    assert ops.dtype(ops.zeros((2,), dtype="int32")) == "int32"


def test_cond():
    assert float(ops.cond(True, lambda: ops.ones(()), lambda: ops.zeros(()))) == 1.0
    assert float(ops.cond(ops.convert_to_tensor(False), lambda: ops.ones(()), lambda: ops.zeros(()))) == 0.0


def test_while_loop():
    assert int(ops.while_loop(lambda i: i < 5, lambda i: i + 1, 0)) == 5
    count, total = ops.while_loop(
        lambda i, total: i < 4,
        lambda i, total: (i + 1, total + i),
        (ops.convert_to_tensor(0), ops.convert_to_tensor(0)),
    )
    assert (int(count), int(total)) == (4, 6)
    as_list = ops.while_loop(lambda i, total: i < 4, lambda i, total: [i + 1, total * 2], [0, 1])
    assert isinstance(as_list, list)
    assert [int(value) for value in as_list] == [4, 16]


def test_while_loop_maximum_iterations():
    result = ops.while_loop(
        lambda i: i < 100, lambda i: i + 2, ops.convert_to_tensor(0), maximum_iterations=3
    )
    assert int(result) == 6
    pair = ops.while_loop(lambda i, j: i < 100, lambda i, j: (i + 1, j - 1), (0, 0), maximum_iterations=4)
    assert [int(value) for value in pair] == [4, -4]


def test_fori_loop():
    assert int(ops.fori_loop(0, 5, lambda i, total: total + i, 0)) == 10
    assert int(ops.fori_loop(2, 2, lambda i, total: total + i, 7)) == 7
    vector = ops.fori_loop(0, 3, lambda i, value: value * 2.0, ops.ones((2,)))
    assert ops.convert_to_numpy(vector).tolist() == [8.0, 8.0]


def test_scan():
    xs = np.arange(1.0, 5.0, dtype="float32")
    carry, ys = ops.scan(lambda c, x: (c + x, c * x), 0.0, xs)
    assert float(carry) == 10.0
    assert_close(ys, [0.0, 2.0, 9.0, 24.0])
    carry, ys = ops.scan(lambda c, x: (c + x, c + x), 0.0, xs, reverse=True)
    assert float(carry) == 10.0
    assert_close(ys, [10.0, 9.0, 7.0, 4.0])


def test_scan_with_length_and_nested_values():
    carry, ys = ops.scan(lambda c, _: (c + 1, c * 10), ops.convert_to_tensor(0), None, length=3)
    assert int(carry) == 3
    assert ops.convert_to_numpy(ys).tolist() == [0, 10, 20]
    xs = {"a": np.ones((3, 2), dtype="float32"), "b": np.arange(3, dtype="float32")}

    def step(carry, x):
        total = carry + x["a"] * x["b"]
        return total, (total, x["b"])

    carry, (totals, bs) = ops.scan(step, ops.zeros((2,)), xs)
    assert_close(carry, [3.0, 3.0])
    assert ops.shape(totals) == (3, 2)
    assert_close(bs, [0.0, 1.0, 2.0])


def test_unstack():
    x = np.arange(6, dtype="float32").reshape(2, 3)
    assert len(ops.unstack([[1.0, 2.0], [3.0, 4.0]])) == 2
    rows = ops.unstack(x)
    assert len(rows) == 2 and ops.convert_to_numpy(rows[1]).tolist() == [3.0, 4.0, 5.0]
    columns = ops.unstack(x, axis=1)
    assert [ops.convert_to_numpy(column).tolist() for column in columns] == [
        [0.0, 3.0],
        [1.0, 4.0],
        [2.0, 5.0],
    ]
    symbolic = ops.unstack(lamina.KerasTensor((None, 3)), axis=-1)
    assert [part.shape for part in symbolic] == [(None,)] * 3
    with pytest.raises(ValueError, match="unstack needs a known size"):
        ops.unstack(lamina.KerasTensor((None, 3)))
    assert len(ops.unstack(lamina.KerasTensor((None, 3)), num=4)) == 4


def test_stop_gradient_forward():
    x = np.array([1.0, 2.0], dtype="float32")
    assert_close(ops.stop_gradient(x), x)
    assert ops.is_tensor(ops.stop_gradient([1.0, 2.0]))
    assert ops.stop_gradient(lamina.KerasTensor((None, 2))).shape == (None, 2)
    variable = lamina.Variable(x)
    assert_close(ops.stop_gradient(variable), x)


@pytest.mark.requires_trainable_backend
def test_stop_gradient_blocks_gradients():
    x = np.array([1.0, 2.0, 3.0], dtype="float32")
    (grad,) = gradient(lambda v: v * ops.stop_gradient(v), x)
    assert_close(grad, x)


@pytest.mark.requires_trainable_backend
def test_control_flow_is_differentiable():
    x = np.array([0.5, 1.5], dtype="float32")
    (grad,) = gradient(lambda v: ops.fori_loop(0, 3, lambda i, value: value * v, ops.ones((2,))), x)
    assert_close(grad, 3.0 * x**2)
    (grad,) = gradient(lambda v: ops.scan(lambda c, item: (c * item, c), ops.ones(()), v)[0], x)
    assert_close(grad, [x[1], x[0]])
    (grad,) = gradient(lambda v: ops.cond(True, lambda: v * 2.0, lambda: v * 3.0), x)
    assert_close(grad, [2.0, 2.0])


@pytest.mark.jax_only
def test_control_flow_compiles_under_jit():
    import jax

    @jax.jit
    def run(x):
        chosen = ops.cond(x[0] > 0, lambda: x * 2.0, lambda: -x)
        looped = ops.while_loop(lambda i, value: i < 3, lambda i, value: (i + 1, value + 1.0), (0, chosen))
        counted = ops.while_loop(
            lambda value: value < 100.0, lambda value: value * 2.0, x[0], maximum_iterations=2
        )
        summed = ops.fori_loop(0, 4, lambda i, total: total + x[1], 0.0)
        return looped[1], counted, summed

    looped, counted, summed = run(np.array([1.0, 2.0], dtype="float32"))
    assert_close(looped, [5.0, 7.0])
    assert float(counted) == 4.0
    assert float(summed) == 8.0
    looped, _, _ = run(np.array([-1.0, 2.0], dtype="float32"))
    assert_close(looped, [4.0, 1.0])


def test_backend_name():
    assert backend() in ("jax", "torch", "numpy")
