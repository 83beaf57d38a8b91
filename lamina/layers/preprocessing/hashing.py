"""`Hashing`: hashes strings or integers into a fixed number of bins (TensorFlow's bucket numbers)."""

import numpy as np

from lamina import config
from lamina import ops
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.layer import Layer
from lamina.layers.preprocessing import argument_checks
from lamina.layers.preprocessing import string_hashing
from lamina.layers.preprocessing.category_encoding import encode_categorical_inputs
from lamina.layers.preprocessing.index_lookup import to_numpy

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count")


class Hashing(Layer):
    """Hashes categorical features into `num_bins` bins.

    Strings are hashed as UTF-8 bytes and numbers as their decimal text (floats
    are truncated to integers first), with FarmHash Fingerprint64, or with
    SipHash-2-4 keyed by `salt` when it is given: the bins equal those of
    TensorFlow's `to_hash_bucket_fast` / `to_hash_bucket_strong`, so they match
    Keras. Hashing runs on the host in Python; outputs are backend tensors.

    Args:
        num_bins: Number of bins, the mask bin included when `mask_value` is set.
        mask_value: Value mapped to bin 0 (the other values use bins `1..num_bins - 1`).
        salt: None (FarmHash), an int, or a pair of ints keying SipHash-2-4.
        output_mode: `"int"` (default), `"one_hot"`, `"multi_hot"` or `"count"`.
        sparse: Must be False: lamina tensors are dense.
        **kwargs: Base layer arguments (`name`, `dtype`: int64 by default in
            `"int"` mode, floatx otherwise).

    Example:

    >>> import lamina
    >>> layer = lamina.layers.Hashing(num_bins=3)
    >>> lamina.ops.convert_to_numpy(layer([["A"], ["B"], ["C"], ["D"], ["E"]])).ravel().tolist()
    [1, 0, 1, 1, 2]
    """

    def __init__(self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False, **kwargs):
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else config.floatx()
        super().__init__(**kwargs)
        label = f"Hashing layer '{self.name}'"
        if num_bins is None or isinstance(num_bins, bool) or not isinstance(num_bins, int) or num_bins <= 0:
            raise ValueError(
                f"{label} expects num_bins to be a positive integer. Received: num_bins={num_bins!r}"
            )
        if output_mode not in OUTPUT_MODES:
            raise ValueError(
                f"{label} expects output_mode to be one of {OUTPUT_MODES}. "
                f"Received: output_mode={output_mode!r}"
            )
        if output_mode == "int" and self.dtype_policy.name not in ("int32", "int64"):
            raise ValueError(
                f"{label}: with output_mode='int' the dtype must be 'int32' or 'int64'. "
                f"Received: dtype={kwargs['dtype']!r}"
            )
        if sparse:
            raise ValueError(f"{label} does not support sparse=True: lamina tensors are dense.")
        salt = argument_checks.standardize_salt(label, salt)
        self.num_bins = num_bins
        self.mask_value = mask_value
        self.strong_hash = salt is not None
        self.output_mode = output_mode
        self.sparse = sparse
        self.salt = salt
        self.built = True

    def __call__(self, inputs, *args, **kwargs):
        if isinstance(inputs, (list, tuple)):
            inputs = np.asarray(inputs)
        return super().__call__(inputs, *args, **kwargs)

    def _output_dtype(self):
        return self.dtype_policy.name if self.output_mode == "int" else self.dtype_policy.compute_dtype

    def hash_values(self, values):
        """Returns the bin (an int64 NumPy array) of every element of `values`."""
        values = to_numpy(values)
        bins = self.num_bins
        mask = None
        if self.mask_value is not None and bins > 1:
            bins -= 1
            flat = [v.decode("utf-8") if isinstance(v, bytes) else v for v in np.ravel(values)]
            mask = np.array([v == self.mask_value for v in flat], dtype=bool).reshape(values.shape)
        indices = string_hashing.hash_to_buckets(values, bins, self.salt)
        if mask is not None:
            indices = np.where(mask, 0, indices + 1)
        return indices

    def call(self, inputs):
        values = to_numpy(inputs)
        if self.output_mode == "one_hot" and values.ndim > 0 and values.shape[-1] == 1:
            values = values[..., 0]
        indices = self.hash_values(values)
        if self.output_mode == "int":
            # Converting from NumPy keeps int64 where the backend has it (JAX without x64 gives int32).
            return ops.convert_to_tensor(indices.astype(self._output_dtype()))
        indices = ops.convert_to_tensor(indices)
        return encode_categorical_inputs(indices, self.output_mode, self.num_bins, self._output_dtype())

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return tuple(input_shape)
        if len(input_shape) == 0:
            return (self.num_bins,)
        return tuple(input_shape[:-1]) + (self.num_bins,)

    def compute_output_spec(self, inputs):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=self._output_dtype())

    def get_config(self):
        config_dict = super().get_config()
        config_dict.update(
            {
                "num_bins": self.num_bins,
                "salt": self.salt,
                "mask_value": self.mask_value,
                "output_mode": self.output_mode,
                "sparse": self.sparse,
            }
        )
        return config_dict
