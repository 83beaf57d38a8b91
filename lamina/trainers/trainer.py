"""`Trainer`: compile / fit / evaluate / predict, written once for every backend.

The loop (epochs, callbacks, logs, stopping, validation) lives here. A backend
supplies a step runner (`lamina/backend/<name>/trainer.py: StepRunner`) that
executes groups of train / test / predict steps — compiled with `jax.jit` on
JAX, eager autograd on PyTorch — and keeps the state between them.
"""

import numpy as np
import optree

from lamina import metrics as metrics_module
from lamina import optimizers as optimizers_module
from lamina.backend import current
from lamina.backend.common import scopes
from lamina.trainers import compile_utils
from lamina.trainers import trainer_utils
from lamina.trainers.compile_config import CompileConfigMixin
from lamina.trainers.data_adapters import data_adapter_utils
from lamina.trainers.data_adapters.array_data_adapter import ArrayDataAdapter
from lamina.trainers.epoch_iterator import EpochIterator
from lamina.trainers.trainer_metrics import TrainerMetricsMixin


class Trainer(CompileConfigMixin, TrainerMetricsMixin):
    """The training API of `Model`."""

    def __init__(self):
        self.compiled = False
        self.optimizer = None
        self.loss = None
        self.stop_training = False
        self.history = None
        self._compile_config = None
        self._compile_loss = None
        self._compile_metrics = None
        self._loss_tracker = None
        self._output_loss_trackers = []
        self._runner = None
        self.steps_per_execution = 1
        self._run_eagerly = False
        # As compile(jit_compile="auto") would set it: compiled on JAX, eager on PyTorch.
        self._jit_compile = not current.__name__.endswith("torch")

    # -- compile ----------------------------------------------------------------------

    def compile(
        self,
        optimizer="rmsprop",
        loss=None,
        loss_weights=None,
        metrics=None,
        weighted_metrics=None,
        run_eagerly=False,
        steps_per_execution=1,
        jit_compile="auto",
        auto_scale_loss=True,
    ):
        """Configures the model for training.

        Args:
            optimizer: Optimizer name (`"sgd"`, `"adam"`, ...) or instance.
            loss: Loss name, function or `Loss`; a list or dict for several outputs.
            loss_weights: Optional scalar weights per output (list or dict).
            metrics: Metrics to report: names (`"accuracy"`, `"mae"`), functions or
                `Metric`s; a list, a list per output, or a dict keyed by output name.
            weighted_metrics: Metrics that receive `sample_weight`.
            run_eagerly: Run steps without compilation (for debugging).
            steps_per_execution: Steps run per compiled call (JAX runs them in
                one `lax.scan`); callbacks see one batch end per execution.
                With 1 (the default), steps are still grouped when no callback
                watches batches (same results, less per-step overhead).
            jit_compile: `"auto"` (compile on JAX, eager on PyTorch), True or False.
            auto_scale_loss: Whether to wrap the optimizer in a `LossScaleOptimizer`
                when the model's dtype policy is `"mixed_float16"` (as Keras).

        Example:

        >>> import lamina
        >>> model = lamina.Sequential([lamina.Input((4,)), lamina.layers.Dense(3, activation="softmax")])
        >>> model.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=["accuracy"])
        >>> model.compiled
        True
        """
        if (
            isinstance(steps_per_execution, bool)
            or not isinstance(steps_per_execution, int)
            or steps_per_execution < 1
        ):
            raise ValueError(
                "compile() expects steps_per_execution to be a positive integer. "
                f"Received: steps_per_execution={steps_per_execution!r}"
            )
        self.optimizer = optimizers_module.get(optimizer)
        compiled_optimizer = self.optimizer
        if (
            auto_scale_loss
            and self.dtype_policy.name == "mixed_float16"
            and self.optimizer is not None
            and not isinstance(self.optimizer, optimizers_module.LossScaleOptimizer)
        ):
            # As Keras: float16 gradients underflow without loss scaling.
            self.optimizer = optimizers_module.LossScaleOptimizer(self.optimizer, name="loss_scale_optimizer")
        self.loss = loss
        output_names = self._output_names()
        self._compile_loss = (
            compile_utils.CompileLoss(loss, loss_weights, output_names) if loss is not None else None
        )
        self._compile_metrics = compile_utils.CompileMetrics(
            metrics, weighted_metrics, output_names, loss=loss
        )
        self._loss_tracker = metrics_module.Mean(name="loss")
        self._output_loss_trackers = []
        self.steps_per_execution = steps_per_execution
        self._run_eagerly = bool(run_eagerly)
        self._jit_compile = (
            (not run_eagerly) if jit_compile == "auto" else bool(jit_compile) and not run_eagerly
        )
        if jit_compile == "auto" and current.__name__.endswith("torch"):
            self._jit_compile = False
        self._compile_config = {
            "optimizer": compiled_optimizer,
            "loss": loss,
            "loss_weights": loss_weights,
            "metrics": metrics,
            "weighted_metrics": weighted_metrics,
            "run_eagerly": run_eagerly,
            "steps_per_execution": steps_per_execution,
            "jit_compile": self._jit_compile,
        }
        self._runner = None
        self.compiled = True

    @property
    def run_eagerly(self):
        return self._run_eagerly

    @property
    def jit_compile(self):
        return self._jit_compile

    def _output_names(self):
        outputs = getattr(self, "_outputs_struct", None)
        functional = getattr(self, "_functional", None)
        if outputs is None and functional is not None:
            outputs = functional._outputs_struct
        if outputs is None:
            return None
        if isinstance(outputs, dict):
            return sorted(outputs)
        flat = optree.tree_leaves(outputs, none_is_leaf=False)
        return [tensor._keras_history.operation.name for tensor in flat]

    @property
    def output_names(self):
        return self._output_names()

    # -- building before the first step -----------------------------------------------

    def _symbolic_build(self, x, y, sample_weight=None):
        """Creates all state (model weights, metric and optimizer variables) from one batch's shapes."""
        if not trainer_utils.defines_call(self) and trainer_utils.has_custom_steps(self):
            # A model whose own train_step calls its sublayers (a GAN) has no forward pass to trace.
            self.built = True
            return
        x_spec = optree.tree_map(trainer_utils.spec_of, x, none_is_leaf=False)
        self._maybe_build((x_spec,), {})
        with scopes.SymbolicScope():
            y_pred = self.compute_output_spec(x_spec)
        if y is not None:
            if self._compile_loss is not None and not self._compile_loss.built:
                self._compile_loss.build(y, y_pred)
            if self._compile_metrics is not None and not self._compile_metrics.built:
                self._compile_metrics.build(y, y_pred)
            self._ensure_output_loss_trackers()
        if self.optimizer is not None and not getattr(self.optimizer, "built", False):
            self.optimizer.build(self.trainable_variables)

    def _get_runner(self):
        if self._runner is None:
            self._runner = trainer_utils.backend_trainer().StepRunner(self)
        return self._runner

    def _sync_state_to_variables(self):
        """Writes the state a running fit keeps outside the Variables back into them."""
        if self._runner is not None:
            self._runner.sync_to_variables()

    # -- fit / evaluate / predict -----------------------------------------------------

    def fit(
        self,
        x=None,
        y=None,
        batch_size=None,
        epochs=1,
        verbose="auto",
        callbacks=None,
        validation_split=0.0,
        validation_data=None,
        shuffle=True,
        class_weight=None,
        sample_weight=None,
        initial_epoch=0,
        steps_per_epoch=None,
        validation_steps=None,
        validation_batch_size=None,
        validation_freq=1,
    ):
        """Trains the model for a number of epochs.

        Args:
            x: Inputs: a NumPy array or tensor, a list or dict of them, or a Python
                generator yielding `(x, y)` / `(x, y, sample_weight)`.
            y: Targets (same structures as the outputs); None when x is a generator.
            batch_size: Samples per step (default 32).
            epochs: Index of the last epoch (training runs `initial_epoch`..`epochs`).
            verbose: `"auto"` (1), 0 (silent), 1 (progress bar) or 2 (one line per epoch).
            callbacks: List of `lamina.callbacks.Callback`.
            validation_split: Fraction of the (array) data, taken from the end,
                held out for validation.
            validation_data: `(x_val, y_val)` or `(x_val, y_val, sample_weight)`.
            shuffle: Whether to shuffle array data every epoch.
            class_weight: Optional dict class index -> weight.
            sample_weight: Optional per-sample weights.
            initial_epoch: Epoch to start from (to resume training).
            steps_per_epoch: Batches per epoch (needed for endless generators).
            validation_steps: Batches of validation data per evaluation.
            validation_batch_size: Batch size for validation (default: batch_size).
            validation_freq: Run validation every this many epochs.

        Returns:
            A `History` whose `.history` maps each metric to its per-epoch values.
        """
        self._assert_compiled("fit")
        trainer_utils.backend_trainer().check_can_train()
        verbose = 1 if verbose == "auto" else verbose
        if validation_split and validation_data is None:
            if not data_adapter_utils.is_array_structure(x):
                raise ValueError(
                    "validation_split is only supported for array inputs (NumPy arrays "
                    "or tensors). Pass validation_data=(x_val, y_val) instead."
                )
            splitter = ArrayDataAdapter(x, y, sample_weight=sample_weight)
            (x, y, sample_weight), validation_data = splitter.split(validation_split)
        adapter = data_adapter_utils.get_data_adapter(
            x, y, sample_weight, batch_size, steps_per_epoch, shuffle, class_weight
        )
        iterator = EpochIterator(
            adapter, self.steps_per_execution, rng=np.random.default_rng(trainer_utils.fit_seed())
        )
        first_batch = trainer_utils.first_batch(adapter)
        self._symbolic_build(*first_batch)
        if first_batch[1] is None and self._compile_loss is not None:
            raise ValueError(
                f"{self._describe()} was compiled with a loss, but fit() received no "
                "targets y. Pass y=... (or yield (x, y) from your generator)."
            )
        validation = None
        if validation_data is not None:
            val_x, val_y, val_sample_weight = data_adapter_utils.unpack_x_y_sample_weight(validation_data)
            validation = data_adapter_utils.get_data_adapter(
                val_x, val_y, val_sample_weight, validation_batch_size or batch_size, validation_steps, False
            )
        from lamina.callbacks import CallbackList

        callback_list = CallbackList(
            callbacks,
            add_history=True,
            add_progbar=verbose != 0,
            model=self,
            verbose=verbose,
            epochs=epochs,
            steps=iterator.num_batches,
        )
        runner = self._get_runner()
        if self.steps_per_execution == 1:
            iterator.group_automatically(callback_list, "train", runner.auto_steps_per_call)
        runner.begin("train", adapter)
        self.stop_training = False
        # A callback may move the start in on_train_begin (BackupAndRestore resuming), as in Keras.
        self._initial_epoch = None
        callback_list.on_train_begin()
        initial_epoch = self._initial_epoch or initial_epoch
        training_logs = None
        try:
            for epoch in range(initial_epoch, epochs):
                self._reset_metrics_state()
                callback_list.on_epoch_begin(epoch)
                logs = None
                for begin_step, end_step, payload in iterator:
                    callback_list.on_train_batch_begin(begin_step)
                    logs = runner.train(payload)
                    callback_list.on_train_batch_end(end_step, logs)
                    if self.stop_training:
                        break
                if logs is None:
                    trainer_utils.warn_out_of_data(epoch)
                    break
                # As Keras: the variables hold the epoch's result when callbacks run.
                runner.sync_to_variables()
                epoch_logs = trainer_utils.to_python(logs, self._log_order())
                if validation is not None and (epoch + 1) % validation_freq == 0:
                    validation_logs = self._evaluate_adapter(validation, callbacks=callback_list, verbose=0)
                    epoch_logs.update({f"val_{key}": value for key, value in validation_logs.items()})
                    runner.begin("train", adapter)
                callback_list.on_epoch_end(epoch, epoch_logs)
                training_logs = epoch_logs
                if self.stop_training:
                    break
        finally:
            runner.sync_to_variables()
        if self.optimizer is not None and hasattr(self.optimizer, "finalize_variable_values"):
            self.optimizer.finalize_variable_values(self.trainable_variables)
        callback_list.on_train_end(training_logs)
        return self.history

    def evaluate(
        self,
        x=None,
        y=None,
        batch_size=None,
        verbose="auto",
        sample_weight=None,
        steps=None,
        callbacks=None,
        return_dict=False,
        **kwargs,
    ):
        """Returns the loss and metric values of the model on the given data.

        Args:
            x: Inputs (same forms as in `fit`).
            y: Targets.
            batch_size: Samples per batch (default 32).
            verbose: 0 (silent), 1 (progress bar) or 2 (one line).
            sample_weight: Optional per-sample weights.
            steps: Number of batches to evaluate (default: all).
            callbacks: List of callbacks.
            return_dict: Return `{name: value}` instead of a list.

        Returns:
            The scalar loss (if no metrics), a list `[loss, metric, ...]`, or a dict.
        """
        self._assert_compiled("evaluate")
        unknown = sorted(set(kwargs))
        if unknown:
            raise TypeError(f"evaluate() got unexpected keyword arguments {unknown}.")
        verbose = 1 if verbose == "auto" else verbose
        adapter = data_adapter_utils.get_data_adapter(x, y, sample_weight, batch_size, steps, False)
        logs = self._evaluate_adapter(adapter, callbacks=callbacks, verbose=verbose)
        if return_dict:
            return logs
        values = list(logs.values())
        return values[0] if len(values) == 1 else values

    def _evaluate_adapter(self, adapter, callbacks, verbose):
        first_batch = trainer_utils.first_batch(adapter)
        self._symbolic_build(*first_batch)
        from lamina.callbacks import CallbackList

        iterator = EpochIterator(adapter, self.steps_per_execution)
        if isinstance(callbacks, CallbackList):
            # Validation inside fit: the fit's own callbacks see the test hooks.
            callback_list = callbacks
        else:
            callback_list = CallbackList(
                callbacks,
                add_progbar=verbose != 0,
                model=self,
                verbose=verbose,
                epochs=1,
                steps=iterator.num_batches,
            )
        runner = self._get_runner()
        if self.steps_per_execution == 1:
            iterator.group_automatically(callback_list, "test", runner.auto_steps_per_call)
        runner.begin("test", adapter)
        self._reset_metrics_state()
        callback_list.on_test_begin()
        logs = None
        try:
            for begin_step, end_step, payload in iterator:
                callback_list.on_test_batch_begin(begin_step)
                logs = runner.test(payload)
                callback_list.on_test_batch_end(end_step, logs)
        finally:
            # The Variables are the source of truth between loops (set_weights, reset_state).
            runner.sync_to_variables()
        if logs is None:
            raise ValueError("evaluate() received no data: the dataset yielded no batch.")
        logs = trainer_utils.to_python(logs, self._log_order())
        callback_list.on_test_end(logs)
        return logs

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """Returns the model's outputs (NumPy arrays) for the inputs `x`.

        Args:
            x: Inputs (same forms as in `fit`; a generator may yield `x` alone).
            batch_size: Samples per batch (default 32).
            verbose: 0 (silent), 1 (progress bar) or 2 (one line).
            steps: Number of batches to run (default: all).
            callbacks: List of callbacks.

        Returns:
            NumPy array(s) with the structure of the model's outputs.
        """
        verbose = 1 if verbose == "auto" else verbose
        one_array_batch = type(x) is np.ndarray and x.ndim and 0 < len(x) <= (batch_size or 32)
        if verbose == 0 and not callbacks and one_array_batch:
            # One NumPy batch, as the array adapter would serve it (latency-bound calls).
            return trainer_utils.predict_one_batch(self, x)
        adapter = data_adapter_utils.get_data_adapter(x, None, None, batch_size, steps, False)
        if (
            verbose == 0
            and not callbacks
            and isinstance(adapter, ArrayDataAdapter)
            and adapter.num_batches == 1
        ):
            return trainer_utils.predict_one_batch(self, adapter.data()[0])
        if not self.built:
            first_batch = trainer_utils.first_batch(adapter)
            self._maybe_build(
                (optree.tree_map(trainer_utils.spec_of, first_batch[0], none_is_leaf=False),), {}
            )
        from lamina.callbacks import CallbackList

        iterator = EpochIterator(adapter, self.steps_per_execution)
        callback_list = CallbackList(
            callbacks,
            add_progbar=verbose != 0,
            model=self,
            verbose=verbose,
            epochs=1,
            steps=iterator.num_batches,
        )
        runner = self._get_runner()
        if self.steps_per_execution == 1:
            iterator.group_automatically(callback_list, "predict", runner.auto_steps_per_call)
        runner.begin("predict", adapter)
        callback_list.on_predict_begin()
        outputs = []
        try:
            for begin_step, end_step, payload in iterator:
                callback_list.on_predict_batch_begin(begin_step)
                batch_outputs = runner.predict(payload)
                outputs.extend(batch_outputs)
                callback_list.on_predict_batch_end(end_step, {"outputs": batch_outputs[-1]})
        finally:
            runner.sync_to_variables()
        callback_list.on_predict_end()
        if not outputs:
            raise ValueError("predict() received no data: the dataset yielded no batch.")
        return trainer_utils.concatenate_outputs(outputs)

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict=False):
        """Runs one training step on one batch and returns its loss and metrics."""
        self._assert_compiled("train_on_batch")
        trainer_utils.backend_trainer().check_can_train()
        adapter = ArrayDataAdapter(
            x,
            y,
            sample_weight=sample_weight,
            batch_size=trainer_utils.num_samples(x),
            class_weight=class_weight,
        )
        self._symbolic_build(*trainer_utils.first_batch(adapter))
        runner = self._get_runner()
        runner.begin("train", adapter)
        self._reset_metrics_state()
        logs = runner.train(np.arange(adapter.num_samples, dtype=np.int32)[None])
        runner.sync_to_variables()
        return trainer_utils.format_logs(trainer_utils.to_python(logs, self._log_order()), return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """Evaluates one batch and returns its loss and metrics."""
        self._assert_compiled("test_on_batch")
        adapter = ArrayDataAdapter(x, y, sample_weight=sample_weight, batch_size=trainer_utils.num_samples(x))
        self._symbolic_build(*trainer_utils.first_batch(adapter))
        runner = self._get_runner()
        runner.begin("test", adapter)
        self._reset_metrics_state()
        logs = runner.test(np.arange(adapter.num_samples, dtype=np.int32)[None])
        runner.sync_to_variables()
        return trainer_utils.format_logs(trainer_utils.to_python(logs, self._log_order()), return_dict)

    def predict_on_batch(self, x):
        """Returns the model's outputs (NumPy) for one batch."""
        return self.predict(x, batch_size=trainer_utils.num_samples(x), verbose=0)

    def _assert_compiled(self, method):
        if not self.compiled:
            raise ValueError(
                f"You must call compile() before {method}(). For example: "
                "model.compile(optimizer='adam', loss='mse')."
            )
