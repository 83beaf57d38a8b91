"""The JAX step runner: train / test / predict steps as pure functions compiled with `jax.jit`.

The state is five lists of arrays — trainable, non-trainable, optimizer and
metric values, then the variables of other optimizers and metrics the model
holds (a GAN's second optimizer) — threaded through the compiled steps. On an
accelerator, array datasets are put on the device once and a compiled call
receives a `(steps, batch)` index array and gathers each batch there; on the
CPU, where device memory is host memory and XLA's gather is slower than
NumPy's, the batches are gathered with NumPy and passed in stacked. Several
steps in one call run in a `lax.scan`. The Variables are written back only
when the loop (or a callback) needs them.
"""

import jax
import jax.numpy as jnp
import numpy as np
import optree

from lamina.backend.common.scopes import StatelessScope
from lamina.backend.jax import _compiled_call as compiled_call
from lamina.backend.jax import _custom_steps as custom_steps
from lamina.backend.jax import _host_placement as host_placement
from lamina.backend.jax import _step_grouping as step_grouping
from lamina.layers import call_context
from lamina.trainers.data_adapters.array_data_adapter import ArrayDataAdapter
from lamina.trainers.data_adapters.array_data_adapter import contiguous_start
from lamina.trainers.resident_data import ResidentData
from lamina.trainers.trainer_utils import concatenate_numpy
from lamina.trainers.trainer_utils import custom_step_override

# predict's batches joined as NumPy arrays (PyTorch joins them on its device first).
concatenate_batches = concatenate_numpy


def check_can_train():
    return None


def _gather(data, indices):
    return optree.tree_map(lambda array: jnp.take(array, indices, axis=0), data, none_is_leaf=False)


