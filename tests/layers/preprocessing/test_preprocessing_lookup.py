"""StringLookup and IntegerLookup: Keras's documented examples and NumPy references (Keras needs TF here)."""

import collections
import json

import numpy as np
import pytest

import lamina
from lamina import layers
from lamina import ops
from lamina.layers.preprocessing.string_hashing import fingerprint64

VOCABULARY = ["a", "b", "c", "d"]
DATA = [["a", "c", "d", "d"], ["d", "z", "b", "z"]]


def numpy_of(x):
    return np.asarray(ops.convert_to_numpy(x))


def test_string_lookup_documented_int_outputs():
    layer = layers.StringLookup(vocabulary=VOCABULARY)
    assert numpy_of(layer([["a", "c", "d"], ["d", "z", "b"]])).tolist() == [[1, 3, 4], [4, 0, 2]]
    assert layer.vocabulary_size() == 5
    assert layer.get_vocabulary() == ["[UNK]", "a", "b", "c", "d"]
    assert layer.get_vocabulary(include_special_tokens=False) == VOCABULARY


def test_string_lookup_accepts_bytes_object_arrays_and_tensors_of_indices():
    layer = layers.StringLookup(vocabulary=VOCABULARY)
    as_bytes = np.array([[b"a", b"z"]])
    as_objects = np.array([["a", "z"]], dtype=object)
    assert numpy_of(layer(as_bytes)).tolist() == [[1, 0]]
    assert numpy_of(layer(as_objects)).tolist() == [[1, 0]]
    inverse = layers.StringLookup(vocabulary=VOCABULARY, invert=True)
    indices = layer(np.array([["a", "c", "d"], ["d", "z", "b"]]))
    assert inverse(indices).tolist() == [["a", "c", "d"], ["d", "[UNK]", "b"]]


def test_adapt_orders_by_frequency_then_token_descending():
    layer = layers.StringLookup()
    layer.adapt([["a", "c", "d"], ["d", "z", "b"]])
    assert layer.get_vocabulary() == ["[UNK]", "d", "z", "c", "b", "a"]
    assert numpy_of(layer([["a", "c", "d"], ["d", "z", "b"]])).tolist() == [[5, 3, 1], [1, 2, 4]]
    # Reference: a Counter sorted by (count, utf-8 bytes) descending, truncated by max_tokens.
    words = "the quick brown fox jumps over the lazy dog the fox".split()
    counts = collections.Counter(words)
    expected = sorted(counts, key=lambda w: (counts[w], w.encode()), reverse=True)[:4]
    limited = layers.StringLookup(max_tokens=5, mask_token="")
    limited.adapt(np.array(words))
    assert limited.get_vocabulary() == ["", "[UNK]"] + expected[:3]


def test_multiple_oov_indices_hash_with_fingerprint64():
    layer = layers.StringLookup(vocabulary=VOCABULARY, num_oov_indices=2)
    assert numpy_of(layer([["a", "c", "d"], ["m", "z", "b"]])).tolist() == [[2, 4, 5], [0, 1, 3]]
    tokens = ["m", "z", "hello", "world", "x" * 70]
    expected = [fingerprint64(t) % 3 for t in tokens]
    wide = layers.StringLookup(vocabulary=VOCABULARY, num_oov_indices=3)
    assert numpy_of(wide(np.array(tokens))).tolist() == expected


def test_mask_token_and_oov_layout():
    layer = layers.StringLookup(vocabulary=VOCABULARY, mask_token="", num_oov_indices=1)
    assert layer.get_vocabulary() == ["", "[UNK]", "a", "b", "c", "d"]
    assert numpy_of(layer([["a", "", "q"]])).tolist() == [[2, 0, 1]]
    inverse = layers.StringLookup(vocabulary=VOCABULARY, mask_token="", invert=True)
    assert inverse([[2, 0, 1]]).tolist() == [["a", "", "[UNK]"]]
    # Outside int mode the mask has no column: masked values encode as zeros.
    multi = layers.StringLookup(vocabulary=VOCABULARY, mask_token="", output_mode="multi_hot")
    assert numpy_of(multi([["a", "", ""]])).tolist() == [[0.0, 1.0, 0.0, 0.0, 0.0]]


