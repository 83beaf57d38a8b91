"""The PyTorch eager fast paths give exactly what the general dtype rules give.

Each case runs an op twice: once as is, and once with the fast paths switched
off (`promote_pair_fast` answering None), then compares values and dtypes.
"""

import numpy as np
import pytest

import lamina
from lamina import ops
from tests.testing_utils import assert_close

pytestmark = pytest.mark.torch_only


def _arguments():
    import torch

    from lamina.backend.torch.core import Variable

    return {
        "float32": torch.tensor([[1.5, -2.0], [0.25, 3.0]], dtype=torch.float32),
        "float32_other": torch.tensor([[0.5, 4.0], [-1.0, 2.0]], dtype=torch.float32),
        "float16": torch.tensor([[1.5, -2.0], [0.25, 3.0]], dtype=torch.float16),
        "float64": torch.tensor([[1.5, -2.0], [0.25, 3.0]], dtype=torch.float64),
        "bfloat16": torch.tensor([[1.5, -2.0], [0.25, 3.0]], dtype=torch.bfloat16),
        "int32": torch.tensor([[1, -2], [3, 4]], dtype=torch.int32),
        "int8": torch.tensor([[1, -2], [3, 4]], dtype=torch.int8),
        "uint8": torch.tensor([[1, 2], [3, 4]], dtype=torch.uint8),
        "bool": torch.tensor([[True, False], [False, True]]),
        "variable": Variable(np.array([[2.0, 1.0], [-1.0, 0.5]], dtype="float32")),
        "variable16": Variable(np.array([[2.0, 1.0], [-1.0, 0.5]], dtype="float32"), dtype="float16"),
        "numpy": np.array([[1.0, 2.0], [3.0, 4.0]], dtype="float32"),
        "list": [[1.0, 2.0], [3.0, 4.0]],
        "int": 3,
        "float": 0.5,
        "true": True,
    }


def _general_path(monkeypatch):
    from lamina.backend.torch.numpy import _casting
    from lamina.backend.torch.numpy import elementwise
    from lamina.backend.torch.numpy import matrix

    for module in (_casting, elementwise, matrix):
        monkeypatch.setattr(module, "promote_pair_fast", lambda *args, **kwargs: None)


def _run(function, first, second):
    try:
        return function(first, second), None
    except Exception as error:  # the general path must fail the same way
        return None, type(error)


def _same(fast, general):
    (fast_value, fast_error), (general_value, general_error) = fast, general
    assert fast_error == general_error
    if fast_error is None:
        assert ops.convert_to_numpy(fast_value).dtype == ops.convert_to_numpy(general_value).dtype
        assert lamina.backend.standardize_dtype(fast_value.dtype) == lamina.backend.standardize_dtype(
            general_value.dtype
        )
        assert_close(ops.convert_to_numpy(fast_value), ops.convert_to_numpy(general_value))


PAIRS = [
    ("float32", "float32_other"),
    ("float32", "variable"),
    ("variable", "float32"),
    ("variable", "variable"),
    ("variable16", "float16"),
    ("float32", "float16"),
    ("float16", "float32"),
    ("float32", "float64"),
    ("bfloat16", "float16"),
    ("float32", "int32"),
    ("int32", "float32"),
    ("int8", "int8"),
    ("int32", "uint8"),
    ("bool", "bool"),
    ("bool", "int32"),
    ("float32", "bool"),
    ("float32", "int"),
    ("float16", "int"),
    ("float16", "float"),
    ("variable16", "float"),
    ("float32", "true"),
    ("int32", "float"),
    ("int8", "int"),
    ("bool", "int"),
    ("uint8", "float"),
    ("float32", "numpy"),
    ("numpy", "float32"),
    ("float32", "list"),
    ("int", "float32"),
    ("float", "int32"),
]

BINARY_OPS = {
    "add": ops.add,
    "subtract": ops.subtract,
    "multiply": ops.multiply,
    "divide": ops.divide,
    "true_divide": ops.true_divide,
    "arctan2": ops.arctan2,
    "matmul": ops.matmul,
    "maximum": ops.maximum,
    "equal": ops.equal,
}


@pytest.mark.parametrize("op_name", sorted(BINARY_OPS))
@pytest.mark.parametrize("pair", PAIRS, ids=["-".join(pair) for pair in PAIRS])
def test_binary_fast_path_matches_general_path(op_name, pair, monkeypatch):
    arguments = _arguments()
    function = BINARY_OPS[op_name]
    first, second = arguments[pair[0]], arguments[pair[1]]
    fast = _run(function, first, second)
    _general_path(monkeypatch)
    _same(fast, _run(function, first, second))


@pytest.mark.parametrize("pair", PAIRS, ids=["-".join(pair) for pair in PAIRS])
def test_add_dtype_matches_the_result_type_oracle(pair):
    arguments = _arguments()
    first, second = arguments[pair[0]], arguments[pair[1]]
    expected = lamina.backend.result_type(
        *(
            value if isinstance(value, (int, float)) else ops.convert_to_tensor(value)
            for value in (first, second)
        )
    )
    assert lamina.backend.standardize_dtype(ops.add(first, second).dtype) == expected
    reference = np.asarray(ops.convert_to_numpy(first)) + np.asarray(ops.convert_to_numpy(second))
    assert_close(
        ops.convert_to_numpy(ops.add(first, second)).astype("float64"),
        reference.astype("float64"),
        rtol=1e-2,
        atol=1e-2,
    )


