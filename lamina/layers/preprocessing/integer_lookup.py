"""`IntegerLookup`: maps integers to contiguous indices through a vocabulary."""

from lamina.layers.preprocessing.index_lookup import IndexLookup


class IntegerLookup(IndexLookup):
    """Maps integer features to contiguous integer indices.

    The vocabulary is given (`vocabulary=`) or learned with `adapt()`, which
    orders values by frequency (ties: higher value first). Index 0 is the
    mask value when `mask_token` is set (in `"int"` mode), then come
    `num_oov_indices` out-of-vocabulary indices (unknown values go to
    `value % num_oov_indices`, or a FarmHash bucket of their decimal text with
    `oov_method="farmhash"`), then the vocabulary.

    Args:
        max_tokens: Maximum vocabulary size, special tokens included (None: no limit).
        num_oov_indices: Number of out-of-vocabulary indices (default 1).
        mask_token: Integer that maps to index 0 (default None: no mask).
        oov_token: Value returned for OOV indices when `invert=True` (default -1).
        vocabulary: Optional list/array of integers or the path of a one-value-per-line file.
        vocabulary_dtype: Must be `"int64"`.
        idf_weights: IDF weights for `output_mode="tf_idf"` with a given vocabulary.
        invert: If True, maps indices back to values.
        output_mode: `"int"`, `"one_hot"`, `"multi_hot"`, `"count"` or `"tf_idf"`.
        sparse: Must be False: lamina tensors are dense.
        pad_to_max_tokens: Whether encoded outputs have `max_tokens` columns.
        oov_method: `"floormod"` (default) or `"farmhash"`.
        salt: Optional int or pair of ints keying the hash (needs `oov_method="farmhash"`).
        name: Layer name.

    Example:

    >>> import lamina
    >>> layer = lamina.layers.IntegerLookup(vocabulary=[12, 36, 1138, 42])
    >>> lamina.ops.convert_to_numpy(layer([[12, 1138, 42], [42, 1000, 36]])).tolist()
    [[1, 3, 4], [4, 0, 2]]
    """

    def __init__(
        self,
        max_tokens=None,
        num_oov_indices=1,
        mask_token=None,
        oov_token=-1,
        vocabulary=None,
        vocabulary_dtype="int64",
        idf_weights=None,
        invert=False,
        output_mode="int",
        sparse=False,
        pad_to_max_tokens=False,
        oov_method="floormod",
        salt=None,
        name=None,
        **kwargs,
    ):
        if vocabulary_dtype != "int64":
            raise ValueError(
                "IntegerLookup supports only vocabulary_dtype='int64'. "
                f"Received: vocabulary_dtype={vocabulary_dtype!r}"
            )
        super().__init__(
            max_tokens=max_tokens,
            num_oov_indices=num_oov_indices,
            mask_token=mask_token,
            oov_token=oov_token,
            vocabulary=vocabulary,
            vocabulary_dtype=vocabulary_dtype,
            idf_weights=idf_weights,
            invert=invert,
            output_mode=output_mode,
            sparse=sparse,
            pad_to_max_tokens=pad_to_max_tokens,
            oov_method=oov_method,
            salt=salt,
            name=name,
            **kwargs,
        )

    def get_config(self):
        config = super().get_config()
        for key in ("oov_token", "mask_token"):
            if config[key] is not None:
                config[key] = int(config[key])
        if config["vocabulary"] is not None:
            config["vocabulary"] = [int(v) for v in config["vocabulary"]]
        return config
