"""What `compile(loss=..., metrics=...)` becomes: one loss and one metric set per output.

Both are built lazily on the first batch, when the structures and shapes of
targets and predictions are known (that is when the string `"accuracy"`
resolves to binary, categorical or sparse categorical accuracy).
"""

import optree

from lamina import losses as losses_module
from lamina import metrics as metrics_module
from lamina import ops


def _flatten(structure):
    return optree.tree_leaves(structure, none_is_leaf=True)


def _per_output(value, output_names, what):
    """Spreads a compile argument (single value, list or dict) over the outputs, in order."""
    count = len(output_names)
    if isinstance(value, dict):
        unknown = sorted(set(value) - set(output_names))
        if unknown:
            raise ValueError(
                f"compile() got a {what} dict with keys {unknown} that are not output "
                f"names of the model. Output names: {output_names}."
            )
        return [value.get(name) for name in output_names]
    if isinstance(value, (list, tuple)) and what == "loss":
        if len(value) != count:
            raise ValueError(
                f"compile() got {len(value)} losses, but the model has {count} outputs "
                f"({output_names}). Pass one loss per output, a dict keyed by output "
                "name, or a single loss for all outputs."
            )
        return list(value)
    return [value] * count


class _FunctionLoss:
    """Wraps a loss function `fn(y_true, y_pred) -> per-sample values` with Keras's default reduction."""

    def __init__(self, function):
        self.function = function
        self.name = getattr(function, "__name__", "loss")

    def __call__(self, y_true, y_pred, sample_weight=None):
        values = self.function(y_true, y_pred)
        if sample_weight is not None:
            weight = ops.cast(sample_weight, values.dtype)
            while len(ops.shape(weight)) < len(ops.shape(values)):
                weight = ops.expand_dims(weight, -1)
            values = values * weight
        return ops.mean(values)


def _loss_name(loss):
    if isinstance(loss, str):
        return loss
    return getattr(loss, "name", None) or getattr(loss, "__name__", "loss")


class CompileLoss:
    """The compiled loss: one loss per output, weighted and summed.

    Args:
        loss: A loss (name, function or Loss), a list (one per output) or a dict keyed by output name.
        loss_weights: Optional list or dict of scalar weights per output.
        output_names: The model's output names, in output order.
    """

    def __init__(self, loss, loss_weights=None, output_names=None):
        self.loss = loss
        self.loss_weights = loss_weights
        self.output_names = list(output_names or ["output"])
        self.built = False
        for spec in optree.tree_leaves(loss, none_is_leaf=False):
            losses_module.get(spec)

    def build(self, y_true, y_pred):
        flat_pred = _flatten(y_pred)
        if len(flat_pred) != len(self.output_names):
            self.output_names = (
                [f"output_{i}" for i in range(len(flat_pred))] if len(flat_pred) > 1 else ["output"]
            )
        specs = _per_output(self.loss, self.output_names, "loss")
        self.losses = []
        self.loss_names = []
        for spec in specs:
            if spec is None:
                self.losses.append(None)
                self.loss_names.append(None)
                continue
            resolved = losses_module.get(spec)
            if not hasattr(resolved, "reduction") and callable(resolved):
                resolved = _FunctionLoss(resolved)
            self.losses.append(resolved)
            self.loss_names.append(_loss_name(spec))
        weights = self.loss_weights
        if weights is None:
            self.weights = [1.0] * len(self.output_names)
        elif isinstance(weights, dict):
            self.weights = [float(weights.get(name, 1.0)) for name in self.output_names]
        elif isinstance(weights, (list, tuple)):
            if len(weights) != len(self.output_names):
                raise ValueError(
                    f"compile() got {len(weights)} loss_weights for {len(self.output_names)} outputs."
                )
            self.weights = [float(w) for w in weights]
        else:
            self.weights = [float(weights)] * len(self.output_names)
        flat_true = _flatten(y_true)
        if len(flat_true) != len(flat_pred) and any(loss is not None for loss in self.losses):
            raise ValueError(
                f"The model has {len(flat_pred)} outputs but received {len(flat_true)} "
                "targets. Pass one target array per output (a list in output order or a "
                f"dict keyed by output name: {self.output_names})."
            )
        self.built = True

    def __call__(self, y_true, y_pred, sample_weight=None):
        """Returns `(total_loss, per_output_losses)`."""
        if not self.built:
            self.build(y_true, y_pred)
        if len(self.losses) == 1 and _is_single(y_pred) and _is_single(y_true) and _is_single(sample_weight):
            # One output given as plain tensors (every step of most models): no flattening.
            loss = self.losses[0]
            if loss is None:
                raise ValueError("compile() received no loss for any output; nothing to minimize.")
            value = loss(y_true, y_pred, sample_weight=sample_weight)
            weight = self.weights[0]
            return (value * weight if weight != 1.0 else value), [value]
        flat_true = _flatten(y_true)
        flat_pred = _flatten(y_pred)
        flat_weights = _flatten(sample_weight) if sample_weight is not None else [None] * len(flat_pred)
        if len(flat_weights) == 1 and len(flat_pred) > 1:
            flat_weights = flat_weights * len(flat_pred)
        total = None
        per_output = []
        for loss, weight, target, prediction, sample_weights in zip(
            self.losses, self.weights, flat_true, flat_pred, flat_weights
        ):
            if loss is None:
                per_output.append(None)
                continue
            value = loss(target, prediction, sample_weight=sample_weights)
            per_output.append(value)
            weighted = value * weight if weight != 1.0 else value
            total = weighted if total is None else total + weighted
        if total is None:
            raise ValueError("compile() received no loss for any output; nothing to minimize.")
        return total, per_output


