"""`LearningRateScheduler`: sets the learning rate at the start of each epoch from a function."""

import numpy as np

from lamina.callbacks.callback import Callback
from lamina.callbacks.reduce_lr_on_plateau import learning_rate_value
from lamina.callbacks.reduce_lr_on_plateau import set_learning_rate_logs


class LearningRateScheduler(Callback):
    """Learning rate scheduler.

    At the beginning of every epoch, this callback gets the updated learning
    rate value from the `schedule` function, called with the current epoch and
    current learning rate, and applies it to the optimizer (the next training
    step uses it). It also logs the `learning_rate` at each epoch's end.

    Args:
        schedule: A function that takes an epoch index (integer, indexed
            from 0) and the current learning rate (float) as inputs and
            returns a new learning rate as output (float). A function taking
            only the epoch is accepted too.
        verbose: 0 (quiet) or 1 (prints a message each epoch).

    Example:

    >>> import numpy as np
    >>> import lamina
    >>> def scheduler(epoch, lr):
    ...     return lr if epoch < 2 else lr * 0.5
    >>> model = lamina.Sequential([lamina.Input((2,)), lamina.layers.Dense(1)])
    >>> model.compile(lamina.optimizers.SGD(learning_rate=0.1), loss="mse")
    >>> callback = lamina.callbacks.LearningRateScheduler(scheduler)
    >>> history = model.fit(np.ones((4, 2)), np.zeros((4, 1)), epochs=4, callbacks=[callback], verbose=0)
    >>> [round(value, 4) for value in history.history["learning_rate"]]
    [0.1, 0.1, 0.05, 0.025]
    """

    def __init__(self, schedule, verbose=0):
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose

    def _update_optimizer_lr(self, optimizer, epoch):
        if not hasattr(optimizer, "learning_rate"):
            raise ValueError('Optimizer must have a "learning_rate" attribute.')
        try:
            learning_rate = self.schedule(epoch, learning_rate_value(optimizer))
        except TypeError:
            # The older one-argument form: schedule(epoch).
            learning_rate = self.schedule(epoch)
        if not isinstance(learning_rate, (float, np.float32, np.float64)):
            raise ValueError(f"The output of the `schedule` function should be a float. Got: {learning_rate}")
        optimizer.learning_rate = learning_rate
        return learning_rate

    def on_epoch_begin(self, epoch, logs=None):
        # `model` writes a running JAX fit's state back, so the change reaches the next step.
        optimizer = self.model.optimizer
        inner = getattr(optimizer, "optimizers", None)
        if inner is not None:
            for each in inner:
                learning_rate = self._update_optimizer_lr(each, epoch)
                if self.verbose > 0:
                    print(
                        f"\nEpoch {epoch + 1}: LearningRateScheduler setting {each.name} learning rate "
                        f"to {learning_rate}."
                    )
            return
        learning_rate = self._update_optimizer_lr(optimizer, epoch)
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {learning_rate}.")

    def on_epoch_end(self, epoch, logs=None):
        set_learning_rate_logs(self.model.optimizer, logs if logs is not None else {})
