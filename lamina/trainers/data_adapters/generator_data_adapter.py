"""`GeneratorDataAdapter`: batches from a Python generator or iterator."""

import itertools

import numpy as np
import optree

from lamina import ops
from lamina.trainers.data_adapters.data_adapter_utils import unpack_x_y_sample_weight


def _to_numpy(value):
    if value is None or isinstance(value, np.ndarray):
        return value
    if ops.is_tensor(value):
        return np.asarray(ops.convert_to_numpy(value))
    return np.asarray(value)


class GeneratorDataAdapter:
    """Serves batches a generator yields: `x`, `(x, y)` or `(x, y, sample_weight)`.

    Args:
        generator: A Python generator or iterator. Without `steps_per_epoch` an
            epoch ends when it is exhausted (so it is consumed once).
        steps_per_epoch: Optional number of batches per epoch.
    """

    def __init__(self, generator, steps_per_epoch=None):
        self._iterator = iter(generator)
        self.num_batches = steps_per_epoch
        self._peeked = None
        first = next(self._iterator, None)
        if first is None:
            raise ValueError("The generator passed as x yielded no data.")
        self._peeked = first

    def peek(self):
        """The next batch as `(x, y, sample_weight)` NumPy values, without consuming it."""
        if self._peeked is None:
            self._peeked = next(self._iterator, None)
        if self._peeked is None:
            return (None, None, None)
        x, y, sample_weight = unpack_x_y_sample_weight(self._peeked)
        return optree.tree_map(_to_numpy, (x, y, sample_weight), none_is_leaf=False)

    def batches(self):
        """Yields `(x, y, sample_weight)` NumPy batches for one epoch."""
        iterator = self._iterator
        if self._peeked is not None:
            iterator = itertools.chain([self._peeked], iterator)
            self._peeked = None
        if self.num_batches is not None:
            iterator = itertools.islice(iterator, self.num_batches)
        for data in iterator:
            x, y, sample_weight = unpack_x_y_sample_weight(data)
            yield optree.tree_map(_to_numpy, (x, y, sample_weight), none_is_leaf=False)
