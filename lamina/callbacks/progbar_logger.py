"""`ProgbarLogger`: prints the progress bar and metrics during `fit`, `evaluate`, `predict`."""

import sys

from lamina.callbacks.callback import Callback
from lamina.utils.logs_utils import flatten_logs
from lamina.utils.progbar import Progbar


class ProgbarLogger(Callback):
    """Callback that prints metrics to stdout.

    `fit`, `evaluate` and `predict` add one automatically when `verbose` is
    not 0. With `verbose=1` it draws a live bar per epoch; with `verbose=2`
    one line per epoch. `"Epoch i/N"` heads each epoch when `N > 1`. During
    `fit`, validation is silent; its `val_` results end the epoch's line.

    The trainer logs running means, so values are displayed as logged
    (never re-averaged), and only converted to Python floats when a line is
    actually drawn.

    Example:

    >>> import lamina
    >>> logger = lamina.callbacks.ProgbarLogger()
    >>> logger.set_params({"verbose": 2, "epochs": 1, "steps": 2})
    >>> logger.on_train_begin()
    >>> logger.on_epoch_begin(0)
    >>> logger.on_train_batch_end(0, {"loss": 0.75})
    >>> logger.on_train_batch_end(1, {"loss": 0.5})
    >>> logger.on_epoch_end(0, {"loss": 0.5})  # doctest: +ELLIPSIS
    2/2 - 0s - ...s/step - loss: 0.5000
    """

    def __init__(self):
        super().__init__()
        self.seen = 0
        self.progbar = None
        self.target = None
        self.verbose = 1
        self.epochs = 1
        self._called_in_fit = False

    def set_params(self, params):
        super().set_params(params)
        verbose = params.get("verbose", 1)
        self.verbose = 1 if verbose == "auto" else verbose
        self.epochs = params.get("epochs", 1)
        self.target = params.get("steps")

    def on_train_begin(self, logs=None):
        self._called_in_fit = True

    def on_train_end(self, logs=None):
        self._called_in_fit = False

    def on_test_begin(self, logs=None):
        if not self._called_in_fit:
            self._reset_progbar()
            self._maybe_init_progbar()

    def on_predict_begin(self, logs=None):
        self._reset_progbar()
        self._maybe_init_progbar()

    def on_epoch_begin(self, epoch, logs=None):
        self._reset_progbar()
        self._maybe_init_progbar()
        if self.verbose and self.epochs > 1:
            sys.stdout.write(f"Epoch {epoch + 1}/{self.epochs}\n")
            sys.stdout.flush()

    def on_train_batch_end(self, batch, logs=None):
        self._update_progbar(batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        if not self._called_in_fit:
            self._update_progbar(batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        # The batch's predictions are not metrics.
        self._update_progbar(batch, None)

    def on_epoch_end(self, epoch, logs=None):
        self._finalize_progbar(logs)

    def on_test_end(self, logs=None):
        if not self._called_in_fit:
            self._finalize_progbar(logs)

    def on_predict_end(self, logs=None):
        self._finalize_progbar(logs)

    def _reset_progbar(self):
        self.seen = 0
        self.progbar = None

    def _maybe_init_progbar(self):
        if self.progbar is None:
            self.progbar = Progbar(
                target=self.target,
                verbose=self.verbose,
                unit_name="step",
                stateless_metrics=set(),
            )

    def _update_progbar(self, batch, logs=None):
        self._maybe_init_progbar()
        self.seen = batch + 1
        if self.verbose == 1:
            self.progbar.update(self.seen, list(flatten_logs(logs).items()), finalize=False)

    def _finalize_progbar(self, logs):
        self._maybe_init_progbar()
        if self.target is None:
            # Unknown length (a generator): the epoch just told us.
            self.target = self.seen
            self.progbar.target = self.seen
        self.progbar.update(self.target, list(flatten_logs(logs).items()), finalize=True)
