"""`Embedding`: turns integer indices into dense vectors by table lookup."""

import warnings

from lamina import constraints
from lamina import initializers
from lamina import ops
from lamina import regularizers
from lamina.backend.common import dtypes
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.core.lora_and_quantization import reject_lora_and_quantization
from lamina.layers.layer import Layer


class Embedding(Layer):
    """Turns non-negative integers (indices) into dense vectors of fixed size.

    `[[4], [20]]` becomes `[[embeddings[4]], [embeddings[20]]]`, where
    `embeddings` is a trainable `(input_dim, output_dim)` table. Typically
    the first layer of a text model.

    Args:
        input_dim: Positive integer, size of the vocabulary (maximum index + 1).
        output_dim: Positive integer, dimension of the dense embedding.
        embeddings_initializer: Initializer for the table (default `"uniform"`).
        embeddings_regularizer: Regularizer for the table.
        embeddings_constraint: Constraint for the table.
        mask_zero: Whether index 0 is a padding value to be masked out. When
            True, the layer produces a mask (`inputs != 0`) that downstream
            layers taking a `mask` argument receive automatically; index 0
            then cannot be used in the vocabulary.
        weights: Optional initial table, a list holding one
            `(input_dim, output_dim)` array.
        lora_rank: Not supported yet; must be None.
        lora_alpha: Not supported yet; must be None.
        quantization_config: Not supported yet; must be None.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`,
            `activity_regularizer`). The Keras 2 argument `input_length`
            is accepted and ignored with a warning, as Keras 3 does.

    Input shape:
        Integer tensor of any shape `(batch_size, ...)`.

    Output shape:
        `(batch_size, ..., output_dim)`.

    Example:

    >>> import lamina
    >>> layer = lamina.layers.Embedding(10, 3, mask_zero=True)
    >>> outputs = layer(lamina.ops.convert_to_tensor([[0, 4, 2]]))
    >>> outputs.shape
    (1, 3, 3)
    >>> lamina.ops.convert_to_numpy(outputs._keras_mask).tolist()
    [[False, True, True]]
    """

    def __init__(
        self,
        input_dim,
        output_dim,
        embeddings_initializer="uniform",
        embeddings_regularizer=None,
        embeddings_constraint=None,
        mask_zero=False,
        weights=None,
        lora_rank=None,
        lora_alpha=None,
        quantization_config=None,
        **kwargs,
    ):
        input_length = kwargs.pop("input_length", None)
        if input_length is not None:
            warnings.warn("Argument `input_length` is deprecated. Just remove it.", stacklevel=2)
        super().__init__(**kwargs)
        for argument, value in (("input_dim", input_dim), ("output_dim", output_dim)):
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(
                    f"Embedding layer '{self.name}' expects {argument} to be a positive integer. "
                    f"Received: {argument}={value!r}"
                )
        reject_lora_and_quantization(self, lora_rank, lora_alpha, quantization_config)
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = mask_zero
        self.supports_masking = mask_zero
        self._initial_weights = weights

    def build(self, input_shape=None):
        self.embeddings = self.add_weight(
            name="embeddings",
            shape=(self.input_dim, self.output_dim),
            initializer=self.embeddings_initializer,
            regularizer=self.embeddings_regularizer,
            constraint=self.embeddings_constraint,
            trainable=True,
        )
        self.built = True
        if self._initial_weights is not None:
            self.set_weights(self._initial_weights)
            self._initial_weights = None

    def call(self, inputs):
        if not dtypes.is_int(ops.dtype(inputs)):
            inputs = ops.cast(inputs, "int32")
        outputs = ops.take(self.embeddings, inputs, axis=0)
        return ops.cast(outputs, self.dtype_policy.compute_dtype)

    def compute_mask(self, inputs, previous_mask=None):
        if not self.mask_zero:
            return None
        return ops.not_equal(inputs, 0)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (self.output_dim,)

    def compute_output_spec(self, inputs):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=self.dtype_policy.compute_dtype)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "input_dim": self.input_dim,
                "output_dim": self.output_dim,
                "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
                "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "embeddings_constraint": constraints.serialize(self.embeddings_constraint),
                "mask_zero": self.mask_zero,
                "quantization_config": None,
            }
        )
        return config
