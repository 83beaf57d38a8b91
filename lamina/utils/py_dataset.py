"""`PyDataset`: a Python-indexable dataset of batches, read by `fit` / `evaluate` / `predict`."""

import warnings


class PyDataset:
    """Base class for datasets of batches, indexed by batch number.

    Subclasses implement `__len__` (the number of batches) and
    `__getitem__(index)` (one batch: `x`, `(x, y)` or `(x, y, sample_weight)`),
    and may override `on_epoch_begin` / `on_epoch_end` (e.g. to shuffle).
    A dataset without a known length overrides `num_batches` to return None;
    `fit` then needs `steps_per_epoch`.

    With `workers > 1`, batches are read ahead of the training step by a pool
    of threads (or of processes when `use_multiprocessing=True`; the dataset
    must then be picklable), at most `max_queue_size` at a time.

    Args:
        workers: Number of threads or processes reading batches (1: read in the
            training loop).
        use_multiprocessing: Whether the workers are processes rather than threads.
        max_queue_size: Most batches read ahead when `workers > 1`.

    Example:

    >>> import numpy as np
    >>> class Squares(PyDataset):
    ...     def __init__(self, **kwargs):
    ...         super().__init__(**kwargs)
    ...     def __len__(self):
    ...         return 3
    ...     def __getitem__(self, index):
    ...         x = np.full((2, 1), index, "float32")
    ...         return x, x**2
    >>> dataset = Squares()
    >>> dataset.num_batches
    3
    >>> dataset[2][1].ravel().tolist()
    [4.0, 4.0]
    """

    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10):
        self._workers = workers
        self._use_multiprocessing = use_multiprocessing
        self._max_queue_size = max_queue_size

    def _warn_if_super_not_called(self):
        if not hasattr(self, "_workers"):
            warnings.warn(
                "Your `PyDataset` class should call `super().__init__(**kwargs)` in its constructor. "
                "`**kwargs` can include `workers`, `use_multiprocessing`, `max_queue_size`. "
                "Do not pass these arguments to `fit()`, as they will be ignored.",
                stacklevel=3,
            )
            self._workers = 1
            self._use_multiprocessing = False
            self._max_queue_size = 10

    @property
    def workers(self):
        self._warn_if_super_not_called()
        return self._workers

    @workers.setter
    def workers(self, value):
        self._workers = value

    @property
    def use_multiprocessing(self):
        self._warn_if_super_not_called()
        return self._use_multiprocessing

    @use_multiprocessing.setter
    def use_multiprocessing(self, value):
        self._use_multiprocessing = value

    @property
    def max_queue_size(self):
        self._warn_if_super_not_called()
        return self._max_queue_size

    @max_queue_size.setter
    def max_queue_size(self, value):
        self._max_queue_size = value

    def __getitem__(self, index):
        """Returns batch number `index`."""
        raise NotImplementedError(f"{type(self).__name__} must implement `__getitem__(index)`.")

    @property
    def num_batches(self):
        """The number of batches (`len(self)`), or None for an endless dataset."""
        if hasattr(self, "__len__"):
            return len(self)
        raise NotImplementedError(
            f"{type(self).__name__} must implement `__len__`, or override the `num_batches` "
            "property (return None for an endless dataset)."
        )

    def on_epoch_begin(self):
        """Called at the start of every epoch."""

    def on_epoch_end(self):
        """Called at the end of every epoch."""


Sequence = PyDataset
