"""`CSVLogger`: streams each epoch's logs to a CSV file."""

import collections
import collections.abc
import csv
import os

import numpy as np

from lamina.callbacks.callback import Callback


def _format_value(value):
    """A CSV cell: strings as they are, sequences as a quoted `"[a, b]"`, numbers unchanged."""
    if isinstance(value, str):
        return value
    is_zero_dimensional = isinstance(value, np.ndarray) and value.ndim == 0
    if isinstance(value, collections.abc.Iterable) and not is_zero_dimensional:
        return f'"[{", ".join(map(str, value))}]"'
    return value


class CSVLogger(Callback):
    """Callback that streams epoch results to a CSV file.

    Each row holds the epoch index and every log value (sorted by name); the
    header is written once. Values that can be turned into strings are
    supported, including 1D iterables such as `np.ndarray`. When the first
    epoch's logs hold no validation results, `val_` columns are added anyway
    (filled with `NA`) so later validation epochs fit the header.

    Args:
        filename: Filename of the CSV file, e.g. `"run/log.csv"`.
        separator: String used to separate elements in the CSV file.
        append: Boolean. `True`: append if the file exists (useful for
            continuing training; no second header). `False`: overwrite the
            existing file.

    Example:

    >>> import os, tempfile
    >>> import lamina
    >>> filename = os.path.join(tempfile.mkdtemp(), "training.log")
    >>> logger = lamina.callbacks.CSVLogger(filename)
    >>> logger.on_train_begin()
    >>> logger.on_epoch_end(0, {"loss": 0.5, "val_loss": 0.75})
    >>> logger.on_train_end()
    >>> with open(filename) as file:
    ...     print(file.read().replace("\\r", ""), end="")
    epoch,loss,val_loss
    0,0.5,0.75
    """

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        self.sep = separator
        self.filename = os.fspath(filename)
        self.append = append
        self.writer = None
        self.keys = None
        self.append_header = True
        self.csv_file = None

    def on_train_begin(self, logs=None):
        if self.append:
            if os.path.exists(self.filename):
                with open(self.filename) as existing:
                    self.append_header = not bool(len(existing.readline()))
            mode = "a"
        else:
            mode = "w"
        if self.csv_file and not self.csv_file.closed:
            self.csv_file.close()
        self.csv_file = open(self.filename, mode)  # noqa: SIM115 - kept open across epochs, closed at train end.
        self.writer = None
        self.keys = None

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.keys is None:
            self.keys = sorted(logs.keys())
            if self.keys and not any(key.startswith("val_") for key in self.keys):
                self.keys.extend([f"val_{key}" for key in self.keys])
        if not self.writer:
            separator = self.sep

            class Dialect(csv.excel):
                delimiter = separator

            self.writer = csv.DictWriter(self.csv_file, fieldnames=["epoch"] + self.keys, dialect=Dialect)
            if self.append_header:
                self.writer.writeheader()
        row = collections.OrderedDict({"epoch": epoch})
        row.update((key, _format_value(logs.get(key, "NA"))) for key in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs=None):
        if self.csv_file and not self.csv_file.closed:
            self.csv_file.close()
        self.writer = None
