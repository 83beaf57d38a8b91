"""Result dtypes of lamina.ops.numpy: eager (every backend) == shape rule == Keras 3 (JAX) oracle.

The oracle is Keras's own symbolic dtype (its ops' output specs on KerasTensors), which
Keras tests against its eager results; asking it symbolically avoids compiling each op.

Keras follows JAX's promotion: Python scalars are weak, float-valued ops turn
ints into floatx, sums widen narrow ints, comparisons give bool, argmax int32.
"""

import os
import sys

import pytest

import lamina
from lamina import ops
from lamina.backend import backend

UNARY_DTYPES = ("bool", "int8", "uint8", "int32", "float16")
BINARY_DTYPES = [
    ("int8", "int8"),
    ("int8", "uint8"),
    ("bool", "bool"),
    ("bool", "int32"),
    ("int32", "float16"),
    ("float16", "bfloat16"),
]
SCALARS = [("int32", 2), ("int32", 0.5), ("float16", 0.5), ("bool", 3), ("uint8", 2), ("int8", True)]

# One or two ops per dtype rule (keep, float-valued, bool, widening sum, int32 index, ...).
UNARY_OPS = (
    "absolute square sqrt floor round trunc logical_not isnan nan_to_num sum mean max prod var all "
    "cumsum argmax median count_nonzero argsort trace"
).split()
BINARY_OPS = (
    "add subtract true_divide floor_divide power maximum arctan2 equal logical_and dot matmul append".split()
)
SCALAR_OPS = "add subtract divide floor_divide power maximum equal".split()

# Where Keras raises (bool inputs to sign/round/negative/subtract), lamina gives a result or the
# backend's own error; those combinations are not compared.
KERAS_ERRORS = {("negative", "bool"), ("sign", "bool"), ("round", "bool"), ("subtract", "bool", "bool")}
# Keras's symbolic spec says bool here, while its eager result (JAX's) is int32; lamina gives int32.
KERAS_SPEC_DIFFERS_FROM_EAGER = {("floor_divide", "bool", "bool"), ("power", "bool", "bool")}


def _keras():
    if "keras" not in sys.modules:
        os.environ["KERAS_BACKEND"] = "jax"
    keras = pytest.importorskip("keras")
    if keras.backend.backend() != "jax":
        pytest.skip("keras was imported with another backend")
    return keras


def _torch_lacks(dtype):
    # torch has no uint32: sums of uint8 come back as int64 there (to_torch_dtype's mapping).
    return backend() == "torch" and dtype == "uint32"


def _supported(*dtypes):
    return not (backend() == "numpy" and "bfloat16" in dtypes)


def _mismatches(keras, name, *arguments):
    """Compares the result dtypes of `name(*arguments)`; strings in `arguments` are tensor dtypes."""
    key = (name,) + arguments
    if key in KERAS_ERRORS:
        return []

    def build(make_tensor):
        return [make_tensor(item) if isinstance(item, str) else item for item in arguments]

    expected = str(getattr(keras.ops, name)(*build(lambda dtype: keras.KerasTensor((2, 2), dtype))).dtype)
    eager = ops.dtype(getattr(ops, name)(*build(lambda dtype: ops.ones((2, 2), dtype))))
    rule = getattr(ops, name)(*build(lambda dtype: lamina.KerasTensor((None, 2), dtype))).dtype
    if key in KERAS_SPEC_DIFFERS_FROM_EAGER:
        expected = "int32"
    if eager == rule == expected or (_torch_lacks(expected) and rule == expected):
        return []
    return [f"{name}{arguments}: keras {expected}, eager {eager}, rule {rule}"]


@pytest.mark.parametrize("name", UNARY_OPS)
def test_unary_dtypes_match_keras(name):
    keras = _keras()
    problems = []
    for dtype in UNARY_DTYPES:
        problems += _mismatches(keras, name, dtype)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", BINARY_OPS)
def test_binary_dtypes_match_keras(name):
    keras = _keras()
    problems = []
    for first, second in BINARY_DTYPES:
        if _supported(first, second):
            problems += _mismatches(keras, name, first, second)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", SCALAR_OPS)
def test_python_scalars_are_weak(name):
    keras = _keras()
    problems = []
    for dtype, scalar in SCALARS:
        problems += _mismatches(keras, name, dtype, scalar)
    assert not problems, "\n".join(problems)


def test_clip_and_where_dtypes():
    x = ops.ones((2,), "int32")
    assert ops.dtype(ops.clip(x, 0, 2)) == "int32"
    assert ops.dtype(ops.clip(x, 0.0, 2.5)) == "float32"
    assert ops.dtype(ops.clip(ops.ones((2,), "bool"), 0, 1)) == "int32"
    assert ops.dtype(ops.where(ops.ones((2,), "bool"), x, 0.5)) == "float32"
    assert ops.dtype(ops.where(ops.ones((2,), "bool"), 1, 0)) == "int32"
    assert ops.where(lamina.KerasTensor((None,), "bool"), 1.0, 0.0).dtype == "float32"
