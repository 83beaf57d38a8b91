"""`InputLayer` and `Input`: the entry points of Functional models."""

from lamina.backend.common import dtypes
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.layer import Layer
from lamina.ops.node import Node


class InputLayer(Layer):
    """The layer behind `Input`: it holds the model's symbolic input tensor.

    You rarely create it yourself; use `lamina.Input` (or the legacy
    `input_shape` argument of a Sequential's first layer).

    Args:
        shape: Shape without the batch axis, e.g. `(32,)`.
        batch_size: Optional fixed batch size.
        dtype: Input dtype (default `floatx()`).
        sparse: Kept for API parity; must be falsy.
        batch_shape: Full shape including the batch axis (instead of `shape`).
        input_tensor: Optional existing KerasTensor to use as the input.
        optional: Whether the input may be None.
        name: The layer's name.

    Example:

    >>> import lamina
    >>> layer = lamina.layers.InputLayer(shape=(3,))
    >>> layer.output.shape
    (None, 3)
    """

    def __init__(
        self,
        shape=None,
        batch_size=None,
        dtype=None,
        sparse=None,
        batch_shape=None,
        input_tensor=None,
        optional=False,
        name=None,
        **kwargs,
    ):
        if "input_shape" in kwargs:
            shape = kwargs.pop("input_shape")
        if "batch_input_shape" in kwargs:
            batch_shape = kwargs.pop("batch_input_shape")
        kwargs.pop("ragged", None)
        super().__init__(name=name, **kwargs)
        if sparse:
            raise ValueError(f"InputLayer '{self.name}': sparse inputs are not supported by lamina yet.")
        if shape is not None and batch_shape is not None:
            raise ValueError(
                f"InputLayer '{self.name}' takes shape or batch_shape, not both. "
                f"Received: shape={shape}, batch_shape={batch_shape}"
            )
        if input_tensor is not None:
            if not isinstance(input_tensor, KerasTensor):
                raise ValueError(
                    f"InputLayer '{self.name}' expects input_tensor to be a KerasTensor. "
                    f"Received: {type(input_tensor).__name__}"
                )
            batch_shape = input_tensor.shape
            dtype = dtype or input_tensor.dtype
        elif batch_shape is None:
            if shape is None:
                raise ValueError(
                    f"InputLayer '{self.name}' needs a shape. Pass shape=(...) (without "
                    "the batch axis) or batch_shape=(...)."
                )
            if isinstance(shape, int):
                shape = (shape,)
            batch_shape = (batch_size,) + tuple(shape)
        self._batch_shape = tuple(None if dim is None else int(dim) for dim in batch_shape)
        self._dtype = dtypes.standardize_dtype(dtype)
        self.sparse = False
        self.optional = optional
        if input_tensor is None:
            input_tensor = KerasTensor(self._batch_shape, dtype=self._dtype, name=self.name)
        self._input_tensor = input_tensor
        Node(self, call_args=(), call_kwargs={}, outputs=input_tensor)
        self.built = True

    @property
    def batch_shape(self):
        return self._batch_shape

    @property
    def dtype(self):
        return self._dtype

    def call(self):
        return None

    def get_config(self):
        return {
            "batch_shape": list(self._batch_shape),
            "dtype": self._dtype,
            "sparse": False,
            "ragged": False,
            "name": self.name,
            "optional": self.optional,
        }


def Input(
    shape=None,
    batch_size=None,
    dtype=None,
    sparse=None,
    ragged=None,
    batch_shape=None,
    name=None,
    tensor=None,
    optional=False,
):
    """Creates a symbolic input tensor: the start of a Functional model.

    Args:
        shape: Shape without the batch axis, e.g. `(32,)`; `None` for unknown sizes.
        batch_size: Optional fixed batch size.
        dtype: The dtype (default `floatx()`).
        sparse: Kept for API parity.
        ragged: Kept for API parity.
        batch_shape: Full shape including the batch axis (instead of `shape`).
        name: Optional name (unique in a model).
        tensor: Optional existing KerasTensor to wrap.
        optional: Whether the input may be None.

    Returns:
        A `KerasTensor`.

    Example:

    >>> import lamina
    >>> x = lamina.Input(shape=(32,))
    >>> y = lamina.layers.Dense(16)(x)
    >>> y.shape
    (None, 16)
    """
    layer = InputLayer(
        shape=shape,
        batch_size=batch_size,
        dtype=dtype,
        sparse=sparse,
        ragged=ragged,
        batch_shape=batch_shape,
        input_tensor=tensor,
        optional=optional,
        name=name,
    )
    return layer.output
