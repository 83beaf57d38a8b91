"""`History`: records each epoch's logs; `fit` returns it."""

from lamina.callbacks.callback import Callback
from lamina.utils.logs_utils import to_python_number


class History(Callback):
    """Callback that records events into a `History` object.

    Every `fit` call adds one automatically and returns it. After each epoch
    it appends every log value to `history[name]` and sets `model.history`.

    Attributes:
        history: Dict mapping each log name (`"loss"`, `"val_loss"`, ...) to
            the list of its per-epoch values (Python floats).
        epoch: List of the epoch indices recorded by the latest `fit`.

    Example:

    >>> import lamina
    >>> history = lamina.callbacks.History()
    >>> history.on_train_begin()
    >>> history.on_epoch_end(0, {"loss": 0.5})
    >>> history.on_epoch_end(1, {"loss": 0.25})
    >>> history.history
    {'loss': [0.5, 0.25]}
    >>> history.epoch
    [0, 1]
    """

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []

    def on_train_begin(self, logs=None):
        # Like Keras: a new fit restarts `epoch` but keeps appending to `history`.
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for name, value in (logs or {}).items():
            self.history.setdefault(name, []).append(to_python_number(value))
        # `_model`, not `model`: setting an attribute needs no weight sync.
        if self._model is not None:
            self._model.history = self
