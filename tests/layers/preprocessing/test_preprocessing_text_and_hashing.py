"""TextVectorization and Hashing: Keras's documented semantics and NumPy references, plus a small model."""

import json
import string

import numpy as np
import pytest

import lamina
from lamina import layers
from lamina import ops
from lamina.layers.preprocessing import string_hashing

SENTENCES = ["The cat sat on the mat.", "The dog ate my homework!", "A cat, a dog; the END"]


def numpy_of(x):
    return np.asarray(ops.convert_to_numpy(x))


def reference_tokens(text):
    text = text.lower()
    text = "".join(ch for ch in text if ch not in string.punctuation)
    return text.split()


def test_adapt_vocabulary_and_int_outputs_match_a_numpy_reference():
    layer = layers.TextVectorization()
    layer.adapt(SENTENCES)
    counts = {}
    for sentence in SENTENCES:
        for token in reference_tokens(sentence):
            counts[token] = counts.get(token, 0) + 1
    ordered = sorted(counts, key=lambda t: (counts[t], t.encode()), reverse=True)
    assert layer.get_vocabulary() == ["", "[UNK]"] + ordered
    index = {token: i + 2 for i, token in enumerate(ordered)}
    outputs = numpy_of(layer(["the cat", "a zebra sat down"]))
    assert outputs.tolist() == [[index["the"], index["cat"], 0, 0], [index["a"], 1, index["sat"], 1]]


def test_output_sequence_length_pads_and_truncates():
    layer = layers.TextVectorization(vocabulary=["a", "b", "c"], output_sequence_length=3)
    outputs = numpy_of(layer(np.array([["a b c a b"], ["c"]])))
    assert outputs.tolist() == [[2, 3, 4], [4, 0, 0]]
    assert layer(lamina.Input(shape=(1,), dtype="string")).shape == (None, 3)


@pytest.mark.parametrize(
    "standardize, split, expected",
    [
        ("lower", "whitespace", ["hello,", "world!"]),
        ("strip_punctuation", "whitespace", ["Hello", "World"]),
        (None, "character", list("Hi!")),
        (lambda x: np.char.upper(x), lambda x: [s.split("-") for s in x], ["A", "B"]),
    ],
)
def test_standardize_and_split_options(standardize, split, expected):
    text = {"character": "Hi!"}.get(split, "a-b" if callable(split) else "Hello, World!")
    layer = layers.TextVectorization(standardize=standardize, split=split)
    assert layer._preprocess(np.array([text])) == [expected]


def test_ngrams_join_with_a_space():
    layer = layers.TextVectorization(ngrams=2, standardize=None)
    assert layer._preprocess(["a b c"]) == [["a", "b", "c", "a b", "b c"]]
    widths = layers.TextVectorization(ngrams=(3,), standardize=None)
    assert widths._preprocess(["a b c d"]) == [["a b c", "b c d"]]


def test_multi_hot_count_and_tf_idf_outputs():
    vocabulary = ["the", "cat", "dog"]
    multi = layers.TextVectorization(vocabulary=vocabulary, output_mode="multi_hot")
    assert numpy_of(multi(["the cat the bird"])).tolist() == [[1.0, 1.0, 1.0, 0.0]]
    count = layers.TextVectorization(vocabulary=vocabulary, output_mode="count")
    assert numpy_of(count(["the cat the bird"])).tolist() == [[1.0, 2.0, 1.0, 0.0]]
    assert count(lamina.Input(shape=(), dtype="string")).shape == (None, 4)
    tf_idf = layers.TextVectorization(output_mode="tf_idf")
    tf_idf.adapt(["a b", "a c", "a"])
    vocabulary_learned = tf_idf.get_vocabulary()
    assert vocabulary_learned == ["[UNK]", "a", "c", "b"]
    idf = np.log(1 + 3 / (1 + np.array([3.0, 1.0, 1.0])))
    weights = np.concatenate([[idf.mean()], idf])
    np.testing.assert_allclose(numpy_of(tf_idf(["a a b z"])), [[1, 2, 0, 1] * weights], rtol=1e-6)


def test_config_round_trip_keeps_the_vocabulary():
    layer = layers.TextVectorization(max_tokens=10, ngrams=2, output_sequence_length=5, name="vectorizer")
    layer.adapt(SENTENCES)
    config = json.loads(json.dumps(layer.get_config()))
    assert config["vocabulary_size"] == layer.vocabulary_size() and config["ngrams"] == 2
    revived = layers.TextVectorization.from_config(config)
    revived.set_vocabulary(layer.get_vocabulary())
    np.testing.assert_array_equal(numpy_of(revived(SENTENCES)), numpy_of(layer(SENTENCES)))


