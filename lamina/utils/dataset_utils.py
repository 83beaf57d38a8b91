"""`split_dataset`: splits arrays (or tuples of arrays) into a left and a right dataset."""

import random

import numpy as np
import optree


class ArrayDataset:
    """Samples held in NumPy arrays: `x`, or a tuple such as `(x, y)`.

    Indexing gives one sample (a tuple of rows when the dataset holds a tuple);
    `len()` is the number of samples. `fit`, `evaluate` and `predict` accept it
    as `x` directly: its arrays are batched with their `batch_size` (and
    shuffled with their `shuffle`), as if passed as `x, y, sample_weight`.

    Args:
        arrays: A NumPy array, or a tuple/list of arrays with the same length.

    Example:

    >>> import numpy as np
    >>> dataset = ArrayDataset((np.arange(3), np.arange(3) * 10))
    >>> len(dataset), dataset[2]
    (3, (np.int64(2), np.int64(20)))
    """

    def __init__(self, arrays):
        self.arrays = arrays

    def __len__(self):
        return int(np.shape(optree.tree_leaves(self.arrays)[0])[0])

    def __getitem__(self, index):
        if isinstance(self.arrays, (tuple, list)):
            return tuple(array[index] for array in self.arrays)
        return self.arrays[index]

    def __iter__(self):
        for index in range(len(self)):
            yield self[index]


def _split_sizes(left_size, right_size, total):
    for name, size in (("left_size", left_size), ("right_size", right_size)):
        if size is not None and type(size) not in (int, float):
            raise TypeError(
                f"split_dataset: `{name}` must be an int, a float or None. "
                f"Received: type({name})={type(size)}"
            )
        bad_int = type(size) is int and not 0 < size < total
        bad_float = type(size) is float and not 0 < size < 1
        if bad_int or bad_float:
            raise ValueError(
                f"split_dataset: `{name}` should be either a positive integer smaller than {total}, "
                f"or a float within the range `[0, 1]`. Received: {name}={size}"
            )
    if type(left_size) is float and type(right_size) is float and left_size + right_size > 1:
        raise ValueError("split_dataset: the sum of `left_size` and `right_size` must be at most 1.")
    left = round(left_size * total) if type(left_size) is float else left_size
    right = round(right_size * total) if type(right_size) is float else right_size
    if left is None:
        left = total - right
    elif right is None:
        right = total - left
    if left + right > total:
        raise ValueError(
            f"split_dataset: left_size + right_size ({left + right}) must be at most the number of "
            f"samples ({total})."
        )
    for side, size in (("left", left), ("right", right)):
        if size == 0:
            raise ValueError(
                f"split_dataset: with {total} samples, left_size={left_size} and right_size={right_size} "
                f"leave the {side} split empty. Adjust the sizes."
            )
    return int(left), int(right)


def split_dataset(dataset, left_size=None, right_size=None, shuffle=False, seed=None):
    """Splits a dataset into a left half and a right half (e.g. train / test).

    The left split takes the first `left_size` samples and the right split the
    last `right_size` samples (after shuffling, if asked).

    Args:
        dataset: A NumPy array, a tuple or list of arrays with the same length,
            or an `ArrayDataset`.
        left_size: Float in `(0, 1)`: the fraction of samples in the left split;
            int: its number of samples; None: the complement of `right_size`.
        right_size: Same, for the right split.
        shuffle: Whether to shuffle the samples before splitting.
        seed: Random seed for the shuffle (the same seed gives the same split).

    Returns:
        A tuple of two `ArrayDataset`s, usable as `x` in `fit`.

    Example:

    >>> import numpy as np
    >>> left, right = split_dataset((np.arange(10), np.arange(10)), left_size=0.8)
    >>> len(left), len(right)
    (8, 2)
    >>> right[0]
    (np.int64(8), np.int64(8))
    """
    if isinstance(dataset, ArrayDataset):
        dataset = dataset.arrays
    if isinstance(dataset, list):
        dataset = tuple(dataset)
    is_tuple = isinstance(dataset, tuple)
    arrays = [np.asarray(array) for array in (dataset if is_tuple else (dataset,))]
    if not arrays or not hasattr(arrays[0], "shape") or arrays[0].ndim == 0:
        raise TypeError(
            "split_dataset: `dataset` must be a NumPy array or a tuple/list of arrays. "
            f"Received: {type(dataset).__name__}"
        )
    total = len(arrays[0])
    if any(len(array) != total for array in arrays):
        raise ValueError(
            "split_dataset: all arrays must have the same number of samples. "
            f"Received lengths {[len(array) for array in arrays]}."
        )
    if left_size is None and right_size is None:
        raise ValueError("split_dataset: you must specify either `left_size` or `right_size`.")
    left, right = _split_sizes(left_size, right_size, total)
    if shuffle:
        if seed is None:
            seed = random.randint(0, int(1e6))
        order = np.random.RandomState(seed).permutation(total)
        arrays = [array[order] for array in arrays]
    left_arrays = [array[:left] for array in arrays]
    right_arrays = [array[total - right :] for array in arrays]
    if not is_tuple:
        return ArrayDataset(left_arrays[0]), ArrayDataset(right_arrays[0])
    return ArrayDataset(tuple(left_arrays)), ArrayDataset(tuple(right_arrays))
