"""`timeseries_dataset_from_array`: batches of sliding windows over a time series."""

import numpy as np

from lamina.utils.py_dataset import PyDataset


class TimeseriesDataset(PyDataset):
    """The batches of windows `timeseries_dataset_from_array` returns (a `PyDataset`).

    Args:
        data: Array of timesteps, indexed along axis 0.
        targets: Optional array; window `i` gets `targets[start_index + start_i]`.
        start_positions: Start of every window, relative to `start_index`.
        sequence_length: Timesteps per window.
        sampling_rate: Step between the timesteps of a window.
        batch_size: Windows per batch, or None for single windows.
        start_index: Offset of the first usable timestep.
    """

    def __init__(
        self, data, targets, start_positions, sequence_length, sampling_rate, batch_size, start_index
    ):
        super().__init__()
        self.data = data
        self.targets = targets
        self.start_positions = start_positions
        self.batch_size = batch_size
        self._offsets = np.arange(sequence_length) * sampling_rate
        self._start_index = start_index

    def __len__(self):
        if self.batch_size is None:
            return len(self.start_positions)
        return -(-len(self.start_positions) // self.batch_size)

    def __getitem__(self, index):
        if not -len(self) <= index < len(self):
            raise IndexError(f"TimeseriesDataset index {index} is out of range for {len(self)} batches.")
        index = index % len(self)
        if self.batch_size is None:
            starts = self.start_positions[index : index + 1]
        else:
            starts = self.start_positions[index * self.batch_size : (index + 1) * self.batch_size]
        starts = starts + self._start_index
        windows = self.data[starts[:, None] + self._offsets[None, :]]
        if self.targets is None:
            return windows[0] if self.batch_size is None else windows
        targets = self.targets[starts]
        if self.batch_size is None:
            return windows[0], targets[0]
        return windows, targets


def _check_positive(name, value, length):
    if value <= 0:
        raise ValueError(
            f"timeseries_dataset_from_array: `{name}` must be higher than 0. Received: {name}={value}"
        )
    if value >= length:
        raise ValueError(
            f"timeseries_dataset_from_array: `{name}` must be lower than the length of the data. "
            f"Received: {name}={value}, for data of length {length}"
        )


def timeseries_dataset_from_array(
    data,
    targets,
    sequence_length,
    sequence_stride=1,
    sampling_rate=1,
    batch_size=128,
    shuffle=False,
    seed=None,
    start_index=None,
    end_index=None,
):
    """Creates a dataset of sliding windows over a timeseries provided as an array.

    Window `i` holds the timesteps `data[s_i], data[s_i + sampling_rate], ...`
    (`sequence_length` of them), where `s_i = start_index + i * sequence_stride`;
    its target is `targets[s_i]`. Keras returns a `tf.data.Dataset`; lamina
    returns a `PyDataset` of NumPy batches, which `fit`, `evaluate`, `predict`
    and a `for` loop accept.

    Args:
        data: NumPy array (or list) of timesteps, axis 0 being time.
        targets: Targets for the windows (same length as `data`), or None.
        sequence_length: Length of each window.
        sequence_stride: Offset between the starts of consecutive windows.
        sampling_rate: Offset between consecutive timesteps inside a window.
        batch_size: Windows per batch (the last may be smaller); None yields
            single windows.
        shuffle: Whether to shuffle the windows (the order of their start
            positions, once, with `seed`).
        seed: Optional random seed for shuffling.
        start_index: Optional first timestep index to use (inclusive).
        end_index: Optional last timestep index to use (exclusive).

    Returns:
        A `PyDataset` whose batches are `windows` or `(windows, targets)`,
        windows having shape `(batch, sequence_length) + data.shape[1:]`.

    Example:

    >>> import numpy as np
    >>> dataset = timeseries_dataset_from_array(
    ...     np.arange(6), np.arange(6) * 10, sequence_length=3, batch_size=2
    ... )
    >>> len(dataset)
    2
    >>> windows, targets = dataset[0]
    >>> windows.tolist(), targets.tolist()
    ([[0, 1, 2], [1, 2, 3]], [0, 10])
    """
    data = np.asarray(data)
    if targets is not None:
        targets = np.asarray(targets)
    length = len(data)
    if start_index:
        if start_index < 0:
            raise ValueError(
                f"timeseries_dataset_from_array: `start_index` must be 0 or greater. Received: {start_index}"
            )
        if start_index >= length:
            raise ValueError(
                "timeseries_dataset_from_array: `start_index` must be lower than the length of the data. "
                f"Received: start_index={start_index}, for data of length {length}"
            )
    if end_index:
        if start_index and end_index <= start_index:
            raise ValueError(
                "timeseries_dataset_from_array: `end_index` must be higher than `start_index`. "
                f"Received: start_index={start_index}, and end_index={end_index}"
            )
        if end_index >= length:
            raise ValueError(
                "timeseries_dataset_from_array: `end_index` must be lower than the length of the data. "
                f"Received: end_index={end_index}, for data of length {length}"
            )
        if end_index <= 0:
            raise ValueError(
                f"timeseries_dataset_from_array: `end_index` must be higher than 0. Received: {end_index}"
            )
    _check_positive("sampling_rate", sampling_rate, length)
    _check_positive("sequence_stride", sequence_stride, length)
    start_index = start_index or 0
    end_index = end_index or length
    num_sequences = end_index - start_index - (sequence_length - 1) * sampling_rate
    if targets is not None:
        num_sequences = min(num_sequences, len(targets))
    start_positions = np.arange(0, max(num_sequences, 0), sequence_stride, dtype=np.int64)
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(start_positions)
    return TimeseriesDataset(
        data, targets, start_positions, sequence_length, sampling_rate, batch_size, start_index
    )
