"""`StringLookup`: maps strings to integer indices through a vocabulary (NumPy on the host, no TensorFlow)."""

from lamina.layers.preprocessing.index_lookup import IndexLookup


class StringLookup(IndexLookup):
    """Maps string features to integer indices.

    The vocabulary is given (`vocabulary=`) or learned with `adapt()`, which
    orders tokens by frequency (ties: higher string first). Index 0 is the
    mask token when `mask_token` is set (in `"int"` mode), then come
    `num_oov_indices` out-of-vocabulary indices (several OOV indices spread
    unknown strings by FarmHash Fingerprint64, or SipHash-2-4 with `salt`,
    with TensorFlow's bucket numbers), then the vocabulary.

    Inputs are Python lists or NumPy arrays of `str`/`bytes` (or symbolic
    `KerasTensor`s of dtype `"string"`); outputs are backend tensors. With
    `invert=True` indices map back to strings, returned as a NumPy array.

    Args:
        max_tokens: Maximum vocabulary size, special tokens included (None: no limit).
        num_oov_indices: Number of out-of-vocabulary indices (default 1).
        mask_token: Token that maps to index 0 (default None: no mask).
        oov_token: Token returned for OOV indices when `invert=True` (default `"[UNK]"`).
        vocabulary: Optional list/array of strings or the path of a one-token-per-line file.
        idf_weights: IDF weights for `output_mode="tf_idf"` with a given vocabulary.
        invert: If True, maps indices to strings.
        output_mode: `"int"`, `"one_hot"`, `"multi_hot"`, `"count"` or `"tf_idf"`.
        pad_to_max_tokens: Whether encoded outputs have `max_tokens` columns.
        sparse: Must be False: lamina tensors are dense.
        encoding: Text encoding of bytes inputs (default `"utf-8"`).
        name: Layer name.
        salt: Optional int or pair of ints keying the OOV hash.

    Example:

    >>> import lamina
    >>> layer = lamina.layers.StringLookup(vocabulary=["a", "b", "c", "d"])
    >>> lamina.ops.convert_to_numpy(layer([["a", "c", "d"], ["d", "z", "b"]])).tolist()
    [[1, 3, 4], [4, 0, 2]]
    >>> layer = lamina.layers.StringLookup()
    >>> layer.adapt([["a", "c", "d"], ["d", "z", "b"]])
    >>> layer.get_vocabulary()
    ['[UNK]', 'd', 'z', 'c', 'b', 'a']
    """

    def __init__(
        self,
        max_tokens=None,
        num_oov_indices=1,
        mask_token=None,
        oov_token="[UNK]",
        vocabulary=None,
        idf_weights=None,
        invert=False,
        output_mode="int",
        pad_to_max_tokens=False,
        sparse=False,
        encoding="utf-8",
        name=None,
        salt=None,
        **kwargs,
    ):
        # Set before the base constructor, which may already decode a given vocabulary.
        object.__setattr__(self, "encoding", encoding)
        kwargs.pop("vocabulary_dtype", None)
        super().__init__(
            max_tokens=max_tokens,
            num_oov_indices=num_oov_indices,
            mask_token=mask_token,
            oov_token=oov_token,
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            invert=invert,
            output_mode=output_mode,
            pad_to_max_tokens=pad_to_max_tokens,
            sparse=sparse,
            name=name,
            salt=salt,
            vocabulary_dtype="string",
            **kwargs,
        )

    def _standardize_token(self, token):
        if isinstance(token, bytes):
            return token.decode(self.encoding)
        return str(token)

    def get_config(self):
        config = super().get_config()
        del config["vocabulary_dtype"]
        config["encoding"] = self.encoding
        return config