class StepRunner:
    """Runs groups of steps for one compiled model and keeps its state between them."""

    def __init__(self, model):
        self.model = model
        self._state = None
        self._functions = {}
        self._resident = ResidentData()
        self._eager = model.run_eagerly or not model.jit_compile
        self._loops_well = {}

    @property
    def auto_steps_per_call(self):
        """Steps per group the loops hand this runner when the user has not set `steps_per_execution`."""
        return 1 if self._eager else step_grouping.AUTO_STEPS_PER_CALL

    # -- state ------------------------------------------------------------------------

    def _variable_groups(self):
        model = self.model
        optimizer_variables = list(model.optimizer.variables) if model.optimizer is not None else []
        groups = (
            model.trainable_variables,
            model.non_trainable_variables,
            optimizer_variables,
            model.metrics_variables,
        )
        return groups + (custom_steps.other_state_variables(model, groups),)

    def _ensure_state(self):
        if self._state is None:
            groups = self._variable_groups()
            self._groups = groups
            # Copies: the compiled steps donate their input state, and the
            # Variables must keep valid arrays of their own.
            self._state = tuple([host_placement.copy_array(v.value) for v in group] for group in groups)
        return self._state

    def sync_to_variables(self):
        if self._state is None:
            return
        for group, values in zip(self._groups, self._state):
            for variable, value in zip(group, values):
                variable._direct_assign(host_placement.copy_array(value))
        self._state = None

    def reload_metrics(self):
        if self._state is not None:
            metric_values = [host_placement.copy_array(v.value) for v in self._groups[3]]
            self._state = self._state[:3] + (metric_values,) + self._state[4:]

    # -- data -------------------------------------------------------------------------

    def begin(self, mode, adapter):
        """Prepares `adapter`'s data for `mode`: array data goes to the device once."""
        if mode != "predict":
            self._ensure_state()
        self._data = None
        self._host_data = None
        if isinstance(adapter, ArrayDataAdapter):
            if _gathers_on_host():
                self._host_data = self._resident.get(
                    adapter, lambda: optree.tree_map(_host_array, adapter.data(), none_is_leaf=False)
                )
            else:
                self._data = self._resident.get(
                    adapter, lambda: optree.tree_map(_device_array, adapter.data(), none_is_leaf=False)
                )
            self._adapter = adapter

    def _batches_from_payload(self, payload):
        """`("indices", (steps, batch) indices)`, `("stacked", batches stacked on a steps axis)`
        or `("batches", list of NumPy batches)`."""
        if isinstance(payload, np.ndarray):
            if self._data is not None:
                return "indices", payload
            if self._host_data is not None:
                return "stacked", optree.tree_map(
                    lambda array: _stacked_rows(array, payload), self._host_data, none_is_leaf=False
                )
            return "batches", [self._adapter.get_batch(indices) for indices in payload]
        return "batches", payload

    def _device_batches(self, payload):
        """The batches of `payload` one by one, as device arrays (for steps run one per call)."""
        mode, batches = self._batches_from_payload(payload)
        if mode == "indices":
            return (_gather(self._data, jnp.asarray(indices)) for indices in batches)
        if mode == "stacked":
            steps = optree.tree_leaves(batches, none_is_leaf=False)[0].shape[0]
            return (
                optree.tree_map(lambda array, i=i: jax.device_put(array[i]), batches, none_is_leaf=False)
                for i in range(steps)
            )
        return (optree.tree_map(_device_array, batch, none_is_leaf=False) for batch in batches)

    # -- steps ------------------------------------------------------------------------

    def _train_step(self, state, batch):
        model = self.model
        trainable, non_trainable, optimizer_values, metric_values, other = state
        x, y, sample_weight = batch
        trainable_variables, non_trainable_variables, optimizer_variables, metric_variables = self._groups[:4]

        def loss_function(trainable_values):
            # The optimizer's values too: a LossScaleOptimizer's scale is part of the state;
            # and the metrics', since an overridden compute_loss may update a tracker.
            mapping = (
                list(zip(trainable_variables, trainable_values))
                + list(zip(non_trainable_variables, non_trainable))
                + list(zip(optimizer_variables, optimizer_values))
                + list(zip(metric_variables, metric_values))
            )
            with StatelessScope(state_mapping=mapping, collect_losses=True) as scope:
                y_pred = model(x, training=True)
                loss, parts = model._compute_loss_parts(x, y, y_pred, sample_weight, training=True)
                new_non_trainable = [_current(scope, v) for v in non_trainable_variables]
                new_metric_values = [_current(scope, v) for v in metric_variables]
                # Gradients of the scaled loss (loss scaling); the logs keep the unscaled one.
                scaled_loss = model.optimizer.scale_loss(loss)
            return scaled_loss, (loss, y_pred, parts, new_non_trainable, new_metric_values)

        (_, (loss, y_pred, parts, non_trainable, metric_values)), grads = jax.value_and_grad(
            loss_function, has_aux=True
        )(trainable)
        mapping = list(zip(trainable_variables, trainable)) + list(zip(optimizer_variables, optimizer_values))
        with StatelessScope(state_mapping=mapping) as scope:
            model.optimizer.apply(grads, trainable_variables)
            trainable = [_current(scope, v) for v in trainable_variables]
            optimizer_values = [_current(scope, v) for v in optimizer_variables]
        logs, metric_values = self._update_metrics(metric_values, x, y, y_pred, sample_weight, loss, parts)
        return logs, (trainable, non_trainable, optimizer_values, metric_values, other)

    def _test_step(self, state, batch):
        model = self.model
        trainable, non_trainable, optimizer_values, metric_values, other = state
        x, y, sample_weight = batch
        trainable_variables, non_trainable_variables = self._groups[0], self._groups[1]
        metric_variables = self._groups[3]
        mapping = (
            list(zip(trainable_variables, trainable))
            + list(zip(non_trainable_variables, non_trainable))
            + list(zip(metric_variables, metric_values))
        )
        # Inference can update state too (a stateful RNN's states), so it is carried on.
        with StatelessScope(state_mapping=mapping, collect_losses=True) as scope:
            y_pred = model(x, training=False)
            loss, parts = model._compute_loss_parts(x, y, y_pred, sample_weight, training=False)
            non_trainable = [_current(scope, v) for v in non_trainable_variables]
            metric_values = [_current(scope, v) for v in metric_variables]
        logs, metric_values = self._update_metrics(metric_values, x, y, y_pred, sample_weight, loss, parts)
        return logs, (trainable, non_trainable, optimizer_values, metric_values, other)

    def _update_metrics(self, metric_values, x, y, y_pred, sample_weight, loss, parts):
        model = self.model
        metric_variables = self._groups[3]
        batch_size = optree.tree_leaves(x, none_is_leaf=False)[0].shape[0]
        with StatelessScope(state_mapping=list(zip(metric_variables, metric_values))) as scope:
            model._update_loss_trackers(loss, parts, batch_size)
            logs = model.compute_metrics(x, y, y_pred, sample_weight)
            metric_values = [_current(scope, v) for v in metric_variables]
        return logs, metric_values

    def _predict_step(self, state, x):
        trainable, non_trainable = state[0], state[1]
        trainable_variables, non_trainable_variables = self._groups[0], self._groups[1]
        mapping = list(zip(trainable_variables, trainable)) + list(
            zip(non_trainable_variables, non_trainable)
        )
        with StatelessScope(state_mapping=mapping) as scope:
            outputs = self.model(x, training=False)
            non_trainable = [_current(scope, v) for v in non_trainable_variables]
        return outputs, non_trainable

    def _predict_many(self, state, xs):
        """The outputs of the batches `xs` (stacked on axis 0), concatenated."""
        if optree.tree_leaves(xs, none_is_leaf=False)[0].shape[0] == 1:
            outputs, non_trainable = self._predict_step(state, optree.tree_map(lambda a: a[0], xs))
            return outputs, non_trainable

        def body(non_trainable, x):
            outputs, non_trainable = self._predict_step((state[0], non_trainable), x)
            return non_trainable, outputs

        non_trainable, outputs = jax.lax.scan(body, state[1], xs)
        return optree.tree_map(lambda a: a.reshape((-1,) + a.shape[2:]), outputs), non_trainable

    def _predict_calls(self, function, state, payload):
        """The inputs of each predict call: batches stacked on a leading axis."""
        mode, batches = self._batches_from_payload(payload)
        if mode == "stacked":
            return self._calls("predict", function, (state,), batches[0])
        if mode == "indices":
            return self._calls("predict", function, (state,), _gather(self._data[0], jnp.asarray(batches)))
        return (optree.tree_map(_batch_of_one, batch[0], none_is_leaf=False) for batch in batches)

    def _multi_step(self, step, gathered):
        """`run(state, data, steps)`: the steps of one call, each on its batch.

        With `gathered`, `steps` holds the batches stacked on a leading steps axis
        (`data` is unused); otherwise `steps` is `(steps, batch)` indices into `data`.
        """

        def batch_of(data, step_input):
            return step_input if gathered else _gather(data, step_input)

        def run(state, data, steps):
            if optree.tree_leaves(steps, none_is_leaf=False)[0].shape[0] == 1:
                # XLA on CPU runs convolutions inside a loop body several times slower
                # than at top level, so one step per execution is not wrapped in a scan.
                first = optree.tree_map(lambda array: array[0], steps, none_is_leaf=False)
                return step(state, batch_of(data, first))

            def body(carry, step_input):
                logs, carry = step(carry, batch_of(data, step_input))
                return carry, logs

            state, logs = jax.lax.scan(body, state, steps)
            return optree.tree_map(lambda values: values[-1], logs), state

        return run

    def _compiled(self, name, function, donate=True):
        if name not in self._functions:
            if self._eager:
                self._functions[name] = function
            else:
                self._functions[name] = jax.jit(function, donate_argnums=(0,) if donate else ())
        return self._functions[name]

    def _calls(self, kind, function, arguments, steps):
        """`steps` (a group, stacked on axis 0) split into the pieces run one call each."""
        count = optree.tree_leaves(steps, none_is_leaf=False)[0].shape[0]
        if count == 1 or self.model.steps_per_execution > 1:
            return [steps]
        single = [
            optree.tree_map(lambda a, i=i: a[i : i + 1], steps, none_is_leaf=False) for i in range(count)
        ]
        if count < step_grouping.AUTO_STEPS_PER_CALL:
            return single
        if kind not in self._loops_well:
            self._loops_well[kind] = step_grouping.runs_well_in_a_loop(function, *arguments, single[0])
        return [steps] if self._loops_well[kind] else single

    def _run(self, kind, step, payload):
        mode, batches = self._batches_from_payload(payload)
        state = self._ensure_state()
        logs = None
        if mode in ("indices", "stacked"):
            gathered = mode == "stacked"
            function = self._compiled(f"{kind}_{mode}", self._multi_step(step, gathered))
            data = None if gathered else self._data
            for steps in self._calls(kind, function, (state, data), batches):
                logs, state = function(state, data, steps)
        else:
            function = self._compiled(f"{kind}_single", step)
            for batch in batches:
                logs, state = function(state, optree.tree_map(_device_array, batch, none_is_leaf=False))
        self._state = state
        return logs

    def train(self, payload):
        custom = custom_step_override(self.model, "train_step")
        if custom is not None:
            return custom_steps.run(self, "train", custom, payload)
        return self._run("train", self._train_step, payload)

    def test(self, payload):
        custom = custom_step_override(self.model, "test_step")
        if custom is not None:
            return custom_steps.run(self, "test", custom, payload)
        return self._run("test", self._test_step, payload)

    def predict(self, payload):
        custom = custom_step_override(self.model, "predict_step")
        if custom is not None:
            return custom_steps.run(self, "predict", custom, payload)
        # Outside fit the Variables' own arrays are read in place: the predict step donates
        # nothing, so there is no state to copy in and out (a large part of a small predict).
        borrowed = self._state is None
        if borrowed:
            model = self.model
            self._groups = (model.trainable_variables, model.non_trainable_variables)
            state = tuple([v.value for v in group] for group in self._groups) + ((), (), ())
        else:
            state = self._state
        function = self._compiled("predict", self._predict_many, donate=False)
        outputs = []
        for x in self._predict_calls(function, state, payload):
            batch_outputs, non_trainable = function(state, x)
            state = (state[0], non_trainable, *state[2:])
            if outputs:
                # At most two calls in flight: with every batch of the group dispatched
                # before the first ran, the benchmark CNN predicted ~10% slower.
                jax.block_until_ready(outputs[-1])
            outputs.append(batch_outputs)
        if not borrowed:
            self._state = state
            return outputs
        for variable, value in zip(self._groups[1], state[1]):
            if value is not variable.value:
                variable._direct_assign(value)
        return outputs


