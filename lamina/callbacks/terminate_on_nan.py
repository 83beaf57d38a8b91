"""`TerminateOnNaN`: stops training (or raises) when the loss becomes NaN or infinite."""

import numpy as np

from lamina.callbacks.callback import Callback


class TerminateOnNaN(Callback):
    """Callback that terminates training when a NaN or Inf loss is encountered.

    It checks the `loss` of every training batch. By default it sets
    `model.stop_training = True`, so `fit` ends after that batch and the
    remaining callbacks still run their end-of-training hooks.

    Args:
        raise_error: If `True`, raise a `RuntimeError` at the bad batch
            instead of stopping training gracefully. Defaults to `False`.

    Example:

    >>> import lamina
    >>> class Model:
    ...     stop_training = False
    >>> model = Model()
    >>> callback = lamina.callbacks.TerminateOnNaN()
    >>> callback.set_model(model)
    >>> callback.on_batch_end(3, {"loss": float("nan")})
    Batch 3: Invalid loss, terminating training
    >>> model.stop_training
    True
    """

    def __init__(self, raise_error: bool = False):
        super().__init__()
        self.raise_error = raise_error

    def on_batch_end(self, batch, logs=None):
        """Checks the batch's `loss`: stops training (or raises) when it is NaN or infinite.

        Args:
            batch: Integer, index of the batch within the epoch.
            logs: Dict of the batch's results; only `"loss"` is read.
        """
        loss = (logs or {}).get("loss")
        if loss is None:
            return
        loss = float(loss)
        if np.isnan(loss) or np.isinf(loss):
            if self.raise_error:
                raise RuntimeError(
                    f"NaN or Inf loss encountered at batch {batch}. Loss value: {loss}. "
                    "Terminating training immediately."
                )
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True
