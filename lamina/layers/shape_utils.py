"""Shapes as layers see them: nests of tuples, and symbolic specs made from them."""

import numpy as np

from lamina.backend.common.keras_tensor import KerasTensor


def is_shape(value):
    """Whether `value` is one shape: a tuple of ints and Nones."""
    return isinstance(value, tuple) and all(dim is None or isinstance(dim, int) for dim in value)


def normalize_shape(shape):
    """Turns shape-likes (lists, NumPy ints) into tuples of Python ints, recursively."""
    if isinstance(shape, (tuple, list)) and all(d is None or isinstance(d, (int, np.integer)) for d in shape):
        return tuple(None if d is None else int(d) for d in shape)
    if isinstance(shape, (tuple, list)):
        return [normalize_shape(item) for item in shape]
    if isinstance(shape, dict):
        return {key: normalize_shape(item) for key, item in shape.items()}
    return shape


def shape_tree(value):
    """The shapes of a tensor or of a nest (list, tuple, dict) of tensors."""
    if value is None:
        return None
    if hasattr(value, "shape"):
        return tuple(None if dim is None else int(dim) for dim in value.shape)
    if isinstance(value, (list, tuple)):
        return [shape_tree(item) for item in value]
    if isinstance(value, dict):
        return {key: shape_tree(item) for key, item in value.items()}
    return tuple(np.shape(value))


def specs_from_shapes(shapes, dtype):
    """KerasTensors of `dtype` with the given shape, or nest of shapes."""
    if is_shape(shapes):
        return KerasTensor(shapes, dtype=dtype)
    if isinstance(shapes, dict):
        return {key: specs_from_shapes(value, dtype) for key, value in shapes.items()}
    if (
        isinstance(shapes, list)
        and shapes
        and all(isinstance(s, (list, tuple, dict)) or s is None for s in shapes)
    ):
        return [specs_from_shapes(value, dtype) for value in shapes]
    return KerasTensor(tuple(shapes), dtype=dtype)


def legacy_batch_shape(kwargs):
    """The batch shape named by Keras 2's `input_shape` / `input_dim` / `batch_input_shape` arguments."""
    if "batch_input_shape" in kwargs:
        return tuple(kwargs["batch_input_shape"])
    if "input_shape" in kwargs:
        return (kwargs.get("batch_size"),) + tuple(kwargs["input_shape"])
    if "input_dim" in kwargs:
        return (kwargs.get("batch_size"), int(kwargs["input_dim"]))
    return None
