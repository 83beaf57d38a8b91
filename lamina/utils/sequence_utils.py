"""`pad_sequences`: pads (or truncates) sequences of varying length to one length."""

import numpy as np


def pad_sequences(sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre", value=0.0):
    """Pads sequences to the same length.

    Each sequence (a list of scalars or of same-shaped items) is truncated to
    `maxlen` and padded with `value`, at the start (`"pre"`) or the end
    (`"post"`).

    Args:
        sequences: List of sequences (each a list or array).
        maxlen: Optional int, the output length. Default: the longest sequence.
        dtype: Output dtype (default `"int32"`); use `object` for strings.
        padding: `"pre"` or `"post"`: where to add padding.
        truncating: `"pre"` or `"post"`: where to cut sequences longer than `maxlen`.
        value: The padding value (float or string).

    Returns:
        NumPy array of shape `(len(sequences), maxlen) + item_shape`.

    Example:

    >>> pad_sequences([[1], [2, 3], [4, 5, 6]])
    array([[0, 0, 1],
           [0, 2, 3],
           [4, 5, 6]], dtype=int32)
    >>> pad_sequences([[1], [2, 3], [4, 5, 6]], maxlen=2, padding="post", truncating="post", value=-1)
    array([[ 1, -1],
           [ 2,  3],
           [ 4,  5]], dtype=int32)
    """
    if not hasattr(sequences, "__len__"):
        raise ValueError(
            f"pad_sequences: `sequences` must be iterable with a length. Received: {type(sequences).__name__}"
        )
    for name, option in (("padding", padding), ("truncating", truncating)):
        if option not in ("pre", "post"):
            raise ValueError(f'pad_sequences: `{name}` must be "pre" or "post". Received: {name}={option!r}')
    lengths = []
    item_shape = ()
    found_shape = False
    for sequence in sequences:
        try:
            lengths.append(len(sequence))
        except TypeError as error:
            raise ValueError(
                "pad_sequences: every item of `sequences` must be a sequence (have a length). "
                f"Received an item of type {type(sequence).__name__}: {sequence!r}"
            ) from error
        if not found_shape and len(sequence):
            item_shape = np.asarray(sequence).shape[1:]
            found_shape = True
    if maxlen is None:
        maxlen = max(lengths, default=0)
    is_string_dtype = np.issubdtype(dtype, np.str_) or np.issubdtype(dtype, np.object_)
    if isinstance(value, str) and dtype is not object and not is_string_dtype:
        raise ValueError(
            f"pad_sequences: `dtype` {dtype} is not compatible with the string padding value {value!r}. "
            "Use dtype=object for variable-length strings."
        )
    padded = np.full((len(sequences), maxlen) + item_shape, value, dtype=dtype)
    for index, sequence in enumerate(sequences):
        if not len(sequence) or maxlen == 0:
            continue
        kept = sequence[-maxlen:] if truncating == "pre" else sequence[:maxlen]
        kept = np.asarray(kept, dtype=dtype)
        if kept.shape[1:] != item_shape:
            raise ValueError(
                f"pad_sequences: sequence {index} has items of shape {kept.shape[1:]}, "
                f"but the first non-empty sequence has items of shape {item_shape}."
            )
        if padding == "post":
            padded[index, : len(kept)] = kept
        else:
            padded[index, -len(kept) :] = kept
    return padded
