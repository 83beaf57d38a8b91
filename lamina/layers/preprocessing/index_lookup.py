"""`IndexLookup`: the vocabulary machinery shared by `StringLookup` and `IntegerLookup`.

Lookups run on the host in NumPy (a Python dict from token to index), so
the layers need no TensorFlow; numeric outputs become backend tensors.
Index layout, as in Keras: `[mask (int mode only)] [OOV x num_oov_indices] [tokens...]`.
"""

import collections
import os

import numpy as np

from lamina import config
from lamina import ops
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.layer import Layer
from lamina.layers.preprocessing import argument_checks
from lamina.layers.preprocessing import string_hashing
from lamina.layers.preprocessing.category_encoding import encode_categorical_inputs
from lamina.layers.preprocessing.category_encoding import encoded_shape
from lamina.layers.preprocessing.lookup_saving import LookupSavingMixin


def to_numpy(inputs):
    """Host NumPy view of lists, arrays and backend tensors."""
    if isinstance(inputs, np.ndarray):
        return inputs
    if ops.is_tensor(inputs):
        return np.asarray(ops.convert_to_numpy(inputs))
    return np.asarray(inputs)


def _as_list(value):
    if value is None:
        return None
    if isinstance(value, np.ndarray) or ops.is_tensor(value):
        value = to_numpy(value).tolist()
    return [v.item() if isinstance(v, np.generic) else v for v in value]


