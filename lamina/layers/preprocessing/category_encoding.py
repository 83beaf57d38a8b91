"""`CategoryEncoding`: integer features to one-hot, multi-hot or count vectors."""

from lamina import ops
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.layer import Layer

ENCODING_MODES = ("one_hot", "multi_hot", "count")


def encode_categorical_inputs(indices, output_mode, depth, dtype, count_weights=None):
    """Encodes integer indices the way Keras's preprocessing layers do.

    `"one_hot"` adds a class axis (replacing a trailing axis of size 1);
    `"multi_hot"` and `"count"` reduce axis 1 of inputs of rank > 1 (axis 0 of
    a rank-1 input, which is one sample).

    Args:
        indices: Integer tensor.
        output_mode: `"int"`, `"one_hot"`, `"multi_hot"` or `"count"`.
        depth: Size of the class axis.
        dtype: Output dtype.
        count_weights: Optional weights (shape of `indices`) summed in `"count"` mode.

    Returns:
        The encoded tensor.

    Example:

    >>> from lamina import ops
    >>> encoded = encode_categorical_inputs(ops.convert_to_tensor([[0, 2, 2]]), "count", 3, "float32")
    >>> ops.convert_to_numpy(encoded).tolist()
    [[1.0, 0.0, 2.0]]
    """
    if output_mode == "int":
        return ops.cast(indices, dtype)
    if len(indices.shape) == 0:
        indices = ops.expand_dims(indices, -1)
    if output_mode == "multi_hot":
        return ops.multi_hot(indices, depth, dtype=dtype)
    if output_mode == "one_hot":
        if len(indices.shape) > 1 and indices.shape[-1] == 1:
            indices = ops.squeeze(indices, axis=-1)
        return ops.one_hot(indices, depth, dtype=dtype)
    reduction_axis = 1 if len(indices.shape) > 1 else 0
    encoded = ops.one_hot(indices, depth, dtype=dtype)
    if count_weights is not None:
        encoded = encoded * ops.expand_dims(ops.cast(count_weights, dtype), -1)
    return ops.sum(encoded, axis=reduction_axis)


def encoded_shape(input_shape, output_mode, depth):
    """The output shape of `encode_categorical_inputs` for inputs of `input_shape`."""
    input_shape = tuple(input_shape)
    if output_mode == "int":
        return input_shape
    if len(input_shape) == 0:
        return (depth,)
    if output_mode == "one_hot":
        if len(input_shape) > 1 and input_shape[-1] == 1:
            input_shape = input_shape[:-1]
        return input_shape + (depth,)
    if len(input_shape) == 1:
        return (depth,)
    return input_shape[:1] + input_shape[2:] + (depth,)


class CategoryEncoding(Layer):
    """Encodes integer features as one-hot, multi-hot or count vectors.

    Use it when the number of categories is known and the inputs are already
    integers in `[0, num_tokens)`; use `IntegerLookup` or `StringLookup`
    first otherwise.

    Args:
        num_tokens: The number of categories; inputs must lie in `[0, num_tokens)`.
        output_mode: `"multi_hot"` (default; one vector per sample, 1 where a
            category appears), `"one_hot"` (one vector per input value) or
            `"count"` (how many times each category appears per sample).
        sparse: Must be False: lamina tensors are dense.
        **kwargs: Base layer arguments (`name`, `dtype`).

    Call arguments:
        inputs: Integer tensor of rank 0, 1 or 2 (a rank-1 tensor is one sample).
        count_weights: Optional tensor shaped like `inputs`, the weight each
            value adds in `"count"` mode.

    Example:

    >>> import lamina
    >>> layer = lamina.layers.CategoryEncoding(num_tokens=4, output_mode="multi_hot")
    >>> lamina.ops.convert_to_numpy(layer([[0, 1], [0, 0], [1, 2], [3, 1]])).tolist()
    [[1.0, 1.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 1.0, 0.0], [0.0, 1.0, 0.0, 1.0]]
    """

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        super().__init__(**kwargs)
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode not in ENCODING_MODES:
            raise ValueError(
                f"CategoryEncoding layer '{self.name}' expects output_mode to be one of "
                f"{ENCODING_MODES}. Received: output_mode={output_mode!r}"
            )
        if num_tokens is None or isinstance(num_tokens, bool) or not isinstance(num_tokens, int):
            raise ValueError(
                f"CategoryEncoding layer '{self.name}' needs num_tokens, a positive integer (use "
                f"IntegerLookup when the number of tokens is unknown). Received: num_tokens={num_tokens!r}"
            )
        if num_tokens < 1:
            raise ValueError(
                f"CategoryEncoding layer '{self.name}' expects num_tokens >= 1. "
                f"Received: num_tokens={num_tokens}"
            )
        if sparse:
            raise ValueError(
                f"CategoryEncoding layer '{self.name}' does not support sparse=True: lamina "
                "tensors are dense. Pass sparse=False."
            )
        self.num_tokens = num_tokens
        self.output_mode = output_mode
        self.sparse = sparse
        self.built = True

    def call(self, inputs, count_weights=None):
        if count_weights is not None and self.output_mode != "count":
            raise ValueError(
                f"CategoryEncoding layer '{self.name}' uses count_weights only when "
                f"output_mode='count'. Received output_mode={self.output_mode!r} with count_weights."
            )
        inputs = ops.convert_to_tensor(inputs)
        return encode_categorical_inputs(
            inputs, self.output_mode, self.num_tokens, self.compute_dtype, count_weights=count_weights
        )

    @property
    def compute_dtype(self):
        return self.dtype_policy.compute_dtype

    def compute_output_shape(self, input_shape):
        return encoded_shape(input_shape, self.output_mode, self.num_tokens)

    def compute_output_spec(self, inputs, count_weights=None):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=self.compute_dtype)

    def get_config(self):
        config = super().get_config()
        config.update({"num_tokens": self.num_tokens, "output_mode": self.output_mode})
        return config
