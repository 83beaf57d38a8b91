"""`Concatenate`: joins a list of inputs along one axis."""

from lamina import ops
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.merging.base_merge import Merge


class Concatenate(Merge):
    """Concatenates a list of inputs along `axis`.

    All inputs must have the same rank and the same sizes on every axis but
    the concatenation axis.

    Args:
        axis: The axis to concatenate along (default: the last).
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Call arguments:
        inputs: A list of tensors.

    Example:

    >>> import lamina
    >>> x1 = lamina.ops.ones((2, 3))
    >>> x2 = lamina.ops.zeros((2, 1))
    >>> lamina.ops.shape(lamina.layers.Concatenate()([x1, x2]))
    (2, 4)
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise ValueError(f"Concatenate layer '{self.name}' expects an int axis. Received: axis={axis!r}")
        self.axis = axis

    def _concat_axis(self, rank, input_shape):
        if not -rank <= self.axis < rank:
            raise ValueError(
                f"{self._describe()} (axis={self.axis}) received inputs of rank {rank}, which "
                f"have no axis {self.axis}. Received shapes {[tuple(s) for s in input_shape]}."
            )
        return self.axis % rank

    def build(self, input_shape):
        self._check_input_list(input_shape, check_batch=False)
        self._check_shapes(input_shape)

    def _check_shapes(self, input_shape):
        shapes = [tuple(shape) for shape in input_shape]
        ranks = {len(shape) for shape in shapes}
        if len(ranks) > 1:
            raise ValueError(
                f"{self._describe()} (axis={self.axis}) requires inputs of the same rank. "
                f"Received shapes {shapes} (ranks {[len(s) for s in shapes]})."
            )
        rank = ranks.pop()
        axis = self._concat_axis(rank, shapes)
        for position in range(rank):
            if position == axis:
                continue
            sizes = {shape[position] for shape in shapes} - {None}
            if len(sizes) > 1:
                raise ValueError(
                    f"{self._describe()} (axis={self.axis}) requires inputs with matching "
                    f"shapes except on the concatenation axis {axis}. Received shapes "
                    f"{shapes}, which differ on axis {position} (sizes {sorted(sizes)})."
                )
        return axis

    def _merge_function(self, inputs):
        return ops.concatenate(inputs, axis=self.axis)

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f"{self._describe()} should be called on a list of tensors, e.g. "
                f"layer([x1, x2]). Received a single tensor of shape {tuple(inputs.shape)}."
            )
        return self._merge_function(list(inputs))

    def compute_output_shape(self, input_shape):
        self._check_input_list(input_shape, check_batch=False)
        axis = self._check_shapes(input_shape)
        output = []
        for position in range(len(input_shape[0])):
            sizes = [shape[position] for shape in input_shape]
            if position == axis:
                output.append(None if None in sizes else sum(sizes))
            else:
                known = [size for size in sizes if size is not None]
                output.append(known[0] if known else None)
        return tuple(output)

    def compute_output_spec(self, inputs):
        shapes = [tuple(x.shape) for x in inputs]
        return KerasTensor(self.compute_output_shape(shapes), dtype=self._output_dtype(inputs))

    def compute_mask(self, inputs, previous_mask=None):
        masks = self._input_masks(inputs, previous_mask)
        if not isinstance(inputs, (list, tuple)) or all(mask is None for mask in masks):
            return None
        full_masks = []
        for x, mask in zip(inputs, masks):
            if mask is None:
                full_masks.append(ops.ones_like(x, dtype="bool"))
            elif len(mask.shape) < len(x.shape):
                full_masks.append(ops.broadcast_to(ops.expand_dims(mask, -1), ops.shape(x)))
            else:
                full_masks.append(mask)
        return ops.any(ops.concatenate(full_masks, axis=self.axis), axis=-1)

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config


def concatenate(inputs, axis=-1, **kwargs):
    """Functional form of the `Concatenate` layer: `Concatenate(axis, **kwargs)(inputs)`.

    Args:
        inputs: A list of tensors.
        axis: The axis to concatenate along.
        **kwargs: Base layer arguments (`name`, `dtype`, ...).

    Returns:
        The concatenated tensor.

    Example:

    >>> import lamina
    >>> x = lamina.KerasTensor((None, 4))
    >>> lamina.ops.shape(lamina.layers.concatenate([x, x]))
    (None, 8)
    """
    return Concatenate(axis=axis, **kwargs)(inputs)
