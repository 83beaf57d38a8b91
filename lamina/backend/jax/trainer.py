"""The JAX step runner: train / test / predict steps as pure functions compiled with `jax.jit`.

The state is five lists of arrays — trainable, non-trainable, optimizer and
metric values, then the variables of other optimizers and metrics the model
holds (a GAN's second optimizer) — threaded through the compiled steps. Array datasets are put
on the device once; a compiled call receives a `(steps, batch)` index array,
gathers each batch on the device and runs the steps in one `lax.scan`. The
Variables are written back only when the loop (or a callback) needs them.
"""

import jax
import jax.numpy as jnp
import numpy as np
import optree

from lamina.backend.common.scopes import StatelessScope
from lamina.backend.jax import _custom_steps as custom_steps
from lamina.trainers.data_adapters.array_data_adapter import ArrayDataAdapter
from lamina.trainers.resident_data import ResidentData
from lamina.trainers.trainer_utils import custom_step_override


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
            self._state = tuple([jnp.array(v.value, copy=True) for v in group] for group in groups)
        return self._state

    def sync_to_variables(self):
        if self._state is None:
            return
        for group, values in zip(self._groups, self._state):
            for variable, value in zip(group, values):
                variable._direct_assign(jnp.array(value, copy=True))
        self._state = None

    def reload_metrics(self):
        if self._state is not None:
            metric_values = [jnp.array(v.value, copy=True) for v in self._groups[3]]
            self._state = self._state[:3] + (metric_values,) + self._state[4:]

    # -- data -------------------------------------------------------------------------

    def begin(self, mode, adapter):
        """Prepares `adapter`'s data for `mode`: array data goes to the device once."""
        if mode != "predict":
            self._ensure_state()
        self._data = None
        if isinstance(adapter, ArrayDataAdapter):
            self._data = self._resident.get(
                adapter, lambda: optree.tree_map(_device_array, adapter.data(), none_is_leaf=False)
            )
            self._adapter = adapter

    def _batches_from_payload(self, payload):
        if isinstance(payload, np.ndarray):
            if self._data is not None:
                return "indices", payload
            return "batches", [self._adapter.get_batch(indices) for indices in payload]
        return "batches", payload

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

    def _multi_step(self, step):
        def run(state, data, indices):
            if indices.shape[0] == 1:
                # XLA on CPU runs convolutions inside a loop body several times slower
                # than at top level, so one step per execution is not wrapped in a scan.
                return step(state, _gather(data, indices[0]))

            def body(carry, step_indices):
                logs, carry = step(carry, _gather(data, step_indices))
                return carry, logs

            state, logs = jax.lax.scan(body, state, indices)
            return optree.tree_map(lambda values: values[-1], logs), state

        return run

    def _compiled(self, name, function, donate=True):
        if name not in self._functions:
            if self._eager:
                self._functions[name] = function
            else:
                self._functions[name] = jax.jit(function, donate_argnums=(0,) if donate else ())
        return self._functions[name]

    def _run(self, kind, step, payload):
        mode, batches = self._batches_from_payload(payload)
        state = self._ensure_state()
        logs = None
        if mode == "indices":
            function = self._compiled(f"{kind}_multi", self._multi_step(step))
            logs, state = function(state, self._data, batches)
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
        mode, batches = self._batches_from_payload(payload)
        # Outside fit the Variables' own arrays are read in place: the predict step donates
        # nothing, so there is no state to copy in and out (a large part of a small predict).
        borrowed = self._state is None
        if borrowed:
            self._groups = self._variable_groups()
            state = tuple([v.value for v in group] for group in self._groups[:2]) + ((), (), ())
        else:
            state = self._state
        function = self._compiled("predict", self._predict_step, donate=False)
        outputs = []
        if mode == "indices":
            inputs = (_gather(self._data[0], jnp.asarray(indices)) for indices in batches)
        else:
            inputs = (optree.tree_map(_device_array, batch[0], none_is_leaf=False) for batch in batches)
        for x in inputs:
            batch_outputs, non_trainable = function(state, x)
            state = (state[0], non_trainable, *state[2:])
            outputs.append(batch_outputs)
        if not borrowed:
            self._state = state
            return outputs
        for variable, value in zip(self._groups[1], state[1]):
            if value is not variable.value:
                variable._direct_assign(value)
        return outputs


def _current(scope, variable):
    value = scope.get_current_value(variable)
    return variable.value if value is None else value


def _device_array(value):
    if value is None:
        return None
    array = np.asarray(value)
    if array.dtype == np.float64:
        array = array.astype(np.float32)
    return jax.device_put(array)
