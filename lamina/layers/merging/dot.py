"""`Dot`: per-sample dot products of two inputs along given axes."""

import math

from lamina import config
from lamina import ops
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.merging.base_merge import Merge


def _l2_normalize(x, axis):
    norms = ops.sqrt(ops.sum(ops.square(x), axis=axis, keepdims=True))
    return ops.divide(x, ops.maximum(norms, config.epsilon()))


def _batch_dot(x1, x2, axes):
    """Contracts `x1` axis `axes[0]` with `x2` axis `axes[1]`, per sample.

    The result has x1's remaining axes, then x2's remaining non-batch axes;
    a rank-1 result gets a trailing axis of size 1.
    """
    shape1, shape2 = tuple(x1.shape), tuple(x2.shape)
    axis1, axis2 = axes
    rest1 = [dim for position, dim in enumerate(shape1[1:], start=1) if position != axis1]
    rest2 = [dim for position, dim in enumerate(shape2[1:], start=1) if position != axis2]
    order1 = [0] + [p for p in range(1, len(shape1)) if p != axis1] + [axis1]
    order2 = [0, axis2] + [p for p in range(1, len(shape2)) if p != axis2]
    x1 = ops.reshape(ops.transpose(x1, order1), (-1, math.prod(rest1), shape1[axis1]))
    x2 = ops.reshape(ops.transpose(x2, order2), (-1, shape2[axis2], math.prod(rest2)))
    output = ops.matmul(x1, x2)
    output_shape = tuple(rest1) + tuple(rest2)
    return ops.reshape(output, (-1,) + (output_shape or (1,)))


class Dot(Merge):
    """Computes per-sample dot products between two inputs.

    With inputs of shapes `(batch, 3, 5)` and `(batch, 10, 3)` and
    `axes=(1, 2)`, the output has shape `(batch, 5, 10)`: the first input's
    remaining axes, then the second's. Two rank-2 inputs give `(batch, 1)`.

    Args:
        axes: An int, or a pair of ints (one axis per input), along which to
            take the dot product. The two axes must have the same size; the
            batch axis 0 cannot be used.
        normalize: Whether to L2-normalize both inputs along the dot axes
            first, which makes the output the cosine similarity.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Call arguments:
        inputs: A list of exactly two tensors.

    Example:

    >>> import lamina
    >>> x1 = lamina.ops.convert_to_tensor([[1.0, 2.0]])
    >>> x2 = lamina.ops.convert_to_tensor([[3.0, 4.0]])
    >>> lamina.ops.convert_to_numpy(lamina.layers.Dot(axes=1)([x1, x2])).tolist()
    [[11.0]]
    """

    _min_inputs = 2
    _max_inputs = 2

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        valid_int = isinstance(axes, int) and not isinstance(axes, bool)
        valid_pair = (
            isinstance(axes, (list, tuple))
            and len(axes) == 2
            and all(isinstance(axis, int) and not isinstance(axis, bool) for axis in axes)
        )
        if not (valid_int or valid_pair):
            raise ValueError(
                f"Dot layer '{self.name}' expects axes to be an int or a pair of ints "
                f"(one axis per input). Received: axes={axes!r}"
            )
        self.axes = axes
        self.normalize = normalize

    def _resolved_axes(self, shape1, shape2):
        pair = (self.axes, self.axes) if isinstance(self.axes, int) else tuple(self.axes)
        resolved = []
        for axis, shape in zip(pair, (shape1, shape2)):
            rank = len(shape)
            if not -rank <= axis < rank:
                raise ValueError(
                    f"{self._describe()} (axes={self.axes}) received an input of shape "
                    f"{tuple(shape)}, which has no axis {axis}."
                )
            resolved.append(axis % rank)
        if 0 in resolved:
            raise ValueError(
                f"{self._describe()} (axes={self.axes}) cannot take the dot product over the "
                f"batch axis 0. Received shapes {tuple(shape1)} and {tuple(shape2)}."
            )
        return resolved

    def _check_shapes(self, input_shape):
        self._check_input_list(input_shape)
        shape1, shape2 = (tuple(shape) for shape in input_shape)
        if len(shape1) < 2 or len(shape2) < 2:
            raise ValueError(
                f"{self._describe()} needs inputs of rank >= 2 (a batch axis and a dot axis). "
                f"Received shapes {shape1} and {shape2}."
            )
        axis1, axis2 = self._resolved_axes(shape1, shape2)
        size1, size2 = shape1[axis1], shape2[axis2]
        if size1 is not None and size2 is not None and size1 != size2:
            raise ValueError(
                f"{self._describe()} (axes={self.axes}) needs the dot axes to have the same "
                f"size. Received shapes {shape1} and {shape2}: axis {axis1} of the first has "
                f"size {size1}, axis {axis2} of the second has size {size2}."
            )
        return axis1, axis2

    def build(self, input_shape):
        self._check_shapes(input_shape)

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)) or len(inputs) != 2:
            raise ValueError(f"{self._describe()} should be called on a list of exactly two tensors.")
        x1, x2 = inputs
        axes = self._check_shapes([tuple(x1.shape), tuple(x2.shape)])
        if self.normalize:
            x1 = _l2_normalize(x1, axes[0])
            x2 = _l2_normalize(x2, axes[1])
        return _batch_dot(x1, x2, axes)

    def compute_output_shape(self, input_shape):
        axis1, axis2 = self._check_shapes(input_shape)
        shape1, shape2 = list(input_shape[0]), list(input_shape[1])
        shape1.pop(axis1)
        shape2.pop(axis2)
        batch = shape1[0] if shape1[0] is not None else shape2[0]
        output = [batch] + shape1[1:] + shape2[1:]
        if len(output) == 1:
            output.append(1)
        return tuple(output)

    def compute_output_spec(self, inputs):
        shapes = [tuple(x.shape) for x in inputs]
        return KerasTensor(self.compute_output_shape(shapes), dtype=self._output_dtype(inputs))

    def compute_mask(self, inputs, previous_mask=None):
        return None

    def get_config(self):
        config = super().get_config()
        config.update({"axes": self.axes, "normalize": self.normalize})
        return config


def dot(inputs, axes=-1, **kwargs):
    """Functional form of the `Dot` layer: `Dot(axes, **kwargs)(inputs)`.

    Args:
        inputs: A list of exactly two tensors.
        axes: An int or a pair of ints, the axes to contract.
        **kwargs: `normalize` and base layer arguments (`name`, `dtype`, ...).

    Returns:
        The per-sample dot products.

    Example:

    >>> import lamina
    >>> x = lamina.KerasTensor((None, 4))
    >>> lamina.ops.shape(lamina.layers.dot([x, x], axes=1))
    (None, 1)
    """
    return Dot(axes=axes, **kwargs)(inputs)
