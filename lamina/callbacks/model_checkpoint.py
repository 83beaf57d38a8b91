"""`ModelCheckpoint`: saves the model or its weights during `fit`, every epoch or every N batches."""

import os
import types
import warnings

import numpy as np

from lamina.callbacks.callback import Callback

# The metric classes Keras marks as "higher is better" / "lower is better" (their `_direction`).
_UP_METRICS = {
    "Accuracy",
    "BinaryAccuracy",
    "CategoricalAccuracy",
    "SparseCategoricalAccuracy",
    "TopKCategoricalAccuracy",
    "SparseTopKCategoricalAccuracy",
    "AUC",
    "Precision",
    "Recall",
    "PrecisionAtRecall",
    "RecallAtPrecision",
    "SensitivityAtSpecificity",
    "SpecificityAtSensitivity",
    "ConcordanceCorrelation",
    "PearsonCorrelation",
    "F1Score",
    "FBetaScore",
    "IoU",
    "BinaryIoU",
    "MeanIoU",
    "OneHotIoU",
    "OneHotMeanIoU",
    "CosineSimilarity",
    "R2Score",
}
_DOWN_METRICS = {
    "Hinge",
    "SquaredHinge",
    "CategoricalHinge",
    "BinaryCrossentropy",
    "CategoricalCrossentropy",
    "SparseCategoricalCrossentropy",
    "KLDivergence",
    "Poisson",
    "LogCoshError",
    "MeanAbsoluteError",
    "MeanAbsolutePercentageError",
    "MeanSquaredError",
    "MeanSquaredLogarithmicError",
    "RootMeanSquaredError",
}


def metric_direction(metric):
    """Returns `"up"`, `"down"` or None: whether higher or lower values of `metric` are better.

    A metric's own `_direction` attribute wins; otherwise the built-in metric
    classes carry Keras's directions, and metrics averaging a loss go down.

    Args:
        metric: A `lamina.metrics.Metric`.

    Returns:
        `"up"`, `"down"`, or None when unknown.

    Example:

    >>> import lamina
    >>> metric_direction(lamina.metrics.BinaryAccuracy()), metric_direction(lamina.metrics.MeanSquaredError())
    ('up', 'down')
    """
    direction = getattr(metric, "_direction", None)
    if direction in ("up", "down"):
        return direction
    for cls in type(metric).__mro__:
        if cls.__name__ in _UP_METRICS:
            return "up"
        if cls.__name__ in _DOWN_METRICS:
            return "down"
    # A metric that averages a loss function (Keras marks those "down").
    function = getattr(metric, "_fn", None)
    module = getattr(function, "__module__", None) or type(function).__module__
    if function is not None and module.startswith("lamina.losses"):
        return "down"
    return None


def resolve_monitor_op(callback_name, monitor, mode, model):
    """Returns `np.less` or `np.greater`: how `monitor` improves, as Keras's `mode` rules decide.

    Args:
        callback_name: The callback's class name, for the error message.
        monitor: The monitored log name, e.g. `"val_loss"` or `"accuracy"`.
        mode: `"min"`, `"max"` or `"auto"` (from the metric: `loss` and
            error metrics decrease, accuracy-like metrics increase).
        model: The model whose compiled metrics are searched in `"auto"` mode.

    Returns:
        `np.less` (lower is better) or `np.greater` (higher is better).

    Example:

    >>> resolve_monitor_op("ModelCheckpoint", "val_loss", "auto", model=None).__name__
    'less'
    >>> resolve_monitor_op("ModelCheckpoint", "val_auc", "max", model=None).__name__
    'greater'
    """
    if mode == "min":
        return np.less
    if mode == "max":
        return np.greater
    name = monitor.removeprefix("val_")
    operation = np.less if name == "loss" else None
    for metric in getattr(model, "metrics", None) or []:
        if getattr(metric, "name", None) == name:
            direction = metric_direction(metric)
            if direction is not None:
                operation = np.greater if direction == "up" else np.less
    if operation is None:
        raise ValueError(
            f"{callback_name} callback received monitor={monitor}, but lamina isn't able to "
            "automatically determine whether that metric should be maximized or minimized. "
            "Pass `mode='max'` in order to monitor based on the highest metric value, or pass "
            "`mode='min'` in order to use the lowest value."
        )
    return operation