class CompileMetrics:
    """The compiled metrics: a list of Metric objects per output.

    Args:
        metrics: A list (for a single output, or applied to each output), a list of
            lists (per output) or a dict keyed by output name.
        weighted_metrics: Same structures; these receive sample weights.
        output_names: The model's output names.
        loss: The compile loss spec (helps resolve `"accuracy"`).
    """

    def __init__(self, metrics, weighted_metrics=None, output_names=None, loss=None):
        self.metrics_spec = metrics
        self.weighted_spec = weighted_metrics
        self.output_names = list(output_names or ["output"])
        self.loss = loss
        self.built = False
        self.metrics = []
        self._entries = []

    def build(self, y_true, y_pred):
        flat_true = _flatten(y_true)
        flat_pred = _flatten(y_pred)
        if len(flat_pred) != len(self.output_names):
            self.output_names = (
                [f"output_{i}" for i in range(len(flat_pred))] if len(flat_pred) > 1 else ["output"]
            )
        multiple = len(flat_pred) > 1
        losses = (
            _per_output(self.loss, self.output_names, "loss")
            if self.loss is not None
            else [None] * len(flat_pred)
        )
        self._entries = []
        for weighted, spec in ((False, self.metrics_spec), (True, self.weighted_spec)):
            if not spec:
                continue
            per_output = self._spread(spec, multiple)
            for index, output_metrics in enumerate(per_output):
                for identifier in output_metrics or []:
                    metric = self._resolve(identifier, flat_true[index], flat_pred[index], losses[index])
                    if getattr(metric, "_built", None) is False and hasattr(metric, "build"):
                        # Metrics with shape-dependent state (R2Score, AUC, F1Score) create it
                        # now, not inside the first compiled step.
                        metric.build(tuple(ops.shape(flat_true[index])), tuple(ops.shape(flat_pred[index])))
                    self._entries.append((index, metric, weighted))
        self._name_metrics(multiple)
        self.metrics = [metric for _, metric, _ in self._entries]
        self.built = True

    def _name_metrics(self, multiple):
        # Keras's result names: output prefix for several outputs; a repeated unweighted name
        # gets "_1", "_2"...; a weighted metric whose name is taken becomes "weighted_<name>".
        taken = {}
        for index, metric, weighted in self._entries:
            prefix = f"{self.output_names[index]}_" if multiple else ""
            name = prefix + metric.name
            if name not in taken:
                taken[name] = 1
            elif not weighted:
                taken[name] += 1
                name = f"{name}_{taken[name] - 1}"
            else:
                name = f"{prefix}weighted_{metric.name}"
                if name not in taken:
                    taken[name] = 1
                else:
                    taken[name] += 1
                    name = f"{name}_{taken[name] - 1}"
            metric.name = name

    def _spread(self, spec, multiple):
        if isinstance(spec, dict):
            unknown = sorted(set(spec) - set(self.output_names))
            if unknown:
                raise ValueError(
                    f"compile() got metrics for {unknown}, which are not output names of "
                    f"the model. Output names: {self.output_names}."
                )
            return [_as_list(spec.get(name)) for name in self.output_names]
        if not isinstance(spec, (list, tuple)):
            spec = [spec]
        if multiple and spec and all(isinstance(item, (list, tuple)) or item is None for item in spec):
            if len(spec) != len(self.output_names):
                raise ValueError(
                    f"compile() got {len(spec)} metric lists for {len(self.output_names)} outputs."
                )
            return [_as_list(item) for item in spec]
        return [list(spec) for _ in self.output_names]

    def _resolve(self, identifier, y_true, y_pred, loss):
        if isinstance(identifier, str) and identifier in ("accuracy", "acc", "crossentropy", "ce"):
            from lamina.metrics import resolve

            shapes = (tuple(ops.shape(y_true)), tuple(ops.shape(y_pred)))
            if identifier in ("accuracy", "acc"):
                metric_class = resolve.resolve_accuracy(shapes[0], shapes[1], loss)
                metric = metric_class(name="accuracy" if identifier == "accuracy" else "acc")
            else:
                metric_class = resolve.resolve_crossentropy(shapes[0], shapes[1], loss)
                metric = metric_class(name=identifier)
            return metric
        metric = metrics_module.get(identifier)
        if not hasattr(metric, "update_state"):
            # Keras names a metric given as a string by that string ("mae").
            name = identifier if isinstance(identifier, str) else getattr(metric, "__name__", "metric")
            metric = metrics_module.MeanMetricWrapper(metric, name=name)
        elif isinstance(identifier, str):
            metric.name = identifier
        return metric

    def update_state(self, y_true, y_pred, sample_weight=None):
        if not self.built:
            self.build(y_true, y_pred)
        if not self._entries:
            return
        flat_true = _flatten(y_true)
        flat_pred = _flatten(y_pred)
        flat_weights = _flatten(sample_weight) if sample_weight is not None else [None] * len(flat_pred)
        if len(flat_weights) == 1 and len(flat_pred) > 1:
            flat_weights = flat_weights * len(flat_pred)
        for index, metric, weighted in self._entries:
            weights = flat_weights[index] if weighted else None
            metric.update_state(flat_true[index], flat_pred[index], sample_weight=weights)

    @property
    def variables(self):
        return [variable for metric in self.metrics for variable in metric.variables]


_STRUCTURES = (list, tuple, dict)


def _is_single(value):
    # A tensor (or None) rather than a structure of them; namedtuples are tuples.
    return not isinstance(value, _STRUCTURES)


def _as_list(value):
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]
