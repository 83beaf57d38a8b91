"""Core ops: tensor conversion, casting, shapes and control flow."""

from lamina.backend import current
from lamina.backend.common import dtypes
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.ops import shape_rules
from lamina.ops.dispatch import symbolic


def convert_to_tensor(x, dtype=None, sparse=None):
    """Converts a NumPy array, Python value or Variable to a backend tensor.

    Args:
        x: The value to convert.
        dtype: Optional target dtype. Python floats default to `floatx()` and
            Python ints to `int32`.
        sparse: Kept for API parity; lamina tensors are dense.

    Returns:
        A tensor of the active backend (`KerasTensor`s pass through).

    Example:

    >>> import lamina
    >>> x = lamina.ops.convert_to_tensor([1.0, 2.0])
    >>> lamina.ops.is_tensor(x)
    True
    """
    if isinstance(x, KerasTensor):
        return x if dtype is None else cast(x, dtype)
    return current.core.convert_to_tensor(x, dtype=dtype, sparse=sparse)


def convert_to_numpy(x):
    """Converts a tensor (or Variable, or nested value) to a NumPy array.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(lamina.ops.ones((2,))).tolist()
    [1.0, 1.0]
    """
    if isinstance(x, KerasTensor):
        raise ValueError(
            "convert_to_numpy received a symbolic KerasTensor, which holds no values. "
            "Call the model on real data first."
        )
    return current.core.convert_to_numpy(x)


def is_tensor(x):
    """Returns whether `x` is a tensor of the active backend.

    Example:

    >>> import numpy as np
    >>> import lamina
    >>> lamina.ops.is_tensor(np.zeros(2)) == (lamina.backend.backend() == "numpy")
    True
    """
    return current.core.is_tensor(x)


def shape(x):
    """Returns the shape of `x` as a tuple (`None` for unknown symbolic sizes).

    Example:

    >>> import lamina
    >>> lamina.ops.shape(lamina.ops.zeros((2, 3)))
    (2, 3)
    """
    if isinstance(x, KerasTensor):
        return x.shape
    return shape_rules.shape_of(x)


def dtype(x):
    """Returns the dtype of `x` as a string (`"float32"`, ...).

    Example:

    >>> import lamina
    >>> lamina.ops.dtype(lamina.ops.zeros((2,), dtype="int32"))
    'int32'
    """
    return dtypes.standardize_dtype(x.dtype)


def _cast_rule(x, dtype):
    return KerasTensor(shape_rules.shape_of(x), dtype=dtype)


@symbolic(_cast_rule)
def cast(x, dtype):
    """Casts `x` to `dtype`.

    Args:
        x: A tensor.
        dtype: The target dtype.

    Returns:
        A tensor of dtype `dtype`.

    Example:

    >>> import lamina
    >>> lamina.ops.dtype(lamina.ops.cast([1, 2], "float32"))
    'float32'
    """
    return current.core.cast(x, dtype)


def cond(pred, true_fn, false_fn):
    """Runs `true_fn()` if `pred` else `false_fn()`; compiled as `lax.cond` on JAX.

    Example:

    >>> import lamina
    >>> float(lamina.ops.cond(True, lambda: 1.0, lambda: 2.0))
    1.0
    """
    return current.core.cond(pred, true_fn, false_fn)


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    """Repeats `loop_vars = body(*loop_vars)` while `cond(*loop_vars)`.

    Args:
        cond: Callable returning a boolean scalar.
        body: Callable returning new loop variables (same structure).
        loop_vars: A tensor or a tuple/list of tensors.
        maximum_iterations: Optional cap on the number of iterations.

    Returns:
        The final loop variables.

    Example:

    >>> import lamina
    >>> int(lamina.ops.while_loop(lambda i: i < 5, lambda i: i + 1, 0))
    5
    """
    return current.core.while_loop(cond, body, loop_vars, maximum_iterations=maximum_iterations)


def fori_loop(lower, upper, body_fun, init_val):
    """Returns `body_fun(upper - 1, ... body_fun(lower, init_val))`.

    Example:

    >>> import lamina
    >>> int(lamina.ops.fori_loop(0, 4, lambda i, total: total + i, 0))
    6
    """
    return current.core.fori_loop(lower, upper, body_fun, init_val)


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """Loops `carry, y = f(carry, x)` over the leading axis of `xs`, stacking the `y`s.

    Args:
        f: Callable `(carry, x) -> (carry, y)`.
        init: The initial carry.
        xs: A tensor or nest of tensors to scan over (or None with `length`).
        length: Number of steps when `xs` is None.
        reverse: Scan from the end.
        unroll: Unrolling factor (JAX only; a hint elsewhere).

    Returns:
        `(final_carry, stacked_ys)`.

    Example:

    >>> import lamina
    >>> carry, ys = lamina.ops.scan(lambda c, x: (c + x, c + x), 0.0, lamina.ops.ones((3,)))
    >>> float(carry), lamina.ops.convert_to_numpy(ys).tolist()
    (3.0, [1.0, 2.0, 3.0])
    """
    return current.core.scan(f, init, xs=xs, length=length, reverse=reverse, unroll=unroll)


@symbolic(shape_rules.unary)
def stop_gradient(variable):
    """Returns `variable` with gradients blocked through it.

    Example:

    >>> import lamina
    >>> tuple(lamina.ops.stop_gradient(lamina.ops.ones((2,))).shape)
    (2,)
    """
    return current.core.stop_gradient(variable)


def _unstack_rule(x, num=None, axis=0):
    shape = shape_rules.shape_of(x)
    axis = shape_rules.canonical_axis(axis, len(shape), "unstack")
    count = shape[axis] if num is None else num
    if count is None:
        raise ValueError(f"unstack needs a known size along axis {axis}. Received shape {shape}; pass num=.")
    rest = shape[:axis] + shape[axis + 1 :]
    return [KerasTensor(rest, dtype=shape_rules.dtype_of(x)) for _ in range(count)]


@symbolic(_unstack_rule)
def unstack(x, num=None, axis=0):
    """Splits `x` along `axis` into a list of tensors.

    Example:

    >>> import lamina
    >>> len(lamina.ops.unstack(lamina.ops.zeros((3, 2))))
    3
    """
    return current.core.unstack(x, num=num, axis=axis)