@pytest.mark.parametrize(
    "output_mode, expected",
    [
        ("one_hot", [[0, 1, 0, 0, 0], [0, 0, 0, 1, 0], [1, 0, 0, 0, 0]]),
        ("multi_hot", [[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]]),
        ("count", [[0, 1, 0, 1, 2], [2, 0, 1, 0, 1]]),
    ],
)
def test_encoded_output_modes(output_mode, expected):
    layer = layers.StringLookup(vocabulary=VOCABULARY, output_mode=output_mode)
    data = ["a", "c", "z"] if output_mode == "one_hot" else DATA
    outputs = layer(data)
    assert ops.dtype(outputs) == "float32"
    np.testing.assert_array_equal(numpy_of(outputs), np.array(expected, dtype="float32"))


def test_tf_idf_given_and_adapted():
    layer = layers.StringLookup(output_mode="tf_idf")
    layer.set_vocabulary(VOCABULARY, idf_weights=[0.25, 0.75, 0.6, 0.4])
    expected = [[0.0, 0.25, 0.0, 0.6, 0.8], [1.0, 0.0, 0.75, 0.0, 0.4]]
    np.testing.assert_allclose(numpy_of(layer(DATA)), expected, rtol=1e-6)
    documents = [["a", "b"], ["a", "a"], ["c", "a"]]
    adapted = layers.StringLookup(output_mode="tf_idf")
    adapted.adapt(documents)
    assert adapted.get_vocabulary() == ["[UNK]", "a", "c", "b"]
    # idf = log(1 + num_documents / (1 + document_count)); the OOV slot gets the mean.
    idf = np.log(1 + 3 / (1 + np.array([3.0, 1.0, 1.0])))
    expected_weights = np.concatenate([[idf.mean()], idf])
    np.testing.assert_allclose(adapted.idf_weights, expected_weights, rtol=1e-6)
    counts = np.array([[0, 2, 1, 0]], dtype="float64")
    np.testing.assert_allclose(numpy_of(adapted([["a", "c", "a"]])), counts * expected_weights, rtol=1e-6)


def test_pad_to_max_tokens_and_vocabulary_file(tmp_path):
    layer = layers.StringLookup(
        vocabulary=VOCABULARY, output_mode="multi_hot", pad_to_max_tokens=True, max_tokens=8
    )
    assert numpy_of(layer([["a", "b"]])).shape == (1, 8)
    path = tmp_path / "vocabulary.txt"
    path.write_text("x\ny\nz\n", encoding="utf-8")
    from_file = layers.StringLookup(vocabulary=str(path))
    assert from_file.get_vocabulary() == ["[UNK]", "x", "y", "z"]
    assert numpy_of(from_file(["z", "q"])).tolist() == [3, 0]


def test_config_round_trip_and_assets(tmp_path):
    layer = layers.StringLookup(vocabulary=VOCABULARY, num_oov_indices=2, mask_token="", name="lookup")
    config = json.loads(json.dumps(layer.get_config()))
    assert config["vocabulary"] == VOCABULARY and "vocabulary_dtype" not in config
    assert config["encoding"] == "utf-8" and config["vocabulary_size"] == 7
    revived = layers.StringLookup.from_config(config)
    assert revived.get_vocabulary() == layer.get_vocabulary()
    adapted = layers.StringLookup(name="adapted")
    adapted.adapt(["x", "y", "y"])
    adapted.save_assets(str(tmp_path))
    assert (tmp_path / "vocabulary.txt").read_text(encoding="utf-8") == "[UNK]\ny\nx"
    restored = layers.StringLookup.from_config(adapted.get_config())
    restored.load_assets(str(tmp_path))
    assert restored.get_vocabulary() == adapted.get_vocabulary()


