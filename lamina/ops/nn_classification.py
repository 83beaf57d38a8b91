"""Classification ops: one-hot and multi-hot encodings and the crossentropies.

The crossentropies return one value per sample (reduced over the class axis;
`binary_crossentropy` is elementwise). Probabilities are clipped to
`[epsilon(), 1 - epsilon()]` and, for the categorical ones, first divided by
their sum over the class axis, as Keras does.
"""

from lamina.backend import current
from lamina.backend.common import dtypes
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.ops import plan_cache
from lamina.ops import shape_rules
from lamina.ops.dispatch import symbolic

# The crossentropies run every eager training step with the same shapes, so their
# checks (the shape rules) run once per call signature; a new signature still runs
# the full rule, so a bad one raises the same error.
_CHECKED = plan_cache.PlanCache()


def _check_once(rule, target, output, from_logits, *arguments):
    """Runs `rule(target, output, from_logits, *arguments)`, skipped for signatures that passed before.

    `from_logits` is not part of the key: the rules do not read it.
    """
    signature = plan_cache.call_signature((target, output), arguments)
    if signature is None:
        rule(target, output, from_logits, *arguments)
        return
    _CHECKED.get((rule, signature), lambda: rule(target, output, from_logits, *arguments) is not None)


def _reject_sparse(sparse, function_name):
    if sparse:
        raise ValueError(
            f"{function_name}: sparse=True is not supported, lamina tensors are dense. Received: sparse=True"
        )


def _one_hot_shape(shape, num_classes, axis, function_name):
    if not isinstance(num_classes, int) or num_classes < 1:
        raise ValueError(
            f"{function_name} expects num_classes to be a positive int. Received: num_classes={num_classes!r}"
        )
    if axis == -1:
        return shape + (num_classes,)
    if 0 <= axis < len(shape):
        return shape[:axis] + (num_classes,) + shape[axis:]
    raise ValueError(
        f"{function_name} expects axis to be -1 or in [0, {len(shape)}) for an input of "
        f"shape {shape}. Received: axis={axis}"
    )


def _one_hot_rule(x, num_classes, axis=-1, dtype=None, sparse=False):
    _reject_sparse(sparse, "one_hot")
    shape = _one_hot_shape(shape_rules.shape_of(x), num_classes, axis, "one_hot")
    return KerasTensor(shape, dtype=dtypes.standardize_dtype(dtype))


@symbolic(_one_hot_rule)
def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    """Encodes integer labels as one-hot vectors.

    Labels outside `[0, num_classes)` encode as all zeros.

    Args:
        x: Integer tensor of labels.
        num_classes: Number of classes.
        axis: Where the new class axis goes (default -1, the end).
        dtype: Output dtype (default `floatx()`).
        sparse: Must be False (lamina tensors are dense).

    Returns:
        A tensor with a new axis of size `num_classes`.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(lamina.ops.one_hot([1, 0], 3)).tolist()
    [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]
    """
    _one_hot_rule(x, num_classes, axis, dtype, sparse)
    return current.nn.one_hot(x, num_classes, axis=axis, dtype=dtypes.standardize_dtype(dtype))


