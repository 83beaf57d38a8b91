"""Zeros, Ones, Constant and Identity."""

import numpy as np
import pytest

from lamina import initializers
from lamina import ops


@pytest.mark.parametrize("dtype", ["float32", "float16", "int32", "bool"])
def test_zeros_and_ones(dtype):
    zeros = initializers.Zeros()((2, 3), dtype=dtype)
    ones = initializers.Ones()((2, 3), dtype=dtype)
    assert ops.dtype(zeros) == dtype and ops.dtype(ones) == dtype
    np.testing.assert_array_equal(ops.convert_to_numpy(zeros), np.zeros((2, 3), dtype=dtype))
    np.testing.assert_array_equal(ops.convert_to_numpy(ones), np.ones((2, 3), dtype=dtype))


def test_default_dtype_is_floatx():
    assert ops.dtype(initializers.Zeros()((2,))) == "float32"


def test_constant():
    values = initializers.Constant(2.5)((2, 2))
    np.testing.assert_array_equal(ops.convert_to_numpy(values), np.full((2, 2), 2.5, dtype="float32"))
    values = initializers.Constant(3)((4,), dtype="int32")
    assert ops.dtype(values) == "int32"
    assert ops.convert_to_numpy(values).tolist() == [3, 3, 3, 3]


def test_constant_rejects_arrays():
    with pytest.raises(ValueError, match="scalar"):
        initializers.Constant(np.ones((2, 2)))


@pytest.mark.parametrize("shape", [(3, 3), (2, 4), (4, 2)])
def test_identity(shape):
    values = initializers.Identity(gain=3.0)(shape)
    np.testing.assert_array_equal(ops.convert_to_numpy(values), 3.0 * np.eye(*shape, dtype="float32"))


def test_identity_needs_a_matrix():
    with pytest.raises(ValueError, match="2D"):
        initializers.Identity()((2, 2, 2))
    assert initializers.IdentityInitializer is initializers.Identity


def test_array_identifier_gives_its_values():
    array = np.arange(6, dtype="float64").reshape(2, 3)
    initializer = initializers.get(array)
    values = initializer((2, 3), dtype="float32")
    assert ops.dtype(values) == "float32"
    np.testing.assert_array_equal(ops.convert_to_numpy(values), array.astype("float32"))
    with pytest.raises(ValueError, match=r"\(2, 3\)"):
        initializer((3, 2))