def test_symbolic_call_shapes_and_dtypes():
    strings = lamina.Input(shape=(3,), dtype="string")
    assert layers.StringLookup(vocabulary=VOCABULARY)(strings).dtype == "int64"
    encoded = layers.StringLookup(vocabulary=VOCABULARY, output_mode="count")(strings)
    assert encoded.shape == (None, 5) and encoded.dtype == "float32"
    one_hot = layers.StringLookup(vocabulary=VOCABULARY, output_mode="one_hot")(
        lamina.Input((1,), dtype="string")
    )
    assert one_hot.shape == (None, 5)


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match="StringLookup layer .*max_tokens"):
        layers.StringLookup(max_tokens=1)
    with pytest.raises(ValueError, match="StringLookup layer .*invert"):
        layers.StringLookup(invert=True, output_mode="count")
    with pytest.raises(ValueError, match="StringLookup layer .*repeats"):
        layers.StringLookup(vocabulary=["a", "a"])
    with pytest.raises(ValueError, match="StringLookup layer .*sparse"):
        layers.StringLookup(sparse=True)
    with pytest.raises(ValueError, match="StringLookup layer .*num_oov_indices=0"):
        layers.StringLookup(vocabulary=VOCABULARY, num_oov_indices=0)(["q"])
    with pytest.raises(RuntimeError, match="StringLookup layer .*vocabulary must be set"):
        layers.StringLookup(output_mode="multi_hot")(["a"])
    fixed = layers.StringLookup(vocabulary=VOCABULARY)
    with pytest.raises(ValueError, match="Cannot adapt StringLookup layer"):
        fixed.adapt(["a"])


def test_integer_lookup_vocabulary_oov_and_tensors():
    layer = layers.IntegerLookup(vocabulary=[12, 36, 1138, 42])
    data = np.array([[12, 1138, 42], [42, 1000, 36]])
    assert numpy_of(layer(data)).tolist() == [[1, 3, 4], [4, 0, 2]]
    assert numpy_of(layer(ops.convert_to_tensor(data))).tolist() == [[1, 3, 4], [4, 0, 2]]
    floormod = layers.IntegerLookup(vocabulary=[12, 36, 1138, 42], num_oov_indices=2)
    assert numpy_of(floormod([[12, 1000, 1001]])).tolist() == [[2, 0, 1]]
    hashed = layers.IntegerLookup(vocabulary=[12], num_oov_indices=3, oov_method="farmhash")
    assert numpy_of(hashed([1000, 7])).tolist() == [fingerprint64("1000") % 3, fingerprint64("7") % 3]
    inverse = layers.IntegerLookup(vocabulary=[12, 36, 1138, 42], invert=True)
    assert numpy_of(inverse([[1, 3, 4], [4, 0, 2]])).tolist() == [[12, 1138, 42], [42, -1, 36]]


def test_integer_lookup_adapt_mask_and_config():
    layer = layers.IntegerLookup(mask_token=0)
    layer.adapt(np.array([[5, 5, 7], [9, 7, 0]]))
    assert layer.get_vocabulary() == [0, -1, 7, 5, 9]
    assert numpy_of(layer([[7, 0, 3]])).tolist() == [[2, 0, 1]]
    config = json.loads(json.dumps(layer.get_config()))
    assert config["vocabulary_dtype"] == "int64" and config["mask_token"] == 0
    with pytest.raises(ValueError, match="vocabulary_dtype"):
        layers.IntegerLookup(vocabulary_dtype="int32")
    with pytest.raises(ValueError, match="IntegerLookup layer .*salt"):
        layers.IntegerLookup(salt=3)


@pytest.mark.parametrize("output_mode, shape", [("int", (2, 3)), ("count", (2, 11))])
def test_integer_lookup_through_the_harness(output_mode, shape):
    from layers.layer_test_case import run_layer_test

    data = np.array([[1, 5, 9], [0, 3, 3]], dtype="int32")
    outputs = run_layer_test(
        layers.IntegerLookup,
        init_kwargs={"vocabulary": list(range(10)), "output_mode": output_mode},
        input_data=data,
        input_dtype="int32",
        expected_output_shape=shape,
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
        run_gradient_check=False,
    )
    if output_mode == "int":
        np.testing.assert_array_equal(numpy_of(outputs), data + 1)