def test_text_vectorization_errors_name_the_layer():
    with pytest.raises(ValueError, match="TextVectorization layer .*output_sequence_length"):
        layers.TextVectorization(output_mode="count", output_sequence_length=3)
    with pytest.raises(ValueError, match="TextVectorization layer .*ragged"):
        layers.TextVectorization(ragged=True)
    with pytest.raises(ValueError, match="TextVectorization layer .*split"):
        layers.TextVectorization(split="comma")
    with pytest.raises(ValueError, match="TextVectorization layer .*last axis of size 1"):
        layers.TextVectorization(vocabulary=["a"])(np.array([["a", "b"]]))


@pytest.mark.requires_trainable_backend
def test_adapted_vectorizer_feeds_a_trainable_model():
    lamina.utils.set_random_seed(0)
    texts = ["good movie", "great film", "bad movie", "awful film", "good great", "bad awful"]
    labels = np.array([[1.0], [1.0], [0.0], [0.0], [1.0], [0.0]], dtype="float32")
    vectorizer = layers.TextVectorization(output_sequence_length=2)
    vectorizer.adapt(texts)
    sequences = numpy_of(vectorizer(texts))
    model = lamina.Sequential(
        [
            lamina.Input(shape=(2,), dtype="int32"),
            layers.Embedding(vectorizer.vocabulary_size(), 4),
            layers.GlobalAveragePooling1D(),
            layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer=lamina.optimizers.Adam(0.05), loss="binary_crossentropy")
    history = model.fit(sequences.astype("int32"), labels, epochs=30, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]


# -- Hashing ---------------------------------------------------------------------------------


def test_fingerprint64_and_siphash_reference_vectors():
    assert string_hashing.fingerprint64("test") == 8581389452482819506
    assert string_hashing.fingerprint64("test" * 8) == 2**64 - 4196240717365766262
    assert string_hashing.fingerprint64("test" * 64) == 3500507768004279527
    assert string_hashing.fingerprint64("") == 11160318154034397263
    assert (
        string_hashing.fingerprint64("F7479877-4690-4A44-AFC9-8FE987EA512F:some_other_id")
        == 6862335115798125349
    )
    assert [string_hashing.fingerprint64(s) % 100 for s in "123"] == [49, 59, 21]
    key0, key1 = 0x0706050403020100, 0x0F0E0D0C0B0A0908
    expected = [0x726FDB47DD0E0E31, 0x74F839C593DC67FD, 0x0D6C8009D9A94F5A, 0x93F5F5799A932462]
    for length, value in zip([0, 1, 2, 8], expected):
        assert string_hashing.siphash24(bytes(range(length)), key0, key1) == value
    assert string_hashing.siphash24(bytes(range(15)), key0, key1) == 0xA129CA6149BE45E5


@pytest.mark.parametrize(
    "kwargs, data, expected",
    [
        ({"num_bins": 3}, ["A", "B", "C", "D", "E"], [1, 0, 1, 1, 2]),
        ({"num_bins": 3, "mask_value": ""}, ["A", "B", "", "C", "D"], [1, 1, 0, 2, 2]),
        ({"num_bins": 3, "salt": [133, 137]}, ["A", "B", "C", "D", "E"], [1, 2, 1, 0, 2]),
        ({"num_bins": 3, "salt": 133}, ["A", "B", "C", "D", "E"], [0, 0, 2, 1, 0]),
    ],
)
def test_hashing_documented_examples(kwargs, data, expected):
    outputs = layers.Hashing(**kwargs)(np.array(data)[:, None])
    assert numpy_of(outputs).ravel().tolist() == expected


def test_hashing_integers_encoded_modes_and_symbolic():
    integers = np.array([[1, 2], [3, 4]])
    expected = [[string_hashing.fingerprint64(str(v)) % 5 for v in row] for row in integers]
    assert numpy_of(layers.Hashing(num_bins=5)(ops.convert_to_tensor(integers))).tolist() == expected
    multi = numpy_of(layers.Hashing(num_bins=5, output_mode="multi_hot")(integers))
    reference = np.zeros((2, 5), dtype="float32")
    for row, bins in enumerate(expected):
        reference[row, bins] = 1.0
    np.testing.assert_array_equal(multi, reference)
    symbolic = layers.Hashing(num_bins=4, output_mode="one_hot")(lamina.Input(shape=(1,), dtype="string"))
    assert symbolic.shape == (None, 4) and symbolic.dtype == "float32"
    config = layers.Hashing(num_bins=4, salt=7, name="hash").get_config()
    assert config["salt"] == [7, 7] and layers.Hashing.from_config(config).get_config() == config


def test_hashing_errors_name_the_layer():
    with pytest.raises(ValueError, match="Hashing layer .*num_bins"):
        layers.Hashing(num_bins=0)
    with pytest.raises(ValueError, match="Hashing layer .*output_mode"):
        layers.Hashing(num_bins=2, output_mode="tf_idf")
    with pytest.raises(ValueError, match="Hashing layer .*salt"):
        layers.Hashing(num_bins=2, salt="x")