class IndexLookup(LookupSavingMixin, Layer):
    """Maps tokens to indices (or back) through a vocabulary. Use `StringLookup` or `IntegerLookup`."""

    def __init__(
        self,
        max_tokens,
        num_oov_indices,
        mask_token,
        oov_token,
        vocabulary_dtype,
        vocabulary=None,
        idf_weights=None,
        invert=False,
        output_mode="int",
        sparse=False,
        pad_to_max_tokens=False,
        oov_method="floormod",
        name=None,
        salt=None,
        **kwargs,
    ):
        frozen_size = kwargs.pop("vocabulary_size", None)
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        kwargs.pop("trainable", None)
        dtype = kwargs.pop("dtype", None)
        if kwargs:
            raise TypeError(f"{type(self).__name__} got unexpected keyword argument(s) {sorted(kwargs)}.")
        super().__init__(name=name, dtype=dtype if not isinstance(dtype, str) or dtype != "string" else None)
        label = f"{type(self).__name__} layer '{self.name}'"
        output_mode = argument_checks.standardize_output_mode(output_mode)
        arguments = dict(locals())
        if not has_input_vocabulary:
            arguments["vocabulary"] = None
        argument_checks.check_lookup_arguments(label, arguments)
        salt = argument_checks.standardize_salt(label, salt, vocabulary_dtype, oov_method)
        self.invert = invert
        self.max_tokens = max_tokens
        self.num_oov_indices = num_oov_indices
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.output_mode = output_mode
        self.sparse = sparse
        self.pad_to_max_tokens = pad_to_max_tokens
        self.vocabulary_dtype = vocabulary_dtype
        self.oov_method = oov_method
        self.salt = salt
        self._frozen_vocab_size = frozen_size
        self.input_vocabulary = vocabulary if not isinstance(vocabulary, str) else None
        self.input_idf_weights = idf_weights
        self._has_input_vocabulary = has_input_vocabulary
        self._set_table([], {})
        self.idf_weights = None
        self.reset_state()
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)
        self.built = True

    # -- vocabulary ---------------------------------------------------------------------

    def _describe(self):
        return f"{type(self).__name__} layer '{self.name}'"

    def _oov_start_index(self):
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start_index(self):
        return self._oov_start_index() + self.num_oov_indices

    def _standardize_token(self, token):
        if self.vocabulary_dtype == "string":
            return token.decode("utf-8") if isinstance(token, bytes) else str(token)
        return int(token)

    def vocabulary_size(self):
        """The size of the vocabulary, mask and OOV indices included."""
        return len(self._tokens) + self._token_start_index()

    def get_vocabulary(self, include_special_tokens=True):
        """Returns the vocabulary; a token's position is its index when `include_special_tokens`."""
        specials = [self.mask_token] * self._oov_start_index() + [self.oov_token] * self.num_oov_indices
        vocabulary = specials + list(self._tokens)
        return vocabulary if include_special_tokens else vocabulary[self._token_start_index() :]

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Sets the vocabulary (and, in `"tf_idf"` mode, the IDF weights).

        Args:
            vocabulary: A list, tuple, 1-D array or tensor of tokens, or the
                path of a text file with one token per line. It may start with
                the mask and OOV tokens (in that order), else they are added.
            idf_weights: IDF weights, one per vocabulary entry (`"tf_idf"` only).
        """
        label = self._describe()
        if self.output_mode == "tf_idf" and idf_weights is None:
            raise ValueError(f"{label}: idf_weights must be set when output_mode='tf_idf'.")
        if self.output_mode != "tf_idf" and idf_weights is not None:
            raise ValueError(
                f"{label}: idf_weights may only be set when output_mode='tf_idf'. "
                f"Received output_mode={self.output_mode!r}"
            )
        if isinstance(vocabulary, str):
            if not os.path.exists(vocabulary):
                raise ValueError(f"{label}: vocabulary file {vocabulary} does not exist.")
            if self.output_mode == "tf_idf":
                raise ValueError(f"{label}: output_mode='tf_idf' cannot load a vocabulary from a file.")
            with open(vocabulary, encoding="utf-8") as file:
                lines = file.read().splitlines()
            self._set_tokens([self._standardize_token(line) for line in lines])
            return
        tokens = [self._standardize_token(t) for t in _as_list(vocabulary)]
        if not tokens:
            raise ValueError(f"{label}: cannot set an empty vocabulary.")
        token_start = self._token_start_index()
        specials = [self.mask_token] * self._oov_start_index() + [self.oov_token] * self.num_oov_indices
        found_specials = tokens[:token_start] == specials
        if found_specials:
            tokens = tokens[token_start:]
        repeated = [t for t, count in collections.Counter(tokens).items() if count > 1]
        if repeated:
            raise ValueError(f"{label}: the vocabulary repeats terms {repeated}; pass unique tokens.")
        for reserved, what in ((self.mask_token, "mask"), (self.oov_token if self.invert else None, "OOV")):
            if reserved is not None and reserved in tokens:
                raise ValueError(
                    f"{label}: found the reserved {what} token {reserved!r} inside the vocabulary. "
                    f"Remove it, or put the special tokens only at the start, in this order: {specials}"
                )
        if self.max_tokens is not None and token_start + len(tokens) > self.max_tokens:
            raise ValueError(
                f"{label}: the vocabulary size {token_start + len(tokens)} exceeds "
                f"max_tokens={self.max_tokens}."
            )
        self._set_tokens(tokens)
        if self.output_mode == "tf_idf":
            weights = np.asarray(to_numpy(idf_weights), dtype="float64")
            if weights.ndim != 1 or len(weights) != len(tokens) + (token_start if found_specials else 0):
                raise ValueError(
                    f"{label}: idf_weights must be 1-D with one weight per vocabulary entry. Received "
                    f"{weights.shape} weights for {len(_as_list(vocabulary))} entries."
                )
            front = 0 if found_specials else token_start
            self._set_idf_weights(np.pad(weights, (front, 0), constant_values=np.mean(weights)))

    def _set_idf_weights(self, weights):
        if self.pad_to_max_tokens and self.max_tokens is not None:
            weights = np.pad(weights, (0, self.max_tokens - len(weights)))
        self.idf_weights = weights.astype(config.floatx())

    def _set_tokens(self, tokens):
        start = self._token_start_index()
        self._set_table(list(tokens), {token: start + i for i, token in enumerate(tokens)})
        self._record_vocabulary_size()

    def _set_table(self, tokens, token_to_index):
        # Plain attributes: the layer's tracking would otherwise wrap (and walk) large vocabularies.
        object.__setattr__(self, "_tokens", tokens)
        object.__setattr__(self, "_token_to_index", token_to_index)

    def _record_vocabulary_size(self):
        size = self.vocabulary_size()
        if (
            self.output_mode != "int"
            and not self.pad_to_max_tokens
            and self._frozen_vocab_size is not None
            and size != self._frozen_vocab_size
            and getattr(self, "_called", False)
        ):
            raise RuntimeError(
                f"{self._describe()}: with output_mode={self.output_mode!r} and pad_to_max_tokens=False the "
                f"vocabulary size cannot change after the layer is called. Old size "
                f"{self._frozen_vocab_size}, new size {size}."
            )
        self._frozen_vocab_size = size

    # -- adapt ------------------------------------------------------------------------

    def adapt(self, data, steps=None):
        """Builds the vocabulary from `data`, most frequent tokens first (ties: higher token first).

        Args:
            data: A list, array or tensor of tokens (each row a document), or an
                iterable of such batches.
            steps: Optional number of batches to read from an iterable.
        """
        self.reset_state()
        if isinstance(data, (list, tuple, np.ndarray)) or ops.is_tensor(data):
            array = to_numpy(data)
            self.update_state(array[:, None] if array.ndim == 1 else array)
        else:
            for index, batch in enumerate(data):
                if steps is not None and index >= steps:
                    break
                self.update_state(batch)
        self.finalize_state()

    def update_state(self, data):
        if self._has_input_vocabulary:
            raise ValueError(
                f"Cannot adapt {self._describe()} after setting a static vocabulary through the "
                "vocabulary argument or set_vocabulary()."
            )
        if isinstance(data, list) and all(isinstance(row, list) for row in data):
            rows = data  # Ragged rows of tokens (e.g. from TextVectorization).
        else:
            array = to_numpy(data)
            rows = array.reshape((1, -1)) if array.ndim < 2 else array
        rows = [[self._standardize_token(t) for t in np.ravel(np.asarray(row, dtype=object))] for row in rows]
        for row in rows:
            self._token_counts.update(row)
        if self.output_mode == "tf_idf":
            for row in rows:
                self._document_counts.update(set(row))
            self._num_documents += len(rows)

    def finalize_state(self):
        if self._has_input_vocabulary or not self._token_counts:
            self._record_vocabulary_size()
            return
        counts = dict(self._token_counts)
        for special in (self.mask_token, self.oov_token):
            counts.pop(special, None)

        def order(item):
            token = item[0]
            return item[1], token.encode("utf-8") if isinstance(token, str) else token

        tokens = [token for token, _ in sorted(counts.items(), key=order, reverse=True)]
        if self.max_tokens:
            tokens = tokens[: self.max_tokens - self._token_start_index()]
        self._set_tokens(tokens)
        if self.output_mode == "tf_idf":
            document_counts = np.array([self._document_counts[t] for t in tokens], dtype="float64")
            weights = np.log(1 + self._num_documents / (1 + document_counts))
            self._set_idf_weights(
                np.pad(weights, (self._token_start_index(), 0), constant_values=np.mean(weights))
            )
        self.reset_state()

    def reset_state(self):
        self._token_counts = collections.Counter()
        self._document_counts = collections.Counter()
        self._num_documents = 0

    # -- calling ----------------------------------------------------------------------

    def __call__(self, inputs, *args, **kwargs):
        if isinstance(inputs, (list, tuple)):
            inputs = np.asarray(inputs)
        return super().__call__(inputs, *args, **kwargs)

    def _depth(self):
        return self.max_tokens if self.pad_to_max_tokens else self._frozen_vocab_size

    def compute_output_shape(self, input_shape):
        return encoded_shape(input_shape, self.output_mode, self._depth())

    def compute_output_spec(self, inputs):
        if self.output_mode == "int":
            dtype = self.vocabulary_dtype if self.invert else "int64"
        else:
            dtype = config.floatx()
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=dtype)

    def lookup_indices(self, array):
        """Maps a NumPy array of tokens to an int64 NumPy array of indices (OOV and mask handled)."""
        flat = [self._standardize_token(t) for t in np.ravel(array)]
        table = self._token_to_index
        indices = np.array([table.get(t, -1) for t in flat], dtype="int64")
        out_of_vocabulary = indices == -1
        if self.mask_token is not None:
            masked = np.array([t == self.mask_token for t in flat], dtype=bool)
            out_of_vocabulary &= ~masked
        if out_of_vocabulary.any():
            if self.num_oov_indices == 0:
                examples = sorted({str(t) for t, oov in zip(flat, out_of_vocabulary) if oov})[:5]
                raise ValueError(
                    f"{self._describe()} has num_oov_indices=0, so all inputs must be in the vocabulary. "
                    f"Found out-of-vocabulary values {examples}; set num_oov_indices=1 to allow them."
                )
            oov_values = [t for t, oov in zip(flat, out_of_vocabulary) if oov]
            if self.num_oov_indices == 1:
                buckets = np.zeros(len(oov_values), dtype="int64")
            elif self.vocabulary_dtype != "string" and self.oov_method == "floormod":
                buckets = np.mod(np.asarray(oov_values, dtype="int64"), self.num_oov_indices)
            else:
                buckets = string_hashing.hash_to_buckets(oov_values, self.num_oov_indices, self.salt)
            indices[out_of_vocabulary] = buckets + self._oov_start_index()
        if self.mask_token is not None:
            # Outside int mode the mask has no index: -1 encodes as all zeros.
            indices[masked] = 0 if self.output_mode == "int" else -1
        return indices.reshape(np.shape(array))

    def _invert_indices(self, array):
        vocabulary = self.get_vocabulary()
        flat = np.ravel(array).astype("int64")
        tokens = [vocabulary[i] if 0 <= i < len(vocabulary) else self.oov_token for i in flat]
        if self.mask_token is not None:
            tokens = [self.mask_token if i == 0 else t for i, t in zip(flat, tokens)]
        return np.array(tokens, dtype=object if self.vocabulary_dtype == "string" else "int64").reshape(
            np.shape(array)
        )

    def encode_indices(self, indices):
        """Turns an int64 NumPy array of indices into the layer's output (a backend tensor)."""
        if self.output_mode == "int":
            return ops.convert_to_tensor(indices)
        if self._depth() is None:
            raise RuntimeError(
                f"{self._describe()}: with output_mode={self.output_mode!r} and pad_to_max_tokens=False "
                "the vocabulary must be set before calling the layer: pass vocabulary=... or call adapt()."
            )
        self._called = True
        mode = "count" if self.output_mode == "tf_idf" else self.output_mode
        outputs = encode_categorical_inputs(
            ops.convert_to_tensor(indices), mode, self._depth(), config.floatx()
        )
        if self.output_mode == "tf_idf":
            if self.idf_weights is None:
                raise ValueError(f"{self._describe()}: output_mode='tf_idf' needs idf_weights; call adapt().")
            outputs = outputs * ops.convert_to_tensor(self.idf_weights)
        return outputs

    def call(self, inputs):
        array = to_numpy(inputs)
        if self.invert:
            tokens = self._invert_indices(array)
            return tokens if self.vocabulary_dtype == "string" else ops.convert_to_tensor(tokens)
        return self.encode_indices(self.lookup_indices(array))

    # -- saving -----------------------------------------------------------------------

    def get_config(self):
        config_dict = super().get_config()
        config_dict.pop("dtype", None)
        config_dict.update(
            {
                "invert": self.invert,
                "max_tokens": self.max_tokens,
                "num_oov_indices": self.num_oov_indices,
                "oov_token": self.oov_token,
                "mask_token": self.mask_token,
                "output_mode": self.output_mode,
                "sparse": self.sparse,
                "pad_to_max_tokens": self.pad_to_max_tokens,
                "vocabulary_dtype": self.vocabulary_dtype,
                "idf_weights": _as_list(self.input_idf_weights),
                "vocabulary": _as_list(self.input_vocabulary),
                "vocabulary_size": self._frozen_vocab_size,
                "oov_method": self.oov_method,
                "salt": self.salt,
            }
        )
        return config_dict
