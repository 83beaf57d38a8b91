"""`TorchDataLoaderAdapter`: batches from a `torch.utils.data.DataLoader`, on every backend.

lamina never imports torch here: a DataLoader is only iterated (its tensors
converted to NumPy), and a torch Dataset is wrapped with the DataLoader class of
the `torch.utils.data` module the user's object already loaded.
"""

import sys

from lamina.trainers.data_adapters.py_dataset_adapter import to_numpy_batch


def is_torch_data(value):
    """Whether `value` is a torch DataLoader or Dataset (checked without importing torch)."""
    return type(value).__module__.startswith("torch.utils.data") or any(
        cls.__module__.startswith("torch.utils.data") for cls in type(value).__mro__[1:]
    )


def is_torch_data_loader(value):
    return any(
        cls.__module__.startswith("torch.utils.data") and cls.__name__ == "DataLoader"
        for cls in type(value).__mro__
    )


class TorchDataLoaderAdapter:
    """Serves the batches of a torch DataLoader, one pass per epoch.

    A torch `Dataset` (of single samples) is first wrapped in a DataLoader with
    `batch_size` (default 32) and `shuffle`.

    Args:
        data: A `torch.utils.data.DataLoader` or `Dataset`.
        batch_size: Batch size used to wrap a Dataset; must be None for a DataLoader.
        shuffle: Whether the wrapping DataLoader shuffles (a DataLoader keeps its own setting).
        steps_per_epoch: Optional number of batches per epoch.
    """

    def __init__(self, data, batch_size=None, shuffle=False, steps_per_epoch=None):
        if not is_torch_data_loader(data):
            data_loader_class = sys.modules["torch.utils.data"].DataLoader
            data = data_loader_class(data, batch_size=batch_size or 32, shuffle=bool(shuffle))
        self.data_loader = data
        try:
            length = len(data)
        except TypeError:
            length = None
        if steps_per_epoch is not None:
            self.num_batches = steps_per_epoch if length is None else min(steps_per_epoch, length)
        else:
            self.num_batches = length

    def peek(self):
        """The first batch as `(x, y, sample_weight)` NumPy values."""
        for batch in self.data_loader:
            return to_numpy_batch(_as_tuple(batch))
        return (None, None, None)

    def batches(self):
        """Yields `(x, y, sample_weight)` NumPy batches for one epoch."""
        for step, batch in enumerate(self.data_loader):
            if self.num_batches is not None and step >= self.num_batches:
                break
            yield to_numpy_batch(_as_tuple(batch))


def _as_tuple(batch):
    # The default collate function turns a sample tuple (x, y) into a list [x, y].
    return tuple(batch) if isinstance(batch, list) else batch
