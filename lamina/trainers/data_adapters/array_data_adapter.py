"""`ArrayDataAdapter`: batches from in-memory arrays (NumPy, tensors, lists and dicts of them).

The arrays are converted to NumPy once. Each epoch draws a permutation (when
shuffling) and yields index batches; the backend trainer gathers the rows,
ideally on the device from arrays placed there once per `fit`.
"""

import math

import numpy as np
import optree

from lamina import ops


def _to_numpy(value):
    if value is None:
        return None
    if isinstance(value, np.ndarray):
        return value
    if ops.is_tensor(value) or hasattr(value, "numpy"):
        return np.asarray(ops.convert_to_numpy(value))
    return np.asarray(value)


def _convert_structure(value):
    if value is None:
        return None
    if (
        isinstance(value, (list, tuple))
        and value
        and all(not isinstance(v, (list, tuple, dict)) and np.ndim(v) > 0 for v in value)
    ):
        return [_to_numpy(item) for item in value]
    if isinstance(value, dict):
        return {key: _convert_structure(item) for key, item in value.items()}
    return _to_numpy(value)


def _lengths(value):
    return [
        int(leaf.shape[0]) if leaf.ndim else None for leaf in optree.tree_leaves(value, none_is_leaf=False)
    ]


class ArrayDataAdapter:
    """Serves `(x, y, sample_weight)` batches from arrays.

    Args:
        x: Input array(s): a NumPy array or tensor, a list or a dict of them.
        y: Target array(s), same structures, or None.
        sample_weight: Optional per-sample weights, shape `(num_samples,)`.
        batch_size: Samples per batch (default 32).
        steps_per_epoch: Optional cap on batches per epoch.
        shuffle: `True` (shuffle every epoch), `False`, or `"batch"`.
        class_weight: Optional dict mapping class index to a weight.
    """

    def __init__(
        self,
        x,
        y=None,
        sample_weight=None,
        batch_size=None,
        steps_per_epoch=None,
        shuffle=False,
        class_weight=None,
    ):
        self.x = _convert_structure(x)
        self.y = _convert_structure(y)
        self.sample_weight = _to_numpy(sample_weight)
        for name, value in (("x", self.x), ("y", self.y)):
            for leaf in optree.tree_leaves(value, none_is_leaf=False):
                if leaf.ndim == 0:
                    raise ValueError(
                        f"Expected {name} to hold arrays with a leading samples axis. "
                        f"Received a scalar: {leaf!r}."
                    )
        sizes = {"x": _lengths(self.x), "y": _lengths(self.y), "sample_weight": _lengths(self.sample_weight)}
        all_sizes = {size for values in sizes.values() for size in values}
        if len(all_sizes) > 1:
            described = "; ".join(
                f"{name} sizes: {', '.join(str(v) for v in values)}"
                for name, values in sizes.items()
                if values
            )
            raise ValueError(
                f"Data cardinality is ambiguous: {described}. Make sure all arrays "
                "contain the same number of samples."
            )
        self.num_samples = all_sizes.pop() if all_sizes else 0
        if class_weight is not None:
            self.sample_weight = _apply_class_weight(self.y, self.sample_weight, class_weight)
        self.batch_size = int(batch_size or 32)
        if self.batch_size <= 0:
            raise ValueError(f"batch_size must be a positive integer. Received: batch_size={batch_size}")
        self.shuffle = shuffle
        full_steps = math.ceil(self.num_samples / self.batch_size)
        self.num_batches = min(full_steps, steps_per_epoch) if steps_per_epoch else full_steps
        self.partial_batch_size = self.num_samples % self.batch_size

    def data(self):
        """The whole dataset as a `(x, y, sample_weight)` tuple of NumPy structures."""
        return (self.x, self.y, self.sample_weight)

    def index_batches(self, rng=None):
        """Yields int32 index arrays, one per batch, for one epoch."""
        if self.shuffle is True:
            order = (rng or np.random).permutation(self.num_samples).astype(np.int32)
        else:
            order = np.arange(self.num_samples, dtype=np.int32)
        for step in range(self.num_batches):
            indices = order[step * self.batch_size : (step + 1) * self.batch_size]
            if self.shuffle == "batch":
                indices = np.sort((rng or np.random).permutation(indices)).astype(np.int32)
            yield indices

    def get_batch(self, indices):
        """The NumPy batch `(x, y, sample_weight)` at `indices`."""
        return optree.tree_map(lambda a: a[indices], self.data(), none_is_leaf=False)

    def split(self, validation_split):
        """Returns `(train_data, validation_data)`: the first and last fractions.

        As in Keras, the split happens before any shuffling.
        """
        if not 0 < validation_split < 1:
            raise ValueError(f"validation_split must be between 0 and 1. Received: {validation_split}")
        split_at = int(self.num_samples * (1.0 - validation_split))
        if split_at == 0 or split_at == self.num_samples:
            raise ValueError(
                f"validation_split={validation_split} leaves no samples for training or "
                f"validation ({self.num_samples} samples in total)."
            )

        def head(a):
            return a[:split_at]

        def tail(a):
            return a[split_at:]

        return (
            optree.tree_map(head, self.data(), none_is_leaf=False),
            optree.tree_map(tail, self.data(), none_is_leaf=False),
        )


def contiguous_start(indices):
    """The first index when `indices` (any shape, read flat) is a run `start, start + 1, ...`; else None.

    Unshuffled epochs (evaluate, predict, `shuffle=False` or `"batch"`) serve
    such runs, which a backend can slice (a view) instead of gathering (a copy).

    Example:

    >>> contiguous_start(np.array([[4, 5], [6, 7]])), contiguous_start(np.array([3, 1]))
    (4, None)
    """
    flat = indices.reshape(-1)
    if not flat.size:
        return None
    start = int(flat[0])
    if int(flat[-1]) - start != flat.size - 1 or (flat.size > 2 and not np.all(np.diff(flat) == 1)):
        return None
    return start


def _apply_class_weight(y, sample_weight, class_weight):
    leaves = optree.tree_leaves(y, none_is_leaf=False)
    if len(leaves) != 1:
        raise ValueError("class_weight is only supported for models with a single output.")
    labels = leaves[0]
    if labels.ndim > 1 and labels.shape[-1] > 1:
        labels = np.argmax(labels, axis=-1)
    labels = labels.reshape(labels.shape[0], -1)[:, 0].astype(np.int64)
    weights = np.array([class_weight.get(int(label), 1.0) for label in labels], dtype=np.float32)
    if sample_weight is not None:
        weights = weights * sample_weight
    return weights
