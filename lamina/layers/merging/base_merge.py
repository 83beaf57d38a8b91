"""`Merge`: the base of layers that combine a list of tensors element-wise.

Inputs are aligned like NumPy broadcasting on their non-batch axes: a
lower-rank input gains size-1 axes right after its batch axis, so
`(batch, 3)` merges with `(batch, 4, 3)`.
"""

from lamina import ops
from lamina.backend.common import dtypes
from lamina.backend.common import masking
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.layer import Layer


def _is_shape(value):
    return isinstance(value, (tuple, list)) and all(dim is None or isinstance(dim, int) for dim in value)


class Merge(Layer):
    """Base class of element-wise merge layers (`Add`, `Average`, `Maximum`, ...).

    Subclasses implement `_merge_function(inputs)` on a list of tensors of
    equal rank. The base validates the input shapes in `build`, aligns
    ranks, computes output shapes and combines masks.

    Args:
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).
    """

    _min_inputs = 1
    _max_inputs = None

    def _merge_function(self, inputs):
        raise NotImplementedError(f"{self.__class__.__name__} must implement _merge_function(inputs).")

    # -- shape checks -------------------------------------------------------------------

    def _check_input_list(self, input_shape, check_batch=True):
        if (
            not isinstance(input_shape, (list, tuple))
            or _is_shape(input_shape)
            or not all(_is_shape(shape) for shape in input_shape)
        ):
            raise ValueError(
                f"{self._describe()} should be called on a list of tensors, e.g. "
                f"layer([x1, x2]). Received inputs of shape {input_shape}."
            )
        count = len(input_shape)
        if count < self._min_inputs or (self._max_inputs is not None and count > self._max_inputs):
            if self._min_inputs == self._max_inputs:
                expected = f"exactly {self._min_inputs}"
            else:
                expected = f"at least {self._min_inputs}"
            raise ValueError(
                f"{self._describe()} should be called on {expected} inputs. Received "
                f"{count} inputs of shapes {[tuple(shape) for shape in input_shape]}."
            )
        batch_sizes = {shape[0] for shape in input_shape if len(shape)} - {None}
        if check_batch and len(batch_sizes) > 1:
            raise ValueError(
                f"{self._describe()} cannot merge tensors with different batch sizes. "
                f"Received inputs of shapes {[tuple(shape) for shape in input_shape]}."
            )

    def _broadcast_non_batch(self, input_shape):
        result = tuple(input_shape[0][1:])
        for shape in input_shape[1:]:
            result = self._broadcast_pair(result, tuple(shape[1:]), input_shape)
        return result

    def _broadcast_pair(self, shape1, shape2, input_shape):
        if len(shape1) < len(shape2):
            shape1, shape2 = shape2, shape1
        offset = len(shape1) - len(shape2)
        result = list(shape1[:offset])
        for size1, size2 in zip(shape1[offset:], shape2):
            if size1 is None or size2 is None:
                result.append(size2 if size1 == 1 else size1 if size2 == 1 else None)
            elif size1 == 1 or size2 == 1 or size1 == size2:
                result.append(max(size1, size2) if 1 in (size1, size2) else size1)
            else:
                raise ValueError(
                    f"{self._describe()} received inputs with incompatible shapes "
                    f"{[tuple(shape) for shape in input_shape]}: sizes {size1} and {size2} "
                    "cannot be broadcast together on one axis. Merge inputs must have "
                    "equal (or broadcastable) non-batch shapes."
                )
        return tuple(result)

    def build(self, input_shape):
        self._check_input_list(input_shape)
        self._broadcast_non_batch(input_shape)

    def compute_output_shape(self, input_shape):
        self._check_input_list(input_shape)
        batch_sizes = {shape[0] for shape in input_shape if len(shape)} - {None}
        batch = batch_sizes.pop() if batch_sizes else None
        return (batch,) + self._broadcast_non_batch(input_shape)

    def compute_output_spec(self, inputs):
        shapes = [tuple(x.shape) for x in inputs]
        return KerasTensor(self.compute_output_shape(shapes), dtype=self._output_dtype(inputs))

    def _output_dtype(self, inputs):
        # Mirrors eager calls: float inputs are autocast to the compute dtype.
        input_dtypes = []
        for x in inputs:
            dtype = dtypes.standardize_dtype(x.dtype)
            if self.autocast and dtypes.is_float(dtype):
                dtype = self.dtype_policy.compute_dtype
            input_dtypes.append(dtype)
        return dtypes.result_type(*input_dtypes)

    # -- computation --------------------------------------------------------------------

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f"{self._describe()} should be called on a list of tensors, e.g. "
                f"layer([x1, x2]). Received a single tensor of shape {tuple(inputs.shape)}."
            )
        inputs = list(inputs)
        ranks = [len(x.shape) for x in inputs]
        max_rank = max(ranks)
        aligned = []
        for x, rank in zip(inputs, ranks):
            for _ in range(max_rank - rank):
                x = ops.expand_dims(x, 1)
            aligned.append(x)
        return self._merge_function(aligned)

    def _apply_masked(self, function, inputs):
        """Combines inputs pairwise with `function`, letting masked-out entries take the other value."""
        output = None
        output_mask = None
        for x in inputs:
            mask = masking.get_keras_mask(x)
            if mask is not None:
                mask = ops.broadcast_to(ops.expand_dims(mask, -1), ops.shape(x))
            if output is None:
                output, output_mask = x, mask
                continue
            if mask is not None:
                x = ops.where(mask, x, output)
            if output_mask is not None:
                output = ops.where(output_mask, output, x)
            if mask is not None and output_mask is not None:
                output_mask = ops.logical_or(output_mask, mask)
            else:
                output_mask = None
            output = function(output, x)
        return output

    # -- masks --------------------------------------------------------------------------

    def _input_masks(self, inputs, previous_mask):
        if isinstance(previous_mask, (list, tuple)):
            return list(previous_mask)
        if not isinstance(inputs, (list, tuple)):
            return [previous_mask]
        return [masking.get_keras_mask(x) for x in inputs]

    def compute_mask(self, inputs, previous_mask=None):
        masks = self._input_masks(inputs, previous_mask)
        if not masks or any(mask is None for mask in masks):
            return None
        output_mask = masks[0]
        for mask in masks[1:]:
            output_mask = ops.logical_or(output_mask, mask)
        return output_mask
