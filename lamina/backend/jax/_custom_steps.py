"""A model's own `train_step` / `test_step` / `predict_step` on JAX, compiled.

Two styles run:

1. Keras's stateless JAX style, `train_step(self, state, data)` returning
   `(logs, state)` with `state = (trainable, non_trainable, optimizer,
   metrics)` values (`test_step`'s state is `(trainable, non_trainable,
   metrics)`; `predict_step(self, state, data)` gets `(trainable,
   non_trainable)` and returns `(outputs, non_trainable)`), compiled as written.
2. The style written once for every backend, `train_step(self, data)`: it
   reads and assigns Variables, takes gradients with
   `lamina.ops.value_and_gradients` and applies them with `optimizer.apply`.
   The first call runs eagerly, which creates the optimizers' slots and the
   metrics' variables; later calls are traced once and compiled, with every
   variable's value threaded through a StatelessScope.
"""

import inspect

from lamina.backend.common.scopes import StatelessScope
from lamina.trainers.data_adapters.data_adapter_utils import pack_x_y_sample_weight


def other_state_variables(model, groups):
    """Variables of the optimizers and metrics the model holds beyond `model.optimizer` / `metrics`."""
    from lamina.metrics.metric import Metric
    from lamina.optimizers.optimizer import Optimizer

    known = {id(variable) for group in groups for variable in group}
    found = []
    for value in list(vars(model).values()):
        if isinstance(value, dict):
            items = list(value.values())
        elif isinstance(value, (list, tuple)):
            items = list(value)
        else:
            items = [value]
        for item in items:
            if isinstance(item, (Optimizer, Metric)):
                for variable in item.variables:
                    if id(variable) not in known:
                        known.add(id(variable))
                        found.append(variable)
    return found


def _takes_state(step):
    positional = [
        parameter
        for parameter in inspect.signature(step).parameters.values()
        if parameter.kind in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD)
    ]
    return len(positional) == 2


def run(runner, kind, step, payload):
    """Runs `step` (the model's bound `<kind>_step`) on each batch of `payload`."""
    runner._ensure_state()
    results = []
    for batch in runner._device_batches(payload):
        data = (batch[0],) if kind == "predict" else pack_x_y_sample_weight(*batch)
        results.append(_one_step(runner, kind, step, data))
    return results if kind == "predict" else results[-1]


def _one_step(runner, kind, step, data):
    donate = kind != "predict"
    if _takes_state(step):
        state = runner._ensure_state()
        function = runner._compiled(f"{kind}_stateless", _stateless(step, kind), donate=donate)
        result, runner._state = function(state, data)
        return result
    warm = runner.__dict__.setdefault("_custom_steps_run", set())
    if kind not in warm:
        runner.sync_to_variables()
        result = step(data)
        warm.add(kind)
        return result
    state = runner._ensure_state()
    function = runner._compiled(f"{kind}_stateful", _stateful(runner, kind, step), donate=donate)
    result, runner._state = function(state, data)
    return result


def _stateless(step, kind):
    # Keras's state tuples: train (trainable, non-trainable, optimizer, metrics); test
    # (trainable, non-trainable, metrics); predict (trainable, non-trainable).
    def run_step(state, data):
        if kind == "predict":
            outputs, non_trainable = step((state[0], state[1]), data)
            return outputs, (state[0], list(non_trainable), *state[2:])
        if kind == "test":
            logs, (trainable, non_trainable, metrics) = step((state[0], state[1], state[3]), data)
            new_state = (list(trainable), list(non_trainable), state[2], list(metrics), state[4])
            return logs, new_state
        logs, new_state = step(tuple(state[:4]), data)
        return logs, tuple(list(values) for values in new_state) + (state[4],)

    return run_step


def _stateful(runner, kind, step):
    def run_step(state, data):
        groups = runner._groups
        mapping = [
            (variable, value)
            for group, values in zip(groups, state)
            for variable, value in zip(group, values)
        ]
        known = {id(variable) for group in groups for variable in group}
        with StatelessScope(state_mapping=mapping) as scope:
            result = step(data)
            stray = [variable.path for key, variable in scope._assigned.items() if key not in known]
            new_state = tuple([_current(scope, variable) for variable in group] for group in groups)
        if stray:
            raise ValueError(
                f"{type(runner.model).__name__}.{kind}_step() assigned the variables {stray}, which "
                "are not part of the model's state (its layers, optimizers and metrics), so their "
                "new values would be lost in the compiled step. Make the objects that own them "
                "attributes of the model."
            )
        return result, new_state

    return run_step


def _current(scope, variable):
    value = scope.get_current_value(variable)
    return variable.value if value is None else value
