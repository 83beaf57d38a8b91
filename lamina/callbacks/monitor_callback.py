"""`MonitorCallback`: base of callbacks watching one logged quantity (EarlyStopping, ReduceLROnPlateau)."""

import warnings

from lamina.callbacks.callback import Callback
from lamina.callbacks.model_checkpoint import resolve_monitor_op


class MonitorCallback(Callback):
    """Base class for callbacks that act when a monitored quantity stops improving.

    Args:
        monitor: The log name to watch, e.g. `"val_loss"` or `"accuracy"`.
        mode: `"min"`, `"max"` or `"auto"` (the direction is inferred from
            the metric: `loss` and errors decrease, accuracy-like metrics
            increase). Unknown modes warn and fall back to `"auto"`.
        baseline: Initial best value, or `None`.
        min_delta: Smallest change that counts as an improvement (its sign is
            ignored).

    Example:

    >>> callback = MonitorCallback(monitor="loss", mode="min", min_delta=0.1)
    >>> callback._set_monitor_op()
    >>> callback._is_improvement(0.85, 1.0), callback._is_improvement(0.95, 1.0)
    (True, False)
    """

    def __init__(self, monitor="val_loss", mode="auto", baseline=None, min_delta=0):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            warnings.warn(
                f"{self.__class__.__name__} mode '{mode}' is unknown, fallback to auto mode.", stacklevel=3
            )
            mode = "auto"
        self.monitor = monitor
        self.mode = mode
        self.best = baseline
        self.min_delta = abs(min_delta)
        self.monitor_op = None

    def _set_monitor_op(self):
        """Chooses `np.less` or `np.greater` for `monitor` (the model's metrics are built by now)."""
        self.monitor_op = resolve_monitor_op(self.__class__.__name__, self.monitor, self.mode, self.model)
        # Improving means going below `best - min_delta` when lower is better.
        if self.monitor_op.__name__ == "less":
            self.min_delta *= -1

    def _is_improvement(self, monitor_value, reference_value):
        if reference_value is None:
            return True
        return bool(self.monitor_op(monitor_value - self.min_delta, reference_value))
