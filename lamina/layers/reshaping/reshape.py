"""`Reshape`: gives the non-batch axes a new shape."""

import math

from lamina import ops
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.layer import Layer


class Reshape(Layer):
    """Reshapes the non-batch axes of its input to `target_shape`.

    Args:
        target_shape: Tuple of ints, the new shape without the batch axis.
            One entry may be `-1`: its size is inferred from the others.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Input shape:
        `(batch, ...)`, with as many entries as `target_shape` in total.

    Output shape:
        `(batch,) + target_shape`.

    Example:

    >>> import lamina
    >>> lamina.ops.shape(lamina.layers.Reshape((3, 4))(lamina.ops.ones((2, 12))))
    (2, 3, 4)
    >>> lamina.layers.Reshape((-1, 2)).compute_output_shape((None, 12))
    (None, 6, 2)
    """

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        try:
            target_shape = tuple(target_shape)
        except TypeError:
            target_shape = None
        if target_shape is None or not all(
            isinstance(dim, int) and not isinstance(dim, bool) and (dim > 0 or dim == -1)
            for dim in target_shape
        ):
            raise ValueError(
                f"Reshape layer '{self.name}' expects target_shape to be a tuple of positive "
                f"ints, with at most one -1. Received: target_shape={target_shape!r}"
            )
        if target_shape.count(-1) > 1:
            raise ValueError(
                f"Reshape layer '{self.name}' accepts at most one -1 in target_shape. "
                f"Received: target_shape={target_shape}"
            )
        self.target_shape = target_shape
        self.built = True

    def _resolve(self, input_shape):
        """Returns target_shape with -1 resolved (None when the input size is unknown)."""
        non_batch = tuple(input_shape[1:])
        if -1 not in self.target_shape:
            if None not in non_batch and math.prod(non_batch) != math.prod(self.target_shape):
                raise ValueError(self._size_error(input_shape))
            return self.target_shape
        if None in non_batch:
            return tuple(None if dim == -1 else dim for dim in self.target_shape)
        known = math.prod(dim for dim in self.target_shape if dim != -1)
        total = math.prod(non_batch)
        if total % known:
            raise ValueError(self._size_error(input_shape))
        return tuple(total // known if dim == -1 else dim for dim in self.target_shape)

    def _size_error(self, input_shape):
        return (
            f"Reshape layer '{self.name}' cannot reshape inputs of shape {tuple(input_shape)} "
            f"({math.prod(input_shape[1:])} values per sample) to target_shape="
            f"{self.target_shape}: the number of values per sample must stay the same."
        )

    def call(self, inputs):
        shape = tuple(inputs.shape)
        target = tuple(-1 if dim is None else dim for dim in self._resolve(shape))
        return ops.reshape(inputs, (-1 if shape[0] is None else shape[0],) + target)

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + self._resolve(input_shape)

    def compute_output_spec(self, inputs):
        dtype = inputs.dtype
        if self.autocast and dtype.startswith(("float", "bfloat")):
            dtype = self.dtype_policy.compute_dtype
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=dtype)

    def get_config(self):
        config = super().get_config()
        config["target_shape"] = self.target_shape
        return config
