"""Dtype names and the promotion rule shared by every backend.

Dtypes are plain strings (`"float32"`, `"int64"`, `"bool"`). The promotion
rule follows JAX: Python scalars are "weak" and take the tensor's dtype; an
integer meeting a float gives the float; two floats give the wider one.
"""

import numpy as np

from lamina import config

FLOAT_TYPES = ("bfloat16", "float16", "float32", "float64")
INT_TYPES = (
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "int8",
    "int16",
    "int32",
    "int64",
)
ALLOWED_DTYPES = ("bool",) + INT_TYPES + FLOAT_TYPES + ("complex64", "complex128", "string")

_ALIASES = {
    "float": "float32",
    "double": "float64",
    "half": "float16",
    "int": "int32",
    "long": "int64",
    "uint": "uint32",
}


def standardize_dtype(dtype):
    """Returns the lamina name (a string) of any dtype-like object.

    Accepts strings, Python types, NumPy dtypes and backend dtypes
    (`jnp.float32`, `torch.float32`). `None` means `floatx()`.
    """
    if dtype is None:
        return config.floatx()
    try:
        cached = _STANDARD_NAMES.get(dtype)
    except TypeError:
        cached = None
    if cached is not None:
        return cached
    name = _standard_name(dtype)
    if not (dtype is float or dtype is int):
        try:
            _STANDARD_NAMES[dtype] = name
        except TypeError:
            pass
    return name


# Memo of dtype-like object -> name: ops ask for the same few dtypes on every call.
_STANDARD_NAMES = {}


def _standard_name(dtype):
    if isinstance(dtype, str):
        name = _ALIASES.get(dtype, dtype)
    elif dtype is int:
        name = "int64" if config.backend() == "torch" else "int32"
    elif dtype is float:
        name = config.floatx()
    elif dtype is bool:
        name = "bool"
    elif dtype is str:
        name = "string"
    elif hasattr(dtype, "name") and isinstance(dtype.name, str):
        name = dtype.name
    elif hasattr(dtype, "__str__") and "torch" in str(dtype):
        name = str(dtype).split(".")[-1]
    else:
        try:
            name = np.dtype(dtype).name
        except TypeError:
            name = str(dtype)
    name = _ALIASES.get(name, name)
    if name not in ALLOWED_DTYPES:
        raise ValueError(f"Invalid dtype: {dtype!r}. Expected one of {ALLOWED_DTYPES}.")
    return name


def is_float(dtype):
    return standardize_dtype(dtype) in FLOAT_TYPES


def is_int(dtype):
    return standardize_dtype(dtype) in INT_TYPES


def _bits(name):
    if name == "bool":
        return 1
    return int("".join(ch for ch in name if ch.isdigit()))


def _promote_pair(a, b):
    if a == b:
        return a
    if a == "bool":
        return b
    if b == "bool":
        return a
    a_float, b_float = a in FLOAT_TYPES, b in FLOAT_TYPES
    if a_float and b_float:
        if {a, b} == {"bfloat16", "float16"}:
            return "float32"
        return a if _bits(a) >= _bits(b) else b
    if a_float:
        return a
    if b_float:
        return b
    a_unsigned, b_unsigned = a.startswith("u"), b.startswith("u")
    if a_unsigned == b_unsigned:
        return a if _bits(a) >= _bits(b) else b
    unsigned, signed = (a, b) if a_unsigned else (b, a)
    if _bits(signed) > _bits(unsigned):
        return signed
    return "int" + str(min(64, 2 * _bits(unsigned)))


def result_type(*items):
    """Returns the dtype of an elementwise op applied to `items`.

    Each item is a dtype, a tensor-like with `.dtype`, or a Python scalar.
    Python scalars are weak: they adopt the dtype of the tensors beside them.

    Example:

    >>> result_type("int32", "float16")
    'float16'
    >>> result_type("int32", 1.5)
    'float32'
    """
    strong = []
    weak = []
    for item in items:
        if isinstance(item, bool):
            weak.append("bool")
        elif isinstance(item, int):
            weak.append("int")
        elif isinstance(item, float):
            weak.append("float")
        elif isinstance(item, complex):
            weak.append("complex")
        elif item is None:
            continue
        elif hasattr(item, "dtype"):
            strong.append(standardize_dtype(item.dtype))
        else:
            strong.append(standardize_dtype(item))
    if not strong:
        if "float" in weak:
            return config.floatx()
        if "int" in weak:
            return "int32"
        return "bool" if weak else config.floatx()
    result = strong[0]
    for name in strong[1:]:
        result = _promote_pair(result, name)
    if "float" in weak and result not in FLOAT_TYPES:
        result = config.floatx()
    elif "int" in weak and result == "bool":
        result = "int32"
    return result


def _is_backend_tensor(value):
    is_numpy = isinstance(value, (np.ndarray, np.generic))
    return hasattr(value, "dtype") and hasattr(value, "shape") and not is_numpy


def python_value_dtype(x):
    """The dtype a Python value converts to (`int` -> int32, `float` -> floatx), or None for arrays."""
    if isinstance(x, (bool, np.bool_)):
        return "bool"
    if isinstance(x, int):
        return "int32"
    if isinstance(x, float):
        return config.floatx()
    if isinstance(x, (list, tuple)):
        if any(_is_backend_tensor(item) for item in x):
            # A list of tensors (Keras's `ops.sum(model.losses)`) keeps the tensors' dtype.
            return None
        kind = np.asarray(x).dtype.kind
        if kind == "f":
            return config.floatx()
        if kind in "iu":
            return "int32"
        if kind == "b":
            return "bool"
    return None