def _multi_hot_rule(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    _reject_sparse(sparse, "multi_hot")
    shape = shape_rules.shape_of(inputs)
    encoded = _one_hot_shape(shape, num_classes, axis, "multi_hot")
    reduction_axis = 1 if len(shape) > 1 else 0
    encoded = encoded[:reduction_axis] + encoded[reduction_axis + 1 :]
    return KerasTensor(encoded, dtype=dtypes.standardize_dtype(dtype))


@symbolic(_multi_hot_rule)
def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    """Encodes sets of integer labels as multi-hot vectors.

    A rank-1 input is one set; a rank-2 input `(batch, labels)` is one set per row.

    Args:
        inputs: Integer tensor of labels.
        num_classes: Number of classes (`num_tokens` is accepted as an alias).
        axis: Where the class axis goes (default -1).
        dtype: Output dtype (default `floatx()`).
        sparse: Must be False (lamina tensors are dense).

    Returns:
        A tensor with 1 at each label present and 0 elsewhere.

    Example:

    >>> import lamina
    >>> lamina.ops.convert_to_numpy(lamina.ops.multi_hot([[0, 2], [1, 1]], 3)).tolist()
    [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    """
    if num_classes is None:
        num_classes = kwargs.pop("num_tokens", None)
    if kwargs:
        raise TypeError(f"multi_hot got unexpected keyword arguments: {sorted(kwargs)}")
    _multi_hot_rule(inputs, num_classes, axis, dtype, sparse)
    return current.nn.multi_hot(inputs, num_classes, axis=axis, dtype=dtypes.standardize_dtype(dtype))


def _float_result(target, output):
    dtype = dtypes.result_type(shape_rules.dtype_of(target), shape_rules.dtype_of(output))
    return dtype if dtypes.is_float(dtype) else dtypes.standardize_dtype(None)


def _same_shapes(target, output, function_name):
    target_shape, output_shape = shape_rules.shape_of(target), shape_rules.shape_of(output)
    compatible = len(target_shape) == len(output_shape) and all(
        a is None or b is None or a == b for a, b in zip(target_shape, output_shape)
    )
    if not compatible:
        raise ValueError(
            f"{function_name} expects target and output of the same shape. "
            f"Received: target.shape={target_shape}, output.shape={output_shape}"
        )
    return shape_rules.broadcast_shapes(target_shape, output_shape, op_name=function_name)


def _categorical_rule(target, output, from_logits=False, axis=-1):
    shape = _same_shapes(target, output, "categorical_crossentropy")
    if not shape:
        raise ValueError(
            "categorical_crossentropy expects target and output of rank >= 1. "
            f"Received: target.shape={shape}, output.shape={shape}"
        )
    axis = shape_rules.canonical_axis(axis, len(shape), "categorical_crossentropy")
    return KerasTensor(shape[:axis] + shape[axis + 1 :], dtype=_float_result(target, output))


@symbolic(_categorical_rule)
def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Crossentropy between one-hot (or soft) targets and predicted class probabilities.

    Args:
        target: Target distributions, same shape as `output`.
        output: Probabilities, or logits when `from_logits=True`.
        from_logits: Whether `output` holds logits.
        axis: The class axis (default -1).

    Returns:
        The per-sample loss: `output`'s shape without `axis`.

    Example:

    >>> import numpy as np
    >>> import lamina
    >>> loss = lamina.ops.categorical_crossentropy([[0.0, 1.0]], [[0.2, 0.8]])
    >>> print(np.round(lamina.ops.convert_to_numpy(loss), 4))
    [0.2231]
    """
    _check_once(_categorical_rule, target, output, from_logits, axis)
    return current.nn.categorical_crossentropy(target, output, from_logits=from_logits, axis=axis)


def _sparse_categorical_rule(target, output, from_logits=False, axis=-1):
    output_shape = shape_rules.shape_of(output)
    if not output_shape:
        raise ValueError(
            "sparse_categorical_crossentropy expects output of rank >= 1. "
            f"Received: output.shape={output_shape}"
        )
    axis = shape_rules.canonical_axis(axis, len(output_shape), "sparse_categorical_crossentropy")
    expected = output_shape[:axis] + output_shape[axis + 1 :]
    target_shape = shape_rules.shape_of(target)
    if len(target_shape) == len(output_shape) and target_shape[-1] == 1:
        target_shape = target_shape[:-1]
    compatible = len(target_shape) == len(expected) and all(
        a is None or b is None or a == b for a, b in zip(target_shape, expected)
    )
    if not compatible:
        raise ValueError(
            "sparse_categorical_crossentropy expects integer targets shaped like output "
            f"without its class axis {axis}, i.e. {expected}. Received: "
            f"target.shape={shape_rules.shape_of(target)}, output.shape={output_shape}"
        )
    dtype = shape_rules.dtype_of(output)
    return KerasTensor(expected, dtype=dtype if dtypes.is_float(dtype) else dtypes.standardize_dtype(None))


@symbolic(_sparse_categorical_rule)
def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Crossentropy between integer class labels and predicted class probabilities.

    Args:
        target: Integer labels: `output`'s shape without `axis` (a trailing axis
            of size 1 is accepted).
        output: Probabilities, or logits when `from_logits=True`.
        from_logits: Whether `output` holds logits.
        axis: The class axis (default -1).

    Returns:
        The per-sample loss: `output`'s shape without `axis`.

    Example:

    >>> import numpy as np
    >>> import lamina
    >>> loss = lamina.ops.sparse_categorical_crossentropy([1], [[0.2, 0.8]])
    >>> print(np.round(lamina.ops.convert_to_numpy(loss), 4))
    [0.2231]
    """
    _check_once(_sparse_categorical_rule, target, output, from_logits, axis)
    return current.nn.sparse_categorical_crossentropy(target, output, from_logits=from_logits, axis=axis)


def _binary_rule(target, output, from_logits=False):
    shape = _same_shapes(target, output, "binary_crossentropy")
    return KerasTensor(shape, dtype=_float_result(target, output))


@symbolic(_binary_rule)
def binary_crossentropy(target, output, from_logits=False):
    """Elementwise binary crossentropy between 0/1 (or soft) targets and probabilities.

    Args:
        target: Targets, same shape as `output`.
        output: Probabilities, or logits when `from_logits=True`.
        from_logits: Whether `output` holds logits.

    Returns:
        The elementwise loss, shaped like `output`.

    Example:

    >>> import numpy as np
    >>> import lamina
    >>> loss = lamina.ops.binary_crossentropy([0.0, 1.0], [0.1, 0.8])
    >>> print(np.round(lamina.ops.convert_to_numpy(loss), 4))
    [0.1054 0.2231]
    """
    _check_once(_binary_rule, target, output, from_logits)
    return current.nn.binary_crossentropy(target, output, from_logits=from_logits)
