"""The PyTorch step runner: eager autograd with as little Python per step as possible.

Array datasets become torch tensors once per fit (zero-copy from NumPy on
the CPU); each step gathers its rows with `index_select` (unshuffled data: a
slice, no copy). Variables are `torch.nn.Parameter`s updated in place, so
there is no state to sync back.
"""

import numpy as np
import optree
import torch

from lamina.backend.common.scopes import StatelessScope
from lamina.backend.torch.core import DEFAULT_DEVICE
from lamina.backend.torch.core import convert_to_numpy
from lamina.models import direct_model_call
from lamina.trainers.data_adapters.array_data_adapter import ArrayDataAdapter
from lamina.trainers.data_adapters.array_data_adapter import contiguous_start
from lamina.trainers.data_adapters.data_adapter_utils import pack_x_y_sample_weight
from lamina.trainers.resident_data import ResidentData
from lamina.trainers.trainer_metrics import TrainerMetricsMixin
from lamina.trainers.trainer_utils import custom_step_override


def check_can_train():
    return None


def _to_tensor(value):
    if value is None:
        return None
    array = np.asarray(value)
    if array.dtype == np.float64:
        array = array.astype(np.float32)
    elif array.dtype == np.uint32:
        array = array.astype(np.int64)
    array = np.ascontiguousarray(array)
    if not array.flags.writeable:
        array = array.copy()  # torch.from_numpy warns on read-only memory (pandas 3 returns such arrays)
    tensor = torch.from_numpy(array)
    return tensor if DEFAULT_DEVICE == "cpu" else tensor.to(DEFAULT_DEVICE)


class StepRunner:
    """Runs train / test / predict steps eagerly on one model."""

    # Groups of steps save the loop's per-step callback dispatch and all but the last
    # step's metric results (see `_metrics`).
    auto_steps_per_call = 8

    def __init__(self, model):
        self.model = model
        self._resident = ResidentData()
        if model.jit_compile:
            self._train_core = torch.compile(self._train_core)

    def sync_to_variables(self):
        return None

    def reload_metrics(self):
        return None

    def begin(self, mode, adapter):
        self._adapter = adapter
        self._data = None
        if isinstance(adapter, ArrayDataAdapter):
            self._data = self._resident.get(
                adapter, lambda: optree.tree_map(_to_tensor, adapter.data(), none_is_leaf=False)
            )
        self._variables = None

    def _batches(self, payload):
        if isinstance(payload, np.ndarray) and self._data is None:
            return [
                optree.tree_map(_to_tensor, self._adapter.get_batch(row), none_is_leaf=False)
                for row in payload
            ]
        if isinstance(payload, np.ndarray):
            start = contiguous_start(payload)
            if start is not None:
                # Unshuffled: each batch is a view of the data, no copy.
                size = payload.shape[1]
                return [
                    optree.tree_map(
                        lambda a, s=start + r * size: a.narrow(0, s, size), self._data, none_is_leaf=False
                    )
                    for r in range(payload.shape[0])
                ]
            indices = torch.from_numpy(payload.astype(np.int64)).to(DEFAULT_DEVICE)
            if all(part is None or isinstance(part, torch.Tensor) for part in self._data):
                # Plain `(x, y, sample_weight)` tensors (most fits): gathered without a tree walk.
                return [
                    tuple(None if part is None else torch.index_select(part, 0, row) for part in self._data)
                    for row in indices
                ]
            return [
                optree.tree_map(lambda a, i=row: torch.index_select(a, 0, i), self._data, none_is_leaf=False)
                for row in indices
            ]
        return [optree.tree_map(_to_tensor, batch, none_is_leaf=False) for batch in payload]

    def _trainable(self):
        if self._variables is None:
            self._variables = self.model.trainable_variables
        return self._variables

    def _train_core(self, x, y, sample_weight):
        model = self.model
        with StatelessScope(collect_losses=True, state_mapping=None) as scope:
            y_pred = model(x, training=True)
            loss, parts = model._compute_loss_parts(x, y, y_pred, sample_weight, training=True)
            updates = _pending_updates(scope)
        return y_pred, loss, parts, updates

    def train(self, payload):
        model = self.model
        custom_step = custom_step_override(model, "train_step")
        variables = self._trainable()
        logs = None
        batches = self._batches(payload)
        last = len(batches) - 1
        for index, (x, y, sample_weight) in enumerate(batches):
            if custom_step is not None:
                logs = custom_step(pack_x_y_sample_weight(x, y, sample_weight))
                continue
            y_pred, loss, parts, updates = self._train_core(x, y, sample_weight)
            for variable in variables:
                variable._value.grad = None
            # Gradients of the scaled loss (loss scaling); the logs keep the unscaled one.
            model.optimizer.scale_loss(loss).backward()
            grads = [variable._value.grad for variable in variables]
            with torch.no_grad():
                for variable, value in updates:
                    variable.assign(value.detach())
                model.optimizer.apply(grads, variables)
                y_pred = _detached(y_pred)
                logs = self._metrics(x, y, y_pred, sample_weight, loss.detach(), parts, index == last)
        return logs

    def _metrics(self, x, y, y_pred, sample_weight, loss, parts, with_results=True):
        model = self.model
        first = x if isinstance(x, torch.Tensor) else optree.tree_leaves(x, none_is_leaf=False)[0]
        batch_size = first.shape[0]
        if parts is not None:
            parts = [None if part is None else part.detach() for part in parts]
        model._update_loss_trackers(loss, parts, batch_size)
        if not with_results and _default_metrics_hooks(model):
            # Only the last step's logs leave the group: earlier ones only update the state.
            if model._compile_metrics is not None:
                model._compile_metrics.update_state(y, y_pred, sample_weight)
            return None
        return model.compute_metrics(x, y, y_pred, sample_weight)

    def test(self, payload):
        model = self.model
        custom_step = custom_step_override(model, "test_step")
        logs = None
        batches = self._batches(payload)
        last = len(batches) - 1
        with torch.no_grad():
            for index, (x, y, sample_weight) in enumerate(batches):
                if custom_step is not None:
                    logs = custom_step(pack_x_y_sample_weight(x, y, sample_weight))
                    continue
                with StatelessScope(collect_losses=True) as scope:
                    y_pred = model(x, training=False)
                    loss, parts = model._compute_loss_parts(x, y, y_pred, sample_weight, training=False)
                # Inference can update state too (a stateful RNN's states).
                for variable, value in _pending_updates(scope):
                    variable.assign(value)
                logs = self._metrics(x, y, y_pred, sample_weight, loss, parts, index == last)
        return logs

    def predict(self, payload):
        custom_step = custom_step_override(self.model, "predict_step")
        with torch.no_grad():
            if custom_step is not None:
                return [custom_step((batch[0],)) for batch in self._batches(payload)]
            inputs = self._inputs(payload)
            call = direct_model_call.batch_runner(self.model, inputs[0], False)
            return [call(x) for x in inputs]

    def _inputs(self, payload):
        """The inputs `x` of each batch of `payload` (predict reads no targets)."""
        x = None if self._data is None else self._data[0]
        if isinstance(payload, np.ndarray) and isinstance(x, torch.Tensor):
            start = contiguous_start(payload)
            if start is not None:
                size = payload.shape[1]
                return [x.narrow(0, start + row * size, size) for row in range(payload.shape[0])]
        return [batch[0] for batch in self._batches(payload)]


