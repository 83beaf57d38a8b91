"""The losses and metrics side of `Trainer`: what a step computes and logs.

`compute_loss` and `compute_metrics` are the overridable hooks Keras users
know; the loss tracker and per-output loss trackers are Mean metrics, so
their state lives in Variables like every other metric's and can be threaded
through a compiled step.
"""

from lamina import metrics as metrics_module
from lamina import ops
from lamina.backend.common import scopes
from lamina.backend.common.variable import Variable as BaseVariable
from lamina.layers import layer_call_helpers


class TrainerMetricsMixin:
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """Returns the total loss: the compiled loss plus the losses layers added.

        Layers add losses through weight regularizers and `add_loss`.

        Override it to customize the loss while keeping `fit`'s loop.
        """
        total, _ = self._default_loss_parts(x, y, y_pred, sample_weight, training)
        return total

    def _compute_loss_parts(self, x, y, y_pred, sample_weight, training=True):
        """The built-in steps' loss: `compute_loss` where a subclass overrides it (no per-output parts)."""
        if type(self).compute_loss is not TrainerMetricsMixin.compute_loss:
            total = self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=training)
            return total, None
        return self._default_loss_parts(x, y, y_pred, sample_weight, training)

    def _default_loss_parts(self, x, y, y_pred, sample_weight, training=True):
        parts = None
        total = None
        if self._compile_loss is not None:
            total, parts = self._compile_loss(y, y_pred, sample_weight)
        extra = self._added_losses()
        for value in extra:
            value = ops.cast(value, "float32")
            total = value if total is None else total + value
        if total is None:
            total = ops.convert_to_tensor(0.0)
        return total, parts

    def _added_losses(self):
        scope = scopes.current_stateless_scope()
        collecting = scope is not None and scope.collect_losses
        collected = list(scope.losses) if collecting else []
        if collecting:
            # The scope holds the losses of this call; only regularizers remain to check.
            if self._any_regularizer():
                collected.extend(self._regularization_losses())
            return collected
        # One walk over the layers (model first) finds both the losses they hold and
        # whether any weight is regularized; most models have neither.
        regularized = False
        for layer in self._flatten_layers():
            if not collecting and layer._losses:
                collected.extend(layer._losses)
            if not regularized:
                regularized = _layer_regularized(layer)
        if regularized:
            collected.extend(self._regularization_losses())
        return collected

    def _any_regularizer(self):
        """Whether any of the model's weights has a regularizer, re-checked after each layer change."""
        return layer_call_helpers.until_layer_change(
            self,
            "_regularizer_check",
            lambda: any(_layer_regularized(layer) for layer in self._flatten_layers()),
        )

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        """Updates the compiled metrics with a batch and returns all current metric results."""
        if self._compile_metrics is not None:
            self._compile_metrics.update_state(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def _update_loss_trackers(self, loss, parts, batch_size):
        if self._loss_tracker is not None:
            self._loss_tracker.update_state(loss, sample_weight=batch_size)
        if parts is not None and len(parts) > 1:
            self._ensure_output_loss_trackers()
            for tracker, value in zip(self._output_loss_trackers, parts):
                if value is not None:
                    tracker.update_state(value, sample_weight=batch_size)

    def _ensure_output_loss_trackers(self):
        if self._output_loss_trackers or self._compile_loss is None:
            return
        if self._compile_loss.built and len(self._compile_loss.output_names) > 1:
            self._output_loss_trackers = [
                metrics_module.Mean(name=f"{name}_loss") for name in self._compile_loss.output_names
            ]

    def get_metrics_result(self):
        """Returns `{name: result}` for every metric (loss first)."""
        results = {}
        for metric in self.metrics:
            result = metric.result()
            if isinstance(result, BaseVariable):
                # Keras's guide metrics return their state Variable from result().
                result = result.value
            if isinstance(result, dict):
                results.update(result)
            else:
                results[metric.name] = result
        return results

    @property
    def metrics(self):
        """The model's metrics: the loss tracker, per-output losses, then the compiled metrics."""
        collected = []
        if self._loss_tracker is not None:
            collected.append(self._loss_tracker)
        collected.extend(self._output_loss_trackers)
        if self._compile_metrics is not None:
            collected.extend(self._compile_metrics.metrics)
        return collected

    def _log_order(self):
        """Keras's order of logged values: loss, the compiled metrics, then per-output losses."""
        order = ["loss"]
        if self._compile_metrics is not None:
            order.extend(metric.name for metric in self._compile_metrics.metrics)
        order.extend(tracker.name for tracker in self._output_loss_trackers)
        return order

    @property
    def metrics_names(self):
        return [metric.name for metric in self.metrics]

    @property
    def metrics_variables(self):
        return [variable for metric in self.metrics for variable in metric.variables]

    def reset_metrics(self):
        """Resets the state of every metric."""
        for metric in self.metrics:
            metric.reset_state()
        if self._runner is not None:
            self._runner.reload_metrics()

    def _reset_metrics_state(self):
        # A subclass's reset_metrics override (Keras's compute_loss example) resets only the
        # Variables; the step runner's copy of the metric state is reloaded from them here.
        self.reset_metrics()
        if self._runner is not None:
            self._runner.reload_metrics()


def _layer_regularized(layer):
    return _has_regularizer(layer._trainable_variables) or _has_regularizer(layer._non_trainable_variables)


def _has_regularizer(variables):
    for variable in variables:
        if variable.regularizer is not None:
            return True
    return False
