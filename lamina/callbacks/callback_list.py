"""`CallbackList`: calls every hook of a list of callbacks, adding `History` and `ProgbarLogger`."""

from lamina.callbacks.callback import Callback
from lamina.callbacks.callback import is_overridden
from lamina.callbacks.history import History
from lamina.callbacks.progbar_logger import ProgbarLogger
from lamina.utils.logs_utils import pythonify_logs

# Built-in callbacks that read batch logs lazily (they convert only what they show).
_LAZY_BATCH_READERS = (History, ProgbarLogger)

_BATCH_HOOKS = {
    "train": ("on_train_batch_begin", "on_train_batch_end", "on_batch_begin", "on_batch_end"),
    "test": ("on_test_batch_begin", "on_test_batch_end"),
    "predict": ("on_predict_batch_begin", "on_predict_batch_end"),
}


def _flatten_callbacks(callbacks):
    flat = []
    for item in callbacks or []:
        if isinstance(item, (list, tuple)):
            flat.extend(_flatten_callbacks(item))
        elif item is not None:
            flat.append(item)
    return flat


class CallbackList(Callback):
    """Container that dispatches each hook to a list of callbacks.

    `fit`, `evaluate` and `predict` build one; build one yourself to drive
    callbacks from a custom training loop. Epoch-level logs reach callbacks
    as a flat, key-sorted dict of Python floats. Batch-level logs are passed
    through unconverted (they may hold backend scalars, and converting them
    would wait for the device every step) unless one of your callbacks
    overrides a batch hook, in which case they are converted like Keras does.

    Args:
        callbacks: List of `Callback` instances (nested lists are flattened).
        add_history: Whether to add a `History` callback if the list has none.
        add_progbar: Whether to add a `ProgbarLogger` if the list has none.
        model: The model the callbacks observe.
        **params: Training parameters passed to each callback's `set_params`
            (`verbose`, `epochs`, `steps`).

    Example:

    >>> import lamina
    >>> callbacks = lamina.callbacks.CallbackList(add_history=True, epochs=2, steps=1, verbose=0)
    >>> callbacks.on_train_begin()
    >>> for epoch in range(2):
    ...     callbacks.on_epoch_begin(epoch)
    ...     callbacks.on_epoch_end(epoch, {"loss": 1.0 / (epoch + 1)})
    >>> callbacks.on_train_end()
    >>> callbacks.callbacks[0].history
    {'loss': [1.0, 0.5]}
    """

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None, **params):
        super().__init__()
        self.callbacks = _flatten_callbacks(callbacks)
        self._in_begin_end_block_count = 0
        self._convert_batch_logs_cache = None
        self._add_default_callbacks(add_history, add_progbar)
        self.set_model(model)
        self.set_params(params)

    def _add_default_callbacks(self, add_history, add_progbar):
        self._history = None
        self._progbar = None
        for callback in self.callbacks:
            if isinstance(callback, ProgbarLogger):
                self._progbar = callback
            elif isinstance(callback, History):
                self._history = callback
        if self._history is None and add_history:
            self._history = History()
            self.callbacks.append(self._history)
        if self._progbar is None and add_progbar:
            self._progbar = ProgbarLogger()
            self.callbacks.append(self._progbar)

    def set_params(self, params):
        self.params = params
        if params:
            for callback in self.callbacks:
                callback.set_params(params)

    def set_model(self, model):
        if model is None:
            return
        super().set_model(model)
        if self._history is not None:
            model.history = self._history
        for callback in self.callbacks:
            callback.set_model(model)

    def observes_batches(self, mode):
        """Whether a callback other than `History` / `ProgbarLogger` has a `mode` batch hook.

        Such a callback reads every batch's logs (so they become floats), and
        `fit` / `evaluate` / `predict` then run one step per call so that it
        sees every batch; otherwise they may run several steps per call.

        Args:
            mode: `"train"`, `"test"` or `"predict"`.

        Returns:
            A bool.
        """
        key = tuple(id(callback) for callback in self.callbacks)
        if self._convert_batch_logs_cache is None or self._convert_batch_logs_cache[0] != key:
            modes = {
                name: any(
                    type(callback) not in _LAZY_BATCH_READERS and is_overridden(callback, hook)
                    for callback in self.callbacks
                    for hook in hooks
                )
                for name, hooks in _BATCH_HOOKS.items()
            }
            self._convert_batch_logs_cache = (key, modes)
        return self._convert_batch_logs_cache[1][mode]

    def _dispatch_batch(self, mode, hook, batch, logs):
        # Predict logs hold the batch's outputs (arrays): nothing to convert.
        if mode != "predict" and self.observes_batches(mode):
            logs = pythonify_logs(logs)
        elif logs is None:
            logs = {}
        for callback in self.callbacks:
            getattr(callback, hook)(batch, logs=logs)

    def _dispatch(self, hook, *args, logs=None):
        logs = pythonify_logs(logs)
        for callback in self.callbacks:
            getattr(callback, hook)(*args, logs)

    def _on_begin(self):
        self._in_begin_end_block_count += 1

    def _on_end(self):
        self._in_begin_end_block_count -= 1
        if self._in_begin_end_block_count < 0:
            self._in_begin_end_block_count = 0
            raise ValueError(
                "CallbackList: an on_train_end/on_test_end/on_predict_end hook was called "
                "without its matching on_*_begin. Call on_*_begin first."
            )

    def on_batch_begin(self, batch, logs=None):
        self._dispatch_batch("train", "on_batch_begin", batch, logs)

    def on_batch_end(self, batch, logs=None):
        self._dispatch_batch("train", "on_batch_end", batch, logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._dispatch("on_epoch_begin", epoch, logs=logs)

    def on_epoch_end(self, epoch, logs=None):
        self._dispatch("on_epoch_end", epoch, logs=logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._dispatch_batch("train", "on_train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self._dispatch_batch("train", "on_train_batch_end", batch, logs)

    def on_test_batch_begin(self, batch, logs=None):
        self._dispatch_batch("test", "on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        self._dispatch_batch("test", "on_test_batch_end", batch, logs)

    def on_predict_batch_begin(self, batch, logs=None):
        self._dispatch_batch("predict", "on_predict_batch_begin", batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._dispatch_batch("predict", "on_predict_batch_end", batch, logs)

    def on_train_begin(self, logs=None):
        self._on_begin()
        self._dispatch("on_train_begin", logs=logs)

    def on_train_end(self, logs=None):
        self._dispatch("on_train_end", logs=logs)
        self._on_end()

    def on_test_begin(self, logs=None):
        self._on_begin()
        self._dispatch("on_test_begin", logs=logs)

    def on_test_end(self, logs=None):
        self._dispatch("on_test_end", logs=logs)
        self._on_end()

    def on_predict_begin(self, logs=None):
        self._on_begin()
        self._dispatch("on_predict_begin", logs=logs)

    def on_predict_end(self, logs=None):
        self._dispatch("on_predict_end", logs=logs)
        self._on_end()