@pytest.mark.parametrize(
    "name", ["float32", "float16", "int32", "bool", "variable", "numpy", "list", "float"]
)
@pytest.mark.parametrize("dtype", [None, "float32", "float16", "int32", "uint16", "uint32", "bool"])
def test_convert_to_tensor_and_cast(name, dtype):
    import torch

    from lamina.backend.torch import core

    value = _arguments()[name]
    converted = core.convert_to_tensor(value, dtype=dtype)
    assert isinstance(converted, torch.Tensor)
    expected = np.asarray(ops.convert_to_numpy(value) if name == "variable" else value)
    if dtype is None:
        if name == "variable":
            assert converted is value.value
        elif name == "float":
            assert converted.dtype == torch.float32
        elif isinstance(value, torch.Tensor):
            assert converted is value
    else:
        assert converted.dtype == core.to_torch_dtype(dtype)
        assert core.cast(value, dtype).dtype == core.to_torch_dtype(dtype)
        if dtype.startswith("uint"):
            expected = np.abs(expected)  # negative values wrap differently (torch widens uint16/32)
            converted = core.convert_to_tensor(np.abs(core.convert_to_numpy(converted)))
        expected = expected.astype(np.dtype(dtype) if dtype != "bool" else bool)
    assert_close(core.convert_to_numpy(converted).astype("float64"), expected.astype("float64"), atol=1e-2)


def test_numpy_arrays_of_the_requested_dtype_convert_without_the_general_path():
    import torch

    from lamina.backend.torch import core

    array = np.arange(12, dtype="float32").reshape(3, 4)
    shared = core.convert_to_tensor(array, dtype="float32")
    assert shared.dtype == torch.float32 and shared.data_ptr() == array.ctypes.data  # shared, not copied
    read_only = array.copy()
    read_only.flags.writeable = False
    strided = array[:, ::2]
    for value in (read_only, strided, array.astype("int32"), array.astype("bool")):
        converted = core.convert_to_tensor(value, dtype=value.dtype.name)
        assert converted.dtype == core.to_torch_dtype(value.dtype.name)
        np.testing.assert_array_equal(core.convert_to_numpy(converted), value)
    assert core.convert_to_tensor(read_only, dtype="float32").data_ptr() != read_only.ctypes.data
    widened = core.convert_to_tensor(np.arange(3, dtype="uint32"), dtype="uint32")
    assert widened.dtype == torch.int64  # torch has no uint32: the general path widens it


@pytest.mark.parametrize("name", ["float32", "float16", "int32", "bool", "variable"])
def test_activations_keep_the_general_dtype_rules(name):
    value = _arguments()[name]
    array = np.asarray(ops.convert_to_numpy(value), "float64")
    expected_float = lamina.backend.standardize_dtype(ops.convert_to_tensor(value).dtype)
    if expected_float in ("int32", "bool"):
        expected_float = lamina.config.floatx()
    softmax = ops.softmax(value, axis=-1)
    assert lamina.backend.standardize_dtype(softmax.dtype) == expected_float
    reference = np.exp(array - array.max(-1, keepdims=True))
    assert_close(ops.convert_to_numpy(softmax), reference / reference.sum(-1, keepdims=True), atol=1e-2)
    if expected_float != lamina.backend.standardize_dtype(ops.convert_to_tensor(value).dtype):
        return  # relu keeps integer dtypes and rejects bools, with or without the fast paths
    relu = ops.relu(value)
    assert_close(ops.convert_to_numpy(relu).astype("float64"), np.maximum(array, 0), atol=1e-2)


def test_conv_plan_cache_keeps_validation():
    inputs = ops.ones((1, 6, 6, 2))
    kernel = ops.ones((3, 3, 2, 4))
    first = ops.conv(inputs, kernel, strides=1, padding="same")
    second = ops.conv(inputs, kernel, strides=1, padding="same")
    assert tuple(second.shape) == (1, 6, 6, 4)
    assert_close(ops.convert_to_numpy(first), ops.convert_to_numpy(second))
    # A bool stride equals the cached int stride as a key, but is still rejected.
    with pytest.raises((ValueError, TypeError)):
        ops.conv(inputs, kernel, strides=True, padding="same")
    with pytest.raises(ValueError, match="padding"):
        ops.conv(inputs, kernel, strides=1, padding="full")
    with pytest.raises(ValueError, match="multiple"):
        ops.conv(ops.ones((1, 6, 6, 3)), kernel)
    listed = ops.conv(inputs, kernel, strides=[1, 1], padding="same")
    assert_close(ops.convert_to_numpy(listed), ops.convert_to_numpy(first))


def test_conv_plan_cache_follows_the_image_data_format():
    inputs = ops.ones((1, 2, 5, 5))
    kernel = ops.ones((3, 3, 2, 1))
    previous = lamina.config.image_data_format()
    try:
        lamina.config.set_image_data_format("channels_first")
        assert tuple(ops.conv(inputs, kernel).shape) == (1, 1, 3, 3)
        lamina.config.set_image_data_format("channels_last")
        with pytest.raises(ValueError):
            ops.conv(inputs, kernel)
    finally:
        lamina.config.set_image_data_format(previous)


def test_pool_plan_cache_keeps_validation():
    inputs = ops.reshape(ops.arange(10.0), (1, 5, 2))
    first = ops.max_pool(inputs, 2, padding="same")
    second = ops.max_pool(inputs, 2, padding="same")
    assert_close(ops.convert_to_numpy(first), ops.convert_to_numpy(second))
    assert tuple(first.shape) == (1, 3, 2)
    with pytest.raises(ValueError, match="pool_size"):
        ops.max_pool(inputs, 2.0, padding="same")
    with pytest.raises(ValueError, match="larger"):
        ops.average_pool(ops.ones((1, 1, 2)), 2)
    assert tuple(ops.average_pool(inputs, [2], padding="valid").shape) == (1, 2, 2)
