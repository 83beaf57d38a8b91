"""The recurrent text classifiers of examples/sequence_classifier.py learn the negation task."""

import importlib.util
import pathlib

import numpy as np
import pytest

_EXAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples" / "sequence_classifier.py"


def _load_example():
    spec = importlib.util.spec_from_file_location("sequence_classifier", _EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_reviews_are_padded_and_labelled_by_their_negation_aware_score():
    example = _load_example()
    x, y = example.make_reviews(200, seed=3)
    scores = example.word_scores()
    for words, label in zip(x, y[:, 0]):
        length = int(np.count_nonzero(words))
        assert np.all(words[:length] > 0) and np.all(words[length:] == 0)
        total, sign = 0, 1
        for word in words[:length]:
            if word == example.NEGATION:
                sign = -1
            else:
                total, sign = total + sign * scores[word], 1
        assert total != 0 and label == (total > 0)
    # Negation matters: ignoring it would mislabel a sizeable share of the reviews.
    plain = np.array([scores[words].sum() > 0 for words in x])
    assert np.mean(plain != y[:, 0]) > 0.15


@pytest.mark.requires_trainable_backend
@pytest.mark.parametrize("kind", ["lstm", "gru", "bidirectional"])
def test_sequence_classifier_reaches_high_test_accuracy(kind):
    example = _load_example()
    test_loss, test_accuracy = example.main(kind, verbose=0)
    assert test_accuracy >= 0.95
    assert test_loss < 0.2