def keep_batch_logs_lazy(callback, owner):
    """With `save_freq="epoch"`, hides `owner`'s batch hook so `fit` need not convert batch logs.

    `CallbackList` converts every batch's logs to Python floats (a device sync
    per step) when a callback overrides a batch hook; an epoch-saving callback
    never reads them. A subclass that overrides the hook itself keeps it.
    """
    if callback.save_freq == "epoch" and type(callback).on_train_batch_end is owner.on_train_batch_end:
        callback.on_train_batch_end = types.MethodType(Callback.on_train_batch_end, callback)


def check_save_freq(callback_name, save_freq):
    """Raises a `ValueError` naming `callback_name` unless `save_freq` is `"epoch"` or an integer.

    Example:

    >>> check_save_freq("ModelCheckpoint", 10)
    >>> check_save_freq("ModelCheckpoint", "batch")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: ModelCheckpoint: unrecognized save_freq. ...
    """
    if save_freq != "epoch" and (isinstance(save_freq, bool) or not isinstance(save_freq, int)):
        raise ValueError(
            f"{callback_name}: unrecognized save_freq. Expected 'epoch' or an integer number of "
            f"batches. Received: save_freq={save_freq!r}"
        )


class ModelCheckpoint(Callback):
    """Callback to save the Keras model or model weights at some frequency.

    Used with `model.fit()`, it saves the whole model (`model.save`) or only
    its weights (`model.save_weights`) at the end of every epoch, or every
    `save_freq` training batches, so training can be continued later from the
    saved state. With `save_best_only=True` it saves only when the monitored
    quantity improves on the best value seen so far.

    Args:
        filepath: String or `PathLike`, path to save the model file. It may
            contain named formatting options, filled with the value of `epoch`
            (1-based), `batch` (1-based, when saving by batch) and the keys of
            the logs, e.g. `"{epoch:02d}-{val_loss:.2f}.keras"`. It must end in
            `".weights.h5"` when `save_weights_only=True`, and in `".keras"`
            (or the legacy `".h5"`) otherwise.
        monitor: The metric name to monitor, e.g. `"val_loss"`, `"loss"` or
            `"val_accuracy"` (prefix `"val_"` for validation metrics).
        verbose: 0 (silent) or 1 (prints a message when the callback acts).
        save_best_only: If `True`, save only when the model is the best so far
            according to `monitor`. Without formatting options in `filepath`,
            each new best model overwrites the file.
        save_weights_only: If `True`, save only the weights
            (`model.save_weights(filepath)`), else the whole model
            (`model.save(filepath)`).
        mode: One of `"auto"`, `"min"`, `"max"`: whether the best value of
            `monitor` is the lowest or the highest. `"auto"` infers it from the
            metric (`loss` and errors: min; accuracy, AUC, precision...: max).
        save_freq: `"epoch"` (save after each epoch) or an integer: save after
            this many training batches (counted across epochs; with
            `steps_per_execution=N`, checked every N batches).
        initial_value_threshold: Floating point initial "best" value of the
            monitored metric, used with `save_best_only=True`: a model is saved
            only if it beats this value.

    Example:

    >>> import os, tempfile
    >>> import numpy as np
    >>> import lamina
    >>> model = lamina.Sequential([lamina.Input((2,)), lamina.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> directory = tempfile.mkdtemp()
    >>> checkpoint = lamina.callbacks.ModelCheckpoint(
    ...     os.path.join(directory, "{epoch:02d}.weights.h5"), save_weights_only=True
    ... )
    >>> x, y = np.ones((4, 2)), np.ones((4, 1))
    >>> _ = model.fit(x, y, epochs=2, verbose=0, callbacks=[checkpoint])
    >>> sorted(os.listdir(directory))
    ['01.weights.h5', '02.weights.h5']
    """

    def __init__(
        self,
        filepath,
        monitor="val_loss",
        verbose=0,
        save_best_only=False,
        save_weights_only=False,
        mode="auto",
        save_freq="epoch",
        initial_value_threshold=None,
    ):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            warnings.warn(f"ModelCheckpoint mode '{mode}' is unknown, fallback to auto mode.", stacklevel=2)
            mode = "auto"
        check_save_freq("ModelCheckpoint", save_freq)
        self.filepath = os.fspath(filepath)
        self.monitor = monitor
        self.verbose = verbose
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.mode = mode
        self.save_freq = save_freq
        self.best = initial_value_threshold
        self.monitor_op = None
        self._current_epoch = 0
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = None
        if save_weights_only:
            if not self.filepath.endswith(".weights.h5"):
                raise ValueError(
                    "When using `save_weights_only=True` in `ModelCheckpoint`, the filepath "
                    "provided must end in `.weights.h5` (Keras weights format). "
                    f"Received: filepath={self.filepath}"
                )
        elif not self.filepath.endswith((".keras", ".h5")):
            raise ValueError(
                "ModelCheckpoint: the filepath provided must end in `.keras` (Keras model format). "
                f"Received: filepath={self.filepath}"
            )
        keep_batch_logs_lazy(self, ModelCheckpoint)

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            self._save_model(epoch=epoch, batch=None, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        if self._should_save_on_batch(batch):
            self._save_model(epoch=self._current_epoch, batch=batch, logs=logs)

    def _should_save_on_batch(self, batch):
        if self.save_freq == "epoch":
            return False
        # Batch indices restart each epoch and jump by N with steps_per_execution=N.
        if self._last_batch_seen is None or batch <= self._last_batch_seen:
            added = batch + 1
        else:
            added = batch - self._last_batch_seen
        self._batches_seen_since_last_saving += added
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            return True
        return False

    def _is_improvement(self, current):
        if self.best is None:
            return True
        if self.monitor_op is None:
            self.monitor_op = resolve_monitor_op("ModelCheckpoint", self.monitor, self.mode, self.model)
        return bool(self.monitor_op(current, self.best))

    def _should_save_model(self, epoch, logs, filepath):
        if not self.save_best_only:
            if self.verbose > 0:
                print(f"\nEpoch {epoch + 1}: saving model to {filepath}")
            return True
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(f"Can save best model only with {self.monitor} available.", stacklevel=3)
            return True
        if np.ndim(current) > 0:
            warnings.warn(
                "Can save best model only when `monitor` is a scalar value. "
                f"Received: {current}. Falling back to `save_best_only=False`.",
                stacklevel=3,
            )
            return True
        current = float(current)
        best_text = "None" if self.best is None else f"{self.best:.5f}"
        if self._is_improvement(current):
            if self.verbose > 0:
                print(
                    f"\nEpoch {epoch + 1}: {self.monitor} improved from {best_text} to "
                    f"{current:.5f}, saving model to {filepath}"
                )
            self.best = current
            return True
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {best_text}")
        return False

    def _save_model(self, epoch, batch, logs):
        logs = logs or {}
        filepath = self._get_file_path(epoch, batch, logs)
        # Set up before the first save so a bad `monitor` fails early, as Keras does at epoch end.
        if self.save_best_only and self.monitor_op is None and self.monitor in logs:
            self.monitor_op = resolve_monitor_op("ModelCheckpoint", self.monitor, self.mode, self.model)
        if not self._should_save_model(epoch, logs, filepath):
            return
        if os.path.isdir(filepath):
            raise OSError(
                "Please specify a non-directory filepath for ModelCheckpoint. Filepath used is an "
                f"existing directory: {filepath}"
            )
        directory = os.path.dirname(filepath)
        if directory:
            os.makedirs(directory, exist_ok=True)
        if self.save_weights_only:
            self.model.save_weights(filepath, overwrite=True)
        else:
            self.model.save(filepath, overwrite=True)
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: finished saving model to {filepath}")

    def _get_file_path(self, epoch, batch, logs):
        """The checkpoint path: `filepath` formatted with the 1-based epoch (and batch) and the logs."""
        try:
            if batch is None or "batch" in logs:
                return self.filepath.format(epoch=epoch + 1, **logs)
            return self.filepath.format(epoch=epoch + 1, batch=batch + 1, **logs)
        except KeyError as error:
            raise KeyError(
                f'Failed to format this callback filepath: "{self.filepath}". Reason: {error}'
            ) from error
