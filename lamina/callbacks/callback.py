"""`Callback`: the base class of objects that hook into `fit`, `evaluate` and `predict`."""


class Callback:
    """Base class used to build new callbacks.

    Callbacks passed to `fit()`, `evaluate()` and `predict()` hook into the
    stages of training, evaluation and inference. Subclass `Callback` and
    override the methods (`on_epoch_end`, `on_train_batch_end`, ...) for the
    stages you care about; the others do nothing.

    Logs passed to batch-level hooks may hold backend scalars (0-d JAX or
    PyTorch arrays) rather than Python floats: converting them forces the
    host to wait for the device, so lamina converts only where something
    reads them. `float(logs["loss"])` works on either. Epoch-level logs
    (`on_epoch_end`, `on_test_end`, ...) always hold Python floats.

    Attributes:
        params: Dict of training parameters (`verbose`, `epochs`, `steps`),
            or `None` before `set_params` is called.
        model: The model being trained, evaluated or run.

    Example:

    >>> import lamina
    >>> class CountEpochs(lamina.callbacks.Callback):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.count = 0
    ...     def on_epoch_end(self, epoch, logs=None):
    ...         self.count += 1
    >>> callback = CountEpochs()
    >>> for epoch in range(3):
    ...     callback.on_epoch_end(epoch, {"loss": 0.5})
    >>> callback.count
    3
    """

    def __init__(self):
        self.params = None
        self._model = None

    def set_params(self, params):
        """Sets the training parameters dict (`verbose`, `epochs`, `steps`)."""
        self.params = params

    def set_model(self, model):
        """Sets the model the callback observes."""
        self._model = model

    @property
    def model(self):
        """The model, with its Variables up to date.

        The JAX trainer keeps live training state outside the Variables during
        `fit`; reading `model` writes it back first so callbacks see (and may
        change) current weights.
        """
        model = self._model
        # A torch DistributedDataParallel wrapper: callbacks want the user's model.
        if type(model).__name__ == "DistributedDataParallel" and hasattr(model, "module"):
            model = model.module
        sync = getattr(model, "_sync_state_to_variables", None)
        if sync is not None:
            sync()
        return model

    def on_batch_begin(self, batch, logs=None):
        """Legacy alias of `on_train_batch_begin` (called by it)."""

    def on_batch_end(self, batch, logs=None):
        """Legacy alias of `on_train_batch_end` (called by it)."""

    def on_epoch_begin(self, epoch, logs=None):
        """Called at the start of an epoch during `fit`.

        Args:
            epoch: Integer, index of the epoch.
            logs: Dict, currently empty.
        """

    def on_epoch_end(self, epoch, logs=None):
        """Called at the end of an epoch during `fit`.

        Args:
            epoch: Integer, index of the epoch.
            logs: Dict of metric results for this epoch, plus `val_`-prefixed
                validation results when validation ran, e.g.
                `{"loss": 0.2, "accuracy": 0.7, "val_loss": 0.3}`.
        """

    def on_train_batch_begin(self, batch, logs=None):
        """Called at the start of a training batch in `fit`.

        With `steps_per_execution=N`, called once every `N` batches.

        Args:
            batch: Integer, index of the batch within the epoch.
            logs: Dict, currently empty.
        """
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        """Called at the end of a training batch in `fit`.

        Args:
            batch: Integer, index of the batch within the epoch.
            logs: Dict of metric results aggregated up to this batch.
        """
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch, logs=None):
        """Called at the start of a batch in `evaluate` (and of validation in `fit`).

        Args:
            batch: Integer, index of the batch.
            logs: Dict, currently empty.
        """

    def on_test_batch_end(self, batch, logs=None):
        """Called at the end of a batch in `evaluate` (and of validation in `fit`).

        Args:
            batch: Integer, index of the batch.
            logs: Dict of metric results aggregated up to this batch.
        """

    def on_predict_batch_begin(self, batch, logs=None):
        """Called at the start of a batch in `predict`.

        Args:
            batch: Integer, index of the batch.
            logs: Dict, currently empty.
        """

    def on_predict_batch_end(self, batch, logs=None):
        """Called at the end of a batch in `predict`.

        Args:
            batch: Integer, index of the batch.
            logs: Dict with the batch's `"outputs"`.
        """

    def on_train_begin(self, logs=None):
        """Called at the start of `fit`.

        Args:
            logs: Dict, currently empty.
        """

    def on_train_end(self, logs=None):
        """Called at the end of `fit`.

        Args:
            logs: Dict, the logs of the last epoch.
        """

    def on_test_begin(self, logs=None):
        """Called at the start of `evaluate` (and of each validation run in `fit`).

        Args:
            logs: Dict, currently empty.
        """

    def on_test_end(self, logs=None):
        """Called at the end of `evaluate` (and of each validation run in `fit`).

        Args:
            logs: Dict of the evaluation's metric results.
        """

    def on_predict_begin(self, logs=None):
        """Called at the start of `predict`.

        Args:
            logs: Dict, currently empty.
        """

    def on_predict_end(self, logs=None):
        """Called at the end of `predict`.

        Args:
            logs: Dict, currently empty.
        """


def is_overridden(callback, hook_name):
    """Whether `callback` replaces `Callback.<hook_name>` (in its class or as an attribute)."""
    method = getattr(callback, hook_name, None)
    if method is None:
        return False
    return getattr(method, "__func__", None) is not getattr(Callback, hook_name)