def direct_predict(model, x):
    """`model`'s outputs on the one batch `x` through its compiled call, or None.

    A Functional or Sequential model with the default `predict_step` and
    `jit_compile` on runs `predict` of one batch as `model(x, training=False)`
    through the jitted function its own calls use (see `_compiled_call`), which
    skips the step runner's setup. Other models, and calls the compiled call does
    not take (masked inputs, untraceable layers), return None: the step runner
    predicts instead.

    Args:
        model: A built model.
        x: The batch: NumPy arrays in the structure of the model's inputs.

    Returns:
        The outputs (JAX arrays), or None.

    Example:

    >>> import numpy as np
    >>> import lamina
    >>> model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)])
    >>> outputs = direct_predict(model, np.ones((1, 3), "float32"))
    >>> tuple(outputs.shape)
    (1, 2)
    """
    if model.run_eagerly or not model.jit_compile or call_context.current_call_context() is not None:
        return None
    calls = model._compiled_call_runner()
    graph = model._compiled_call_graph()
    if calls is None or graph is None:
        return None
    runner = model._runner
    if runner is not None and runner._state is not None:
        # A predict from inside fit: the running state goes back to the Variables first,
        # as the step runner's own predict would leave it.
        runner.sync_to_variables()
    outputs = calls(model, graph, (x,), {"training": False}, compile_now=True)
    return None if outputs is compiled_call.NOT_HANDLED else outputs


def _current(scope, variable):
    value = scope.get_current_value(variable)
    return variable.value if value is None else value


def _stacked_rows(array, indices):
    """`array`'s rows at `indices` `(steps, batch)`: a view when they are a contiguous run."""
    start = contiguous_start(indices)
    if start is None:
        return np.take(array, indices, axis=0)
    return array[start : start + indices.size].reshape(indices.shape + array.shape[1:])


def _gathers_on_host():
    return jax.default_backend() == "cpu"


def _host_array(value):
    """`value` as the NumPy array a step receives (float64 becomes float32)."""
    array = np.asarray(value)
    return array.astype(np.float32) if array.dtype == np.float64 else array


def _batch_of_one(value):
    """A batch as a one-step group (NumPy: the compiled call's own transfer is the cheapest)."""
    return _host_array(value)[None]


def _device_array(value):
    if value is None:
        return None
    return jax.device_put(_host_array(value))
