"""`SwapEMAWeights`: evaluates and predicts with the optimizer's moving averages of the weights."""

import numpy as np

from lamina import ops
from lamina.callbacks.callback import Callback


class SwapEMAWeights(Callback):
    """Swaps model weights and EMA weights before and after evaluation.

    The optimizer must be created with `use_ema=True`: it then keeps an
    exponential moving average (EMA) of every trainable variable. This
    callback puts the EMA weights into the model for evaluation and
    prediction (including the validation inside `fit`) and puts the trained
    weights back afterwards. With `swap_on_epoch=True` the EMA weights are
    also swapped in at the end of each epoch, so that callbacks such as
    `ModelCheckpoint` see (and save) the EMA weights, and swapped out at the
    start of the next epoch.

    Note: `SwapEMAWeights` must come before callbacks that should see the
    EMA weights (e.g. `ModelCheckpoint`) in the callback list.

    Args:
        swap_on_epoch: Whether to swap in the EMA weights at the end of each
            epoch (and back at the start of the next). Defaults to `False`.

    Example:

    >>> import numpy as np
    >>> import lamina
    >>> model = lamina.Sequential([lamina.Input((2,)), lamina.layers.Dense(1)])
    >>> model.compile(optimizer=lamina.optimizers.SGD(use_ema=True), loss="mse")
    >>> x, y = np.ones((8, 2)), np.ones((8, 1))
    >>> history = model.fit(x, y, epochs=2, validation_data=(x, y), verbose=0,
    ...                     callbacks=[lamina.callbacks.SwapEMAWeights()])
    >>> sorted(history.history)
    ['loss', 'val_loss']
    """

    def __init__(self, swap_on_epoch=False):
        super().__init__()
        self.swap_on_epoch = swap_on_epoch
        self._ema_weights_in_model = False

    def _swap_optimizer_variables(self, optimizer):
        for variable, average in _pairs(optimizer):
            if average is None:
                continue
            # A copy: on CPU torch, convert_to_numpy may share memory with the variable.
            trained = np.array(ops.convert_to_numpy(variable), copy=True)
            variable.assign(average.value)
            average.assign(trained)

    def _finalize_optimizer_values(self, optimizer):
        for variable, average in _pairs(optimizer):
            if average is not None:
                average.assign(variable.value)

    def _ema_optimizers(self):
        """The optimizers holding moving averages (inside a LossScaleOptimizer or a multi-optimizer)."""
        # `model` writes a running JAX fit's state back so the swap changes what the next step reads.
        optimizer = self.model.optimizer
        optimizer = getattr(optimizer, "inner_optimizer", optimizer)
        inner = getattr(optimizer, "optimizers", None)
        if inner is not None:
            if not any(getattr(each, "use_ema", False) for each in inner):
                raise ValueError(
                    "SwapEMAWeights must be used when at least one inner optimizer has `use_ema=True` "
                    "set. Received a MultiOptimizer with all inner optimizers having `use_ema=False`."
                )
            candidates = [each for each in inner if getattr(each, "use_ema", False)]
        else:
            candidates = [optimizer]
        for each in candidates:
            if not hasattr(each, "_model_variables_moving_average"):
                raise ValueError(
                    "SwapEMAWeights must be used when `use_ema=True` is set on the optimizer. "
                    f"Received: use_ema={getattr(each, 'use_ema', None)}"
                )
        return candidates

    def _swap_variables(self):
        for optimizer in self._ema_optimizers():
            self._swap_optimizer_variables(optimizer)

    def _finalize_ema_values(self):
        for optimizer in self._ema_optimizers():
            self._finalize_optimizer_values(optimizer)

    def on_epoch_begin(self, epoch, logs=None):
        if self.swap_on_epoch and self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = False

    def on_epoch_end(self, epoch, logs=None):
        if self.swap_on_epoch and not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True
            # After the last epoch the model keeps the EMA weights: make the
            # averages equal to them so that finalizing (averages -> weights) keeps them.
            if epoch == self.params["epochs"] - 1:
                self._finalize_ema_values()

    def on_test_begin(self, logs=None):
        if not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True

    def on_test_end(self, logs=None):
        if self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = False

    def on_predict_begin(self, logs=None):
        if not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True

    def on_predict_end(self, logs=None):
        if self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = False


def _pairs(optimizer):
    """(trainable variable, its moving average) pairs of an optimizer built with `use_ema=True`."""
    return zip(optimizer._trainable_variables, optimizer._model_variables_moving_average)
