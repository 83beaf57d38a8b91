"""Argument checks of the vocabulary layers (`StringLookup`, `IntegerLookup`, `TextVectorization`).

Each check raises a ValueError that starts with the layer's description
(class and name) and says what was expected and what was received.
"""

LOOKUP_OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")
STANDARDIZE_MODES = ("lower_and_strip_punctuation", "lower", "strip_punctuation")
SPLIT_MODES = ("whitespace", "character")


def standardize_output_mode(output_mode):
    """Maps Keras's legacy output-mode names to the current ones."""
    return {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)


def _fail(label, message):
    raise ValueError(f"{label}: {message}")


def check_lookup_arguments(label, arguments):
    """Validates the constructor arguments of an `IndexLookup` (a dict of them)."""
    max_tokens = arguments["max_tokens"]
    output_mode = arguments["output_mode"]
    if max_tokens is not None and max_tokens <= 1:
        _fail(label, f"max_tokens, if set, must be > 1. Received: max_tokens={max_tokens}")
    if arguments["pad_to_max_tokens"] and max_tokens is None:
        _fail(label, "pad_to_max_tokens=True needs max_tokens to be set.")
    if arguments["num_oov_indices"] < 0:
        _fail(
            label, f"num_oov_indices must be >= 0. Received: num_oov_indices={arguments['num_oov_indices']}"
        )
    if output_mode not in LOOKUP_OUTPUT_MODES:
        _fail(
            label, f"output_mode must be one of {LOOKUP_OUTPUT_MODES}. Received: output_mode={output_mode!r}"
        )
    if arguments["oov_method"] not in ("floormod", "farmhash"):
        _fail(label, f"oov_method must be 'floormod' or 'farmhash'. Received: {arguments['oov_method']!r}")
    if arguments["invert"] and output_mode != "int":
        _fail(label, f"output_mode must be 'int' when invert=True. Received: output_mode={output_mode!r}")
    if arguments["sparse"]:
        _fail(label, "sparse=True is not supported: lamina tensors are dense. Pass sparse=False.")
    if arguments["idf_weights"] is not None and output_mode != "tf_idf":
        _fail(label, "idf_weights may only be set when output_mode='tf_idf'.")
    if output_mode == "tf_idf" and arguments["vocabulary"] is not None and arguments["idf_weights"] is None:
        _fail(label, "with output_mode='tf_idf' and a vocabulary, idf_weights must be given too.")


def standardize_salt(label, salt, vocabulary_dtype="string", oov_method="farmhash"):
    """Returns the salt as a `[key0, key1]` list (an int `k` means `[k, k]`), or None."""
    if salt is None:
        return None
    if vocabulary_dtype != "string" and oov_method != "farmhash":
        _fail(label, f"salt is used only with oov_method='farmhash'. Received: oov_method={oov_method!r}")
    if isinstance(salt, (tuple, list)) and len(salt) == 2:
        return list(salt)
    if isinstance(salt, int) and not isinstance(salt, bool):
        return [salt, salt]
    _fail(label, f"salt must be an int or a pair of ints. Received: salt={salt!r}")


def check_text_arguments(label, arguments):
    """Validates the constructor arguments of a `TextVectorization` (a dict of them)."""
    standardize = arguments["standardize"]
    split = arguments["split"]
    ngrams = arguments["ngrams"]
    output_mode = arguments["output_mode"]
    sequence_length = arguments["output_sequence_length"]
    if not (standardize is None or callable(standardize) or standardize in STANDARDIZE_MODES):
        _fail(
            label,
            f"standardize must be one of {STANDARDIZE_MODES}, None or a callable. Received: {standardize!r}",
        )
    if not (split is None or callable(split) or split in SPLIT_MODES):
        _fail(label, f"split must be one of {SPLIT_MODES}, None or a callable. Received: {split!r}")
    if output_mode not in LOOKUP_OUTPUT_MODES:
        _fail(label, f"output_mode must be one of {LOOKUP_OUTPUT_MODES}. Received: {output_mode!r}")
    valid_ngrams = (
        ngrams is None
        or (isinstance(ngrams, int) and not isinstance(ngrams, bool))
        or (isinstance(ngrams, tuple) and all(isinstance(n, int) for n in ngrams))
    )
    if not valid_ngrams:
        _fail(label, f"ngrams must be None, an integer, or a tuple of integers. Received: ngrams={ngrams!r}")
    if output_mode == "int" and not (sequence_length is None or isinstance(sequence_length, int)):
        _fail(label, f"output_sequence_length must be None or an int. Received: {sequence_length!r}")
    if output_mode != "int" and sequence_length is not None:
        _fail(label, f"output_sequence_length must not be set when output_mode={output_mode!r}.")
    if arguments["sparse"]:
        _fail(label, "sparse=True is not supported: lamina tensors are dense.")
    if arguments["ragged"]:
        _fail(label, "ragged=True is not supported: lamina tensors are dense; sequences are padded.")
