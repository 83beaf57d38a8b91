"""`ReduceLROnPlateau`: lowers the optimizer's learning rate when a metric stops improving."""

import warnings

import numpy as np

from lamina import ops
from lamina.callbacks.monitor_callback import MonitorCallback


def learning_rate_value(optimizer):
    """The optimizer's current learning rate as a Python float.

    Example:

    >>> import lamina
    >>> learning_rate_value(lamina.optimizers.SGD(learning_rate=0.5))
    0.5
    """
    return float(ops.convert_to_numpy(optimizer.learning_rate))


def set_learning_rate_logs(optimizer, logs):
    """Writes `learning_rate` (or `learning_rate_<name>` per inner optimizer) into `logs`."""
    if hasattr(optimizer, "optimizers"):
        for inner in optimizer.optimizers:
            logs[f"learning_rate_{inner.name}"] = learning_rate_value(inner)
    else:
        logs["learning_rate"] = learning_rate_value(optimizer)


class ReduceLROnPlateau(MonitorCallback):
    """Reduce learning rate when a metric has stopped improving.

    Models often benefit from reducing the learning rate by a factor of 2-10
    once learning stagnates. This callback monitors a quantity and, if no
    improvement is seen for `patience` epochs, multiplies the learning rate
    by `factor` (the change reaches the next training step). It also logs the
    current `learning_rate` each epoch.

    Args:
        monitor: Quantity to be monitored. Defaults to `"val_loss"`.
        factor: Factor by which the learning rate is reduced:
            `new_lr = lr * factor`. Must be below 1. Defaults to `0.1`.
        patience: Number of epochs with no improvement after which the
            learning rate is reduced. Defaults to `10`.
        verbose: 0 (quiet) or 1 (prints a message when the rate changes).
        mode: One of `"auto"`, `"min"`, `"max"`: whether the monitored
            quantity should decrease (`"min"`), increase (`"max"`), or follow
            the metric's direction (`"auto"`).
        min_delta: Threshold for measuring the new optimum, to only focus on
            significant changes. Defaults to `1e-4`.
        cooldown: Number of epochs to wait before resuming normal operation
            after the learning rate has been reduced. Defaults to `0`.
        min_lr: Lower bound on the learning rate. Defaults to `0.0`.

    Example:

    >>> import lamina
    >>> optimizer = lamina.optimizers.SGD(learning_rate=0.1)
    >>> model = lamina.Sequential([lamina.Input((1,)), lamina.layers.Dense(1)])
    >>> model.compile(optimizer=optimizer, loss="mse")
    >>> callback = lamina.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1)
    >>> callback.set_model(model)
    >>> callback.on_train_begin()
    >>> for epoch, loss in enumerate([1.0, 1.0, 1.0]):
    ...     callback.on_epoch_end(epoch, {"loss": loss})
    >>> round(float(lamina.ops.convert_to_numpy(optimizer.learning_rate)), 4)
    0.025
    """

    def __init__(
        self,
        monitor="val_loss",
        factor=0.1,
        patience=10,
        verbose=0,
        mode="auto",
        min_delta=1e-4,
        cooldown=0,
        min_lr=0.0,
        **kwargs,
    ):
        super().__init__(monitor, mode, min_delta=min_delta)
        if factor >= 1.0:
            raise ValueError(f"ReduceLROnPlateau does not support a factor >= 1.0. Received factor={factor}")
        self.factor = factor
        self.min_lr = min_lr
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.cooldown_counter = 0
        self.wait = 0

    def _reset(self):
        """Resets the wait and cooldown counters and the best value."""
        self.best = None
        self.cooldown_counter = 0
        self.wait = 0

    def _reduce_optimizer_lr(self, optimizer, epoch, name=""):
        old_lr = learning_rate_value(optimizer)
        if old_lr <= np.float32(self.min_lr):
            return False
        new_lr = max(old_lr * self.factor, self.min_lr)
        optimizer.learning_rate = new_lr
        if self.verbose > 0:
            name_text = f" {name}" if name else ""
            print(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing{name_text} learning rate to {new_lr}.")
        return True

    def on_train_begin(self, logs=None):
        self._reset()

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op()
        logs = logs if logs is not None else {}
        # `model` writes a running JAX fit's state back, so the change reaches the next step.
        optimizer = self.model.optimizer
        set_learning_rate_logs(optimizer, logs)
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(
                f"Learning rate reduction is conditioned on metric `{self.monitor}` which is not "
                f"available. Available metrics are: {','.join(list(logs.keys()))}.",
                stacklevel=2,
            )
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self._is_improvement(current, self.best):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience:
                inner = getattr(optimizer, "optimizers", None)
                if inner is not None:
                    reduced = [self._reduce_optimizer_lr(each, epoch, each.name) for each in inner]
                else:
                    reduced = [self._reduce_optimizer_lr(optimizer, epoch)]
                if any(reduced):
                    self.cooldown_counter = self.cooldown
                    self.wait = 0

    def in_cooldown(self):
        """Whether the callback is in its cooldown period after a reduction."""
        return self.cooldown_counter > 0
