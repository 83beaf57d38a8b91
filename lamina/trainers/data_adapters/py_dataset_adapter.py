"""`PyDatasetAdapter`: batches from a `lamina.utils.PyDataset`, optionally read ahead by workers.

Read-ahead uses a `concurrent.futures` pool that lives for one epoch. At most
`max_queue_size` batches are pending; the epoch's generator cancels them and
shuts the pool down in a `finally`, so an exception in `__getitem__`, a
`stop_training` break or the end of the epoch never leaves a thread or
process waiting on a queue.
"""

import collections
import concurrent.futures
import itertools
import multiprocessing
import random

import numpy as np
import optree

from lamina import ops
from lamina.trainers.data_adapters.array_data_adapter import _apply_class_weight
from lamina.trainers.data_adapters.data_adapter_utils import unpack_x_y_sample_weight

_worker_dataset = None


def _set_worker_dataset(dataset):
    global _worker_dataset
    _worker_dataset = dataset


def _worker_get_item(index):
    return _worker_dataset[index]


def to_numpy_batch(data, class_weight=None):
    """`(x, y, sample_weight)` of one batch, with every array converted to NumPy."""

    def convert(value):
        if value is None or isinstance(value, np.ndarray):
            return value
        if ops.is_tensor(value):
            return np.asarray(ops.convert_to_numpy(value))
        if hasattr(value, "detach") and hasattr(value, "cpu"):
            # A torch tensor while another backend runs: no torch import needed.
            return value.detach().cpu().numpy()
        if hasattr(value, "to_numpy"):
            return value.to_numpy()
        return np.asarray(value)

    x, y, sample_weight = optree.tree_map(convert, unpack_x_y_sample_weight(data), none_is_leaf=False)
    if class_weight is not None and y is not None:
        sample_weight = _apply_class_weight(y, sample_weight, class_weight)
    return x, y, sample_weight


class PyDatasetAdapter:
    """Serves the batches of a `PyDataset`, one epoch per call of `batches()`.

    Args:
        dataset: A `lamina.utils.PyDataset`.
        shuffle: Whether to visit the batches in a new random order every epoch
            (finite datasets only).
        class_weight: Optional dict mapping class index to a weight (single output).
        steps_per_epoch: Optional number of batches per epoch; needed when the
            dataset's `num_batches` is None (endless).
    """

    def __init__(self, dataset, shuffle=False, steps_per_epoch=None, class_weight=None):
        self.dataset = dataset
        self.class_weight = class_weight
        self.shuffle = bool(shuffle) and dataset.num_batches is not None
        self._length = dataset.num_batches
        if self._length is None and steps_per_epoch is None:
            raise ValueError(
                f"The PyDataset {type(dataset).__name__} has no length (num_batches is None): "
                "pass steps_per_epoch (fit) or steps (evaluate/predict)."
            )
        if steps_per_epoch is None:
            self.num_batches = self._length
        elif self._length is None:
            self.num_batches = steps_per_epoch
        else:
            self.num_batches = min(steps_per_epoch, self._length)
        from lamina.random.seed_generator import _draw_python_seed

        self._rng = random.Random(_draw_python_seed())

    def peek(self):
        """The first batch as `(x, y, sample_weight)` NumPy values (read directly, not from a worker)."""
        return to_numpy_batch(self.dataset[0], self.class_weight)

    def _indices(self):
        if self._length is None:
            return itertools.islice(itertools.count(), self.num_batches)
        order = list(range(self._length))
        if self.shuffle:
            self._rng.shuffle(order)
        return iter(order[: self.num_batches])

    def batches(self):
        """Yields `(x, y, sample_weight)` NumPy batches for one epoch."""
        self.dataset.on_epoch_begin()
        indices = self._indices()
        workers = self.dataset.workers
        if workers > 1 or self.dataset.use_multiprocessing:
            yield from self._read_ahead(indices, max(1, workers))
        else:
            for index in indices:
                yield to_numpy_batch(self.dataset[index], self.class_weight)
        self.dataset.on_epoch_end()

    def _read_ahead(self, indices, workers):
        dataset = self.dataset
        if dataset.use_multiprocessing:
            executor = concurrent.futures.ProcessPoolExecutor(
                max_workers=workers,
                mp_context=multiprocessing.get_context(),
                initializer=_set_worker_dataset,
                initargs=(dataset,),
            )
            submit = lambda index: executor.submit(_worker_get_item, index)  # noqa: E731
        else:
            executor = concurrent.futures.ThreadPoolExecutor(
                max_workers=workers, thread_name_prefix="lamina_py_dataset"
            )
            submit = lambda index: executor.submit(dataset.__getitem__, index)  # noqa: E731
        pending = collections.deque()
        try:
            for index in itertools.islice(indices, max(1, dataset.max_queue_size)):
                pending.append(submit(index))
            while pending:
                batch = pending.popleft().result()
                for index in itertools.islice(indices, 1):
                    pending.append(submit(index))
                yield to_numpy_batch(batch, self.class_weight)
        finally:
            for future in pending:
                future.cancel()
            executor.shutdown(wait=False, cancel_futures=True)