def concatenate_batches(outputs):
    """`predict`'s per-batch output tensors joined along the batch axis, as one NumPy array.

    One `torch.cat` copies every batch (strided ones too, such as a short-axis
    softmax's transposed result) and the result leaves the device once: on CPU it
    took 125 us for 79 batches of `(128, 10)` where converting each batch and
    joining with NumPy took 213 us.

    Args:
        outputs: The batches' output tensors, in order.

    Returns:
        A NumPy array.

    Example:

    >>> import torch
    >>> concatenate_batches([torch.ones(2, 1), torch.zeros(1, 1)]).tolist()
    [[1.0], [1.0], [0.0]]
    """
    return convert_to_numpy(torch.cat(outputs))


def direct_predict(model, x):
    """`model(x, training=False)` on the one batch `x`, without gradients (no custom `predict_step`).

    Args:
        model: A built model.
        x: The batch: NumPy arrays in the structure of the model's inputs.

    Returns:
        The outputs (tensors).

    Example:

    >>> import numpy as np
    >>> import lamina
    >>> model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)])
    >>> tuple(direct_predict(model, np.ones((1, 3), "float32")).shape)
    (1, 2)
    """
    x = _to_tensor(x) if isinstance(x, np.ndarray) else optree.tree_map(_to_tensor, x, none_is_leaf=False)
    with torch.no_grad():
        return model(x, training=False)


def _detached(outputs):
    if isinstance(outputs, torch.Tensor):
        return outputs.detach()
    return optree.tree_map(lambda tensor: tensor.detach(), outputs)


def _default_metrics_hooks(model):
    kind = type(model)
    return (
        kind.compute_metrics is TrainerMetricsMixin.compute_metrics
        and kind.get_metrics_result is TrainerMetricsMixin.get_metrics_result
    )


def _pending_updates(scope):
    """The `(variable, new value)` pairs a StatelessScope collected from `assign` calls."""
    return [(variable, scope._values[key]) for key, variable in scope._assigned.items()]
