"""`TextVectorization`: strings to token indices or bag-of-words vectors, on the host without TensorFlow."""

import re
import string

import numpy as np

from lamina import config
from lamina import ops
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.layer import Layer
from lamina.layers.preprocessing import argument_checks
from lamina.layers.preprocessing.index_lookup import to_numpy
from lamina.layers.preprocessing.string_lookup import StringLookup

_PUNCTUATION = re.compile("[" + re.escape(string.punctuation) + "]")
# TensorFlow's string ops split on ASCII whitespace and lowercase ASCII letters only.
_WHITESPACE = re.compile(r"[ \t\n\r\x0b\x0c]+")
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def _ngrams(tokens, widths):
    grams = []
    for width in widths:
        grams.extend(" ".join(tokens[i : i + width]) for i in range(len(tokens) - width + 1))
    return grams


class TextVectorization(Layer):
    """Turns raw strings into token index sequences or bag-of-words vectors.

    Each string is standardized (lowercased, punctuation stripped), split into
    tokens (whitespace or characters), optionally expanded with n-grams (joined
    by a space), then looked up in a vocabulary given with `vocabulary=` or
    learned by `adapt()` (most frequent first; index 0 is padding, 1 is OOV).
    The work runs in NumPy on the host: call the layer on data before the
    model (e.g. in the input pipeline); numeric outputs are backend tensors.

    Args:
        max_tokens: Maximum vocabulary size, padding and OOV included.
        standardize: `"lower_and_strip_punctuation"` (default), `"lower"`,
            `"strip_punctuation"`, None, or a callable on a NumPy array of strings.
        split: `"whitespace"` (default), `"character"`, None, or a callable on
            a NumPy array of strings returning a list of token lists.
        ngrams: None, an int `n` (all n-grams up to `n`) or a tuple of widths.
        output_mode: `"int"` (default), `"one_hot"`, `"multi_hot"`, `"count"` or `"tf_idf"`.
        output_sequence_length: In `"int"` mode, pad or truncate every sequence
            to this length (default: the longest in the batch).
        pad_to_max_tokens: Whether encoded outputs have `max_tokens` columns.
        vocabulary: Optional list of strings or the path of a one-token-per-line file.
        idf_weights: IDF weights for `output_mode="tf_idf"` with a given vocabulary.
        sparse: Must be False: lamina tensors are dense.
        ragged: Must be False: lamina tensors are dense (sequences are padded).
        encoding: Text encoding of bytes inputs (default `"utf-8"`).
        name: Layer name.

    Example:

    >>> import lamina
    >>> layer = lamina.layers.TextVectorization(output_sequence_length=4)
    >>> layer.adapt(["The cat sat.", "The dog ran!"])
    >>> layer.get_vocabulary()
    ['', '[UNK]', 'the', 'sat', 'ran', 'dog', 'cat']
    >>> lamina.ops.convert_to_numpy(layer(["the dog sat", "a cat"])).tolist()
    [[2, 5, 3, 0], [1, 6, 0, 0]]
    """

    def __init__(
        self,
        max_tokens=None,
        standardize="lower_and_strip_punctuation",
        split="whitespace",
        ngrams=None,
        output_mode="int",
        output_sequence_length=None,
        pad_to_max_tokens=False,
        vocabulary=None,
        idf_weights=None,
        sparse=False,
        ragged=False,
        encoding="utf-8",
        name=None,
        **kwargs,
    ):
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        vocabulary_size = kwargs.pop("vocabulary_size", None)
        super().__init__(name=name, **kwargs)
        output_mode = argument_checks.standardize_output_mode(output_mode)
        argument_checks.check_text_arguments(f"TextVectorization layer '{self.name}'", dict(locals()))
        self._standardize = standardize
        self._split = split
        self._ngrams_arg = ngrams
        self._ngrams = tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else ngrams
        self._ragged = ragged
        self._output_mode = output_mode
        self._output_sequence_length = output_sequence_length
        self._encoding = encoding
        self._lookup_layer = StringLookup(
            max_tokens=max_tokens,
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            pad_to_max_tokens=pad_to_max_tokens,
            mask_token="",
            output_mode=output_mode,
            sparse=sparse,
            has_input_vocabulary=has_input_vocabulary,
            encoding=encoding,
            vocabulary_size=vocabulary_size,
        )
        self.built = True

    def __call__(self, inputs, *args, **kwargs):
        if isinstance(inputs, (list, tuple, str, bytes)):
            inputs = np.asarray(inputs)
        return super().__call__(inputs, *args, **kwargs)

    # -- text processing --------------------------------------------------------------

    def _strings(self, inputs):
        array = to_numpy(inputs)
        if array.dtype.kind == "S" or array.dtype.kind == "O":
            decode = np.vectorize(
                lambda s: s.decode(self._encoding) if isinstance(s, bytes) else str(s), otypes=[object]
            )
            array = decode(array) if array.size else array.astype(object)
        return array.astype(str) if array.size else array.astype("<U1")

    def _standardize_strings(self, array):
        if callable(self._standardize):
            return np.asarray(self._standardize(array)).astype(str)
        if self._standardize in ("lower", "lower_and_strip_punctuation"):
            array = (
                np.vectorize(lambda s: s.translate(_ASCII_LOWER), otypes=[str])(array)
                if array.size
                else array
            )
        if self._standardize in ("strip_punctuation", "lower_and_strip_punctuation"):
            array = (
                np.vectorize(lambda s: _PUNCTUATION.sub("", s), otypes=[str])(array) if array.size else array
            )
        return array

    def _preprocess(self, inputs):
        """Standardized strings (an array, when `split=None`) or a list of token lists."""
        array = self._standardize_strings(self._strings(inputs))
        if self._split is None:
            if self._ngrams is None:
                return array
            rows = [list(row) for row in np.atleast_2d(array)]
        else:
            if array.ndim > 1:
                if array.shape[-1] != 1:
                    raise ValueError(
                        f"TextVectorization layer '{self.name}' splits strings, so its input must have "
                        f"rank 1 or a last axis of size 1. Received inputs.shape={array.shape}"
                    )
                array = array[..., 0]
            if array.ndim != 1:
                raise ValueError(
                    f"TextVectorization layer '{self.name}' expects a batch of strings (shape (batch,) or "
                    f"(batch, 1)). Received inputs.shape={array.shape}"
                )
            if self._split == "whitespace":
                rows = [[token for token in _WHITESPACE.split(text) if token] for text in array]
            elif self._split == "character":
                rows = [list(text) for text in array]
            else:
                rows = [[str(token) for token in row] for row in self._split(array)]
        if self._ngrams is not None:
            rows = [_ngrams(row, self._ngrams) for row in rows]
        return rows

    @staticmethod
    def _pad(rows, length=None):
        longest = max((len(row) for row in rows), default=0)
        length = longest if length is None else length
        padded = np.full((len(rows), length), "", dtype=object)
        for index, row in enumerate(rows):
            row = row[:length]
            padded[index, : len(row)] = row
        return padded

    # -- vocabulary -------------------------------------------------------------------

    def adapt(self, data, batch_size=None, steps=None):
        """Learns the vocabulary (and IDF weights in `"tf_idf"` mode) from strings.

        Args:
            data: A list, array or tensor of strings (one document each), or an
                iterable of such batches.
            batch_size: Optional chunk size for array data (same result, less memory).
            steps: Optional number of batches to read from an iterable.
        """
        self.reset_state()
        if isinstance(data, (list, tuple, np.ndarray, str)) or ops.is_tensor(data):
            array = to_numpy(data)
            size = batch_size or max(len(array), 1)
            batches = [array[i : i + size] for i in range(0, len(array), size)]
        else:
            batches = data
        for index, batch in enumerate(batches):
            if steps is not None and index >= steps:
                break
            self.update_state(batch)
        self.finalize_state()

    def update_state(self, data):
        tokens = self._preprocess(data)
        if isinstance(tokens, np.ndarray):
            tokens = [list(np.ravel(row)) for row in tokens.reshape((len(tokens), -1))]
        self._lookup_layer.update_state(tokens)

    def finalize_state(self):
        self._lookup_layer.finalize_state()

    def reset_state(self):
        self._lookup_layer.reset_state()

    def get_vocabulary(self, include_special_tokens=True):
        """Returns the vocabulary; with the special tokens, a token's position is its index."""
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self):
        """The vocabulary size, padding and OOV tokens included."""
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Sets the vocabulary (a list of strings or a file path) and, for `"tf_idf"`, the IDF weights."""
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights=idf_weights)

    # -- calling ----------------------------------------------------------------------

    def call(self, inputs):
        tokens = self._preprocess(inputs)
        if isinstance(tokens, np.ndarray):
            return self._lookup_layer.encode_indices(self._lookup_layer.lookup_indices(tokens))
        length = self._output_sequence_length if self._output_mode == "int" else None
        indices = self._lookup_layer.lookup_indices(self._pad(tokens, length))
        return self._lookup_layer.encode_indices(indices)

    def compute_output_shape(self, input_shape):
        if self._output_mode == "int":
            if self._split is None and self._ngrams is None:
                return tuple(input_shape)
            return (input_shape[0], self._output_sequence_length)
        if self._split is None and self._ngrams is None:
            input_shape = tuple(input_shape) + ((1,) if len(input_shape) <= 1 else ())
        else:
            input_shape = (input_shape[0], None)
        return self._lookup_layer.compute_output_shape(input_shape)

    def compute_output_spec(self, inputs):
        dtype = "int64" if self._output_mode == "int" else config.floatx()
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=dtype)

    # -- saving -----------------------------------------------------------------------

    def get_config(self):
        lookup = self._lookup_layer
        base = lookup.get_config()
        config_dict = super().get_config()
        config_dict.update(
            {
                "max_tokens": lookup.max_tokens,
                "standardize": self._standardize,
                "split": self._split,
                "ngrams": self._ngrams_arg,
                "output_mode": self._output_mode,
                "output_sequence_length": self._output_sequence_length,
                "pad_to_max_tokens": lookup.pad_to_max_tokens,
                "sparse": lookup.sparse,
                "ragged": self._ragged,
                "vocabulary": base["vocabulary"],
                "idf_weights": base["idf_weights"],
                "encoding": self._encoding,
                "vocabulary_size": self.vocabulary_size(),
            }
        )
        return config_dict

    @classmethod
    def from_config(cls, config):
        from lamina.saving import serialization

        config = dict(config)
        for key in ("standardize", "split"):
            if isinstance(config.get(key), dict):
                config[key] = serialization.deserialize_keras_object(config[key])
        if isinstance(config.get("ngrams"), list):
            config["ngrams"] = tuple(config["ngrams"])
        return super().from_config(config)

    def save_own_variables(self, store):
        self._lookup_layer.save_own_variables(store)

    def load_own_variables(self, store):
        self._lookup_layer.load_own_variables(store)

    def save_assets(self, dir_path):
        self._lookup_layer.save_assets(dir_path)

    def load_assets(self, dir_path):
        self._lookup_layer.load_assets(dir_path)
