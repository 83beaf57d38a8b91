"""`LambdaCallback`: a callback built from plain functions, one per hook."""

from lamina.callbacks.callback import Callback


class LambdaCallback(Callback):
    r"""Callback for creating simple, custom callbacks on-the-fly.

    Each given function replaces the hook of the same name and is called with
    the same arguments:

    - `on_epoch_begin` and `on_epoch_end` expect two positional arguments:
      `epoch`, `logs`
    - `on_train_begin` and `on_train_end` expect one positional argument:
      `logs`
    - `on_train_batch_begin` and `on_train_batch_end` expect two positional
      arguments: `batch`, `logs`
    - Any other hook (`on_test_begin`, `on_predict_batch_end`, ...) can be
      passed as a keyword argument too.

    Args:
        on_epoch_begin: Called at the beginning of every epoch.
        on_epoch_end: Called at the end of every epoch.
        on_train_begin: Called at the beginning of model training.
        on_train_end: Called at the end of model training.
        on_train_batch_begin: Called at the beginning of every train batch.
        on_train_batch_end: Called at the end of every train batch.
        **kwargs: Any function in `Callback` that you want to override, by
            passing `function_name=function`. For example,
            `LambdaCallback(.., on_train_end=train_end_fn)`.

    Example:

    >>> import lamina
    >>> seen = []
    >>> callback = lamina.callbacks.LambdaCallback(
    ...     on_epoch_end=lambda epoch, logs: seen.append((epoch, logs["loss"])),
    ...     on_test_begin=lambda logs: seen.append("test"),
    ... )
    >>> callback.on_epoch_end(0, {"loss": 0.5})
    >>> callback.on_test_begin({})
    >>> seen
    [(0, 0.5), 'test']
    """

    def __init__(
        self,
        on_epoch_begin=None,
        on_epoch_end=None,
        on_train_begin=None,
        on_train_end=None,
        on_train_batch_begin=None,
        on_train_batch_end=None,
        **kwargs,
    ):
        super().__init__()
        self.__dict__.update(kwargs)
        hooks = {
            "on_epoch_begin": on_epoch_begin,
            "on_epoch_end": on_epoch_end,
            "on_train_begin": on_train_begin,
            "on_train_end": on_train_end,
            "on_train_batch_begin": on_train_batch_begin,
            "on_train_batch_end": on_train_batch_end,
        }
        for name, function in hooks.items():
            if function is not None:
                setattr(self, name, function)
