"""Shape and dtype rules shared by many ops: the symbolic half of `lamina.ops`.

Each rule takes the op's arguments (KerasTensors, tensors or Python values)
and returns `KerasTensor` specs. Shapes are tuples whose unknown sizes are
`None`.
"""

from lamina.backend.common import dtypes
from lamina.backend.common.keras_tensor import KerasTensor


def shape_of(x):
    """The static shape of a KerasTensor, tensor, Variable or Python value."""
    if isinstance(x, (int, float, bool, complex)) or x is None:
        return ()
    if hasattr(x, "shape"):
        return tuple(None if dim is None else int(dim) for dim in x.shape)
    import numpy as np

    return tuple(np.shape(x))


def dtype_of(x):
    """The dtype of a tensor-like, or the dtype a Python value converts to."""
    if hasattr(x, "dtype"):
        return dtypes.standardize_dtype(x.dtype)
    return dtypes.python_value_dtype(x) or dtypes.result_type(x)


def result_dtype(*args):
    """`dtypes.result_type` over op arguments: lists count as tensors, Python scalars stay weak."""
    items = []
    for arg in args:
        if isinstance(arg, (list, tuple)):
            items.append(dtype_of(arg))
        else:
            items.append(arg)
    return dtypes.result_type(*items)


def float_dtype(dtype):
    """`dtype` if it is a float type, else `floatx()` (the result of sqrt, mean, ...)."""
    dtype = dtypes.standardize_dtype(dtype)
    return dtype if dtypes.is_float(dtype) else dtypes.standardize_dtype(None)


def accumulation_dtype(dtype):
    """The dtype of sum/prod/trace: narrow ints and bools widen to 32 bits, as in JAX."""
    dtype = dtypes.standardize_dtype(dtype)
    if dtype in ("bool", "int8", "int16"):
        return "int32"
    if dtype in ("uint8", "uint16"):
        return "uint32"
    return dtype


def broadcast_shapes(*shapes, op_name="op"):
    """NumPy broadcasting over shapes with unknown (`None`) sizes."""
    ndim = max((len(shape) for shape in shapes), default=0)
    result = []
    for axis in range(ndim):
        sizes = [shape[axis - ndim + len(shape)] for shape in shapes if axis - ndim + len(shape) >= 0]
        known = {size for size in sizes if size is not None and size != 1}
        if len(known) > 1:
            raise ValueError(
                f"{op_name}: shapes {tuple(shapes)} cannot be broadcast together "
                f"(sizes {sorted(known)} meet on one axis)."
            )
        if known:
            result.append(known.pop())
        elif any(size is None for size in sizes):
            result.append(None)
        else:
            result.append(1)
    return tuple(result)


def elementwise(*args, dtype=None, op_name="op"):
    """The spec of an elementwise op: broadcast shape, promoted (or given) dtype."""
    shape = broadcast_shapes(*(shape_of(arg) for arg in args), op_name=op_name)
    return KerasTensor(shape, dtype=dtype or result_dtype(*args))


def canonical_axis(axis, ndim, op_name="op"):
    if not -ndim <= axis < max(ndim, 1):
        raise ValueError(f"{op_name}: axis {axis} is out of range for a tensor of rank {ndim}.")
    return axis % ndim if ndim else 0


def canonical_axes(axis, ndim, op_name="op"):
    """`axis` (None, an int or a sequence) as a sorted tuple of non-negative axes."""
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, int):
        axis = (axis,)
    axes = tuple(sorted(canonical_axis(int(a), ndim, op_name) for a in axis))
    if len(set(axes)) != len(axes):
        raise ValueError(f"{op_name}: axis {tuple(axis)} repeats an axis.")
    return axes


def multiply_sizes(sizes):
    """The product of sizes, or None if any is unknown."""
    total = 1
    for size in sizes:
        if size is None:
            return None
        total *= size
    return total


def add_sizes(sizes):
    """The sum of sizes, or None if any is unknown."""
    total = 0
    for size in sizes:
        if size is None:
            return None
        total += size
    return total


def reduced_shape(shape, axis=None, keepdims=False, op_name="op"):
    """The shape left after reducing `axis` (an int, a tuple, or None for all axes)."""
    ndim = len(shape)
    if axis is None:
        axes = set(range(ndim))
    else:
        axes = {canonical_axis(a, ndim, op_name) for a in ((axis,) if isinstance(axis, int) else axis)}
    if keepdims:
        return tuple(1 if i in axes else size for i, size in enumerate(shape))
    return tuple(size for i, size in enumerate(shape) if i not in axes)


def unary(x, dtype=None):
    """The spec of a unary elementwise op keeping the shape (and the dtype unless given)."""
    return KerasTensor(shape_of(x), dtype=dtype or dtype_of(x))


def unary_float(x):
    """The spec of a unary op that returns floats (ints become floatx)."""
    return KerasTensor(shape_of(x), dtype=float_dtype(dtype_of(x)))


def elementwise_float(*args, op_name="op"):
    """The spec of an elementwise op that returns floats (true_divide, arctan2, ...)."""
    return elementwise(*args, dtype=float_dtype(result_dtype(*args)), op_name=op_name)


def reduction(x, axis=None, keepdims=False, dtype=None, op_name="op"):
    return KerasTensor(reduced_shape(shape_of(x), axis, keepdims, op_name), dtype=dtype or dtype_of(x))
