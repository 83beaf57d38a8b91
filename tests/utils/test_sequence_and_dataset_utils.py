"""pad_sequences (against keras.utils.pad_sequences), split_dataset and
timeseries_dataset_from_array (against a NumPy loop: Keras's version needs TensorFlow or Grain)."""

import itertools

import numpy as np
import pytest

import lamina

SEQUENCES = [[1, 2, 3], [4], [], [5, 6, 7, 8, 9]]


@pytest.mark.parametrize(
    "padding, truncating, maxlen", list(itertools.product(["pre", "post"], ["pre", "post"], [None, 2, 4]))
)
def test_pad_sequences_matches_keras(keras, padding, truncating, maxlen):
    kwargs = dict(maxlen=maxlen, padding=padding, truncating=truncating)
    ours = lamina.utils.pad_sequences(SEQUENCES, value=-1, **kwargs)
    theirs = keras.utils.pad_sequences(SEQUENCES, value=-1, **kwargs)
    assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize(
    "sequences, kwargs",
    [
        ([np.ones((2, 3)), np.zeros((1, 3))], {"dtype": "float32", "value": 0.5}),
        ([[0.5, 1.5], [2.5]], {"dtype": "float64", "padding": "post"}),
        ([["a", "b"], ["c"]], {"dtype": object, "value": "<pad>"}),
    ],
)
def test_pad_sequences_items_dtypes_and_strings_match_keras(keras, sequences, kwargs):
    ours = lamina.utils.pad_sequences(sequences, **kwargs)
    theirs = keras.utils.pad_sequences(sequences, **kwargs)
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    np.testing.assert_array_equal(ours, theirs)


def test_pad_sequences_maxlen_zero_gives_empty_rows():
    # Keras fails here (s[-0:] keeps the whole sequence); an empty (n, 0) array is the intent.
    assert lamina.utils.pad_sequences([[1, 2], [3]], maxlen=0).shape == (2, 0)


def test_pad_sequences_errors():
    with pytest.raises(ValueError, match="padding"):
        lamina.utils.pad_sequences([[1]], padding="middle")
    with pytest.raises(ValueError, match="truncating"):
        lamina.utils.pad_sequences([[1]], truncating="both")
    with pytest.raises(ValueError, match="string padding value"):
        lamina.utils.pad_sequences([[1]], value="x")
    with pytest.raises(ValueError, match="shape"):
        lamina.utils.pad_sequences([np.ones((1, 2)), np.ones((1, 3))])


@pytest.mark.parametrize(
    "left_size, right_size, expected",
    [(0.8, None, (8, 2)), (None, 3, (7, 3)), (2, 5, (2, 5)), (0.25, 0.25, (2, 2)), (None, 0.3, (7, 3))],
)
def test_split_dataset_sizes(left_size, right_size, expected):
    x = np.arange(10)
    y = np.arange(10) * 10
    left, right = lamina.utils.split_dataset((x, y), left_size=left_size, right_size=right_size)
    assert (len(left), len(right)) == expected
    np.testing.assert_array_equal(left.arrays[0], x[: expected[0]])
    np.testing.assert_array_equal(right.arrays[1], y[10 - expected[1] :])
    assert list(left)[0] == (0, 0)


def test_split_dataset_shuffle_is_seeded():
    x = np.arange(20)
    first = lamina.utils.split_dataset(x, left_size=0.5, shuffle=True, seed=3)
    again = lamina.utils.split_dataset(x, left_size=0.5, shuffle=True, seed=3)
    other = lamina.utils.split_dataset(x, left_size=0.5, shuffle=True, seed=4)
    order = np.random.RandomState(3).permutation(20)
    np.testing.assert_array_equal(first[0].arrays, order[:10])
    np.testing.assert_array_equal(first[1].arrays, order[10:])
    np.testing.assert_array_equal(again[0].arrays, first[0].arrays)
    assert not np.array_equal(other[0].arrays, first[0].arrays)
    assert sorted(np.concatenate([first[0].arrays, first[1].arrays]).tolist()) == list(range(20))


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({}, ValueError, "either"),
        ({"left_size": 1.5}, ValueError, "left_size"),
        ({"right_size": 10}, ValueError, "right_size"),
        ({"left_size": 0.7, "right_size": 0.6}, ValueError, "sum"),
        ({"left_size": 6, "right_size": 6}, ValueError, "at most"),
        ({"left_size": "half"}, TypeError, "left_size"),
    ],
)
def test_split_dataset_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        lamina.utils.split_dataset(np.arange(10), **kwargs)


def _reference_windows(data, targets, length, stride, rate, start, end):
    start = start or 0
    end = end or len(data)
    windows, window_targets = [], []
    position = start
    while position + (length - 1) * rate < end and (targets is None or position - start < len(targets)):
        windows.append(data[position : position + (length - 1) * rate + 1 : rate])
        if targets is not None:
            window_targets.append(targets[position])
        position += stride
    return np.array(windows), np.array(window_targets)


@pytest.mark.parametrize(
    "length, stride, rate, start, end, batch_size",
    [(3, 1, 1, None, None, 4), (4, 2, 3, None, None, 3), (2, 3, 2, 2, 17, 5), (5, 1, 1, 4, None, None)],
)
def test_timeseries_dataset_matches_numpy_reference(length, stride, rate, start, end, batch_size):
    data = np.arange(40, dtype="float32").reshape(20, 2)
    targets = np.arange(20) * 10
    dataset = lamina.utils.timeseries_dataset_from_array(
        data,
        targets,
        sequence_length=length,
        sequence_stride=stride,
        sampling_rate=rate,
        batch_size=batch_size,
        start_index=start,
        end_index=end,
    )
    windows, window_targets = _reference_windows(data, targets, length, stride, rate, start, end)
    if batch_size is None:
        got_windows = np.stack([dataset[i][0] for i in range(len(dataset))])
        got_targets = np.array([dataset[i][1] for i in range(len(dataset))])
    else:
        got_windows = np.concatenate([dataset[i][0] for i in range(len(dataset))])
        got_targets = np.concatenate([dataset[i][1] for i in range(len(dataset))])
        assert len(dataset) == -(-len(windows) // batch_size)
    np.testing.assert_array_equal(got_windows, windows)
    np.testing.assert_array_equal(got_targets, window_targets)


def test_timeseries_dataset_without_targets_and_shuffled():
    data = np.arange(12)
    plain = lamina.utils.timeseries_dataset_from_array(data, None, sequence_length=3, batch_size=20)
    np.testing.assert_array_equal(plain[0], _reference_windows(data, None, 3, 1, 1, None, None)[0])
    shuffled = lamina.utils.timeseries_dataset_from_array(
        data, data, sequence_length=3, batch_size=20, shuffle=True, seed=7
    )
    windows, targets = shuffled[0]
    order = np.arange(10)
    np.random.RandomState(7).shuffle(order)
    np.testing.assert_array_equal(windows[:, 0], order)
    np.testing.assert_array_equal(targets, order)
    assert isinstance(shuffled, lamina.utils.PyDataset)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"sampling_rate": 0}, "sampling_rate"),
        ({"sequence_stride": 10}, "sequence_stride"),
        ({"start_index": 10}, "start_index"),
        ({"start_index": 4, "end_index": 3}, "end_index"),
    ],
)
def test_timeseries_dataset_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        lamina.utils.timeseries_dataset_from_array(np.arange(10), None, sequence_length=2, **kwargs)
