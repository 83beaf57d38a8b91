"""Small helpers of the training loop: first batches, log conversion, specs from arrays."""

import functools
import importlib
import warnings

import numpy as np
import optree

from lamina import ops
from lamina.backend import current
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.trainers.data_adapters.array_data_adapter import ArrayDataAdapter


@functools.cache
def backend_trainer():
    """The active backend's trainer module (imported on first use: it imports the trainers)."""
    return importlib.import_module(f"{current.__name__}.trainer")


def spec_of(value):
    """A KerasTensor for one batch of `value`, with an unknown batch size (float64 becomes float32)."""
    if value is None:
        return None
    if isinstance(value, KerasTensor):
        return value
    shape = (None,) + tuple(np.shape(value))[1:]
    dtype = str(np.asarray(value).dtype) if isinstance(value, np.ndarray) else ops.dtype(value)
    if dtype == "float64":
        dtype = "float32"
    return KerasTensor(shape, dtype=dtype)


def first_batch(adapter):
    """The first `(x, y, sample_weight)` batch of an adapter, without consuming it."""
    if isinstance(adapter, ArrayDataAdapter):
        indices = np.arange(min(adapter.batch_size, adapter.num_samples), dtype=np.int32)
        return adapter.get_batch(indices)
    return adapter.peek()


def num_samples(x):
    """The number of samples in array data `x` (its first leaf's leading size)."""
    leaves = optree.tree_leaves(x, none_is_leaf=False)
    return int(np.shape(leaves[0])[0]) if leaves else 0


def to_python(logs, order=()):
    """Converts logs to floats (NumPy arrays for vector-valued metrics such as per-class F1),
    ordered as Keras orders them (JAX returns dicts sorted by key)."""
    keys = [key for key in order if key in logs] + [key for key in logs if key not in order]
    return {key: _python_value(logs[key]) for key in keys}


def _python_value(value):
    array = np.asarray(ops.convert_to_numpy(value))
    return float(array) if array.ndim == 0 else array


def format_logs(logs, return_dict):
    """Logs as a dict, or as Keras's scalar-or-list when `return_dict` is False."""
    if return_dict:
        return logs
    values = list(logs.values())
    return values[0] if len(values) == 1 else values


def fit_seed():
    """A seed for the epoch shuffling RNG, drawn from lamina's seeded Python RNG."""
    from lamina.random.seed_generator import _draw_python_seed

    return _draw_python_seed()


def warn_out_of_data(epoch):
    """Warns that a generator ran out of batches before the epochs ended."""
    warnings.warn(
        f"Your input ran out of data at epoch {epoch}; training stopped. Pass "
        "steps_per_epoch so that each epoch takes only what the generator can give, "
        "or make the generator repeat.",
        stacklevel=3,
    )


def custom_step_override(model, name):
    """The model's own `train_step` / `test_step` / `predict_step`, or None when it does not define one."""
    return getattr(model, name) if _user_defines(type(model), name) else None


@functools.cache
def _user_defines(cls, name):
    # Classes do not change their methods in practice; a one-sample predict asks every call.
    for base in cls.__mro__:
        if name in base.__dict__:
            return base.__module__.split(".")[0] != "lamina"
    return False


def has_custom_steps(model):
    """Whether the model defines its own train_step, test_step or predict_step."""
    return any(
        custom_step_override(model, name) is not None for name in ("train_step", "test_step", "predict_step")
    )


def defines_call(model):
    """Whether the model (or a user base class) defines `call`, i.e. has a forward pass to trace."""
    from lamina.layers.layer import Layer

    for cls in type(model).__mro__:
        if "call" in cls.__dict__:
            return cls is not Layer
    return False


def predict_one_batch(model, x):
    """`model.predict` of inputs that fit in one batch, with no callbacks: no loop to drive.

    Unless the model defines its own `predict_step`, the backend's `direct_predict`
    (JAX: the model's compiled call; PyTorch and NumPy: the model called directly)
    takes it first; what it declines goes through the step runner.
    """
    if not model.built:
        model._maybe_build((optree.tree_map(spec_of, x, none_is_leaf=False),), {})
    outputs = None
    if custom_step_override(model, "predict_step") is None:
        outputs = backend_trainer().direct_predict(model, x)
    if outputs is not None:
        # A single output skips the tree walk: a one-sample predict is worth microseconds.
        if ops.is_tensor(outputs):
            return ops.convert_to_numpy(outputs)
        return optree.tree_map(ops.convert_to_numpy, outputs)
    runner = model._get_runner()
    runner.begin("predict", None)
    try:
        outputs = runner.predict([(x, None, None)])
    finally:
        runner.sync_to_variables()
    return optree.tree_map(ops.convert_to_numpy, outputs[0])


def concatenate_numpy(outputs):
    """Tensors joined along the batch axis as one NumPy array, each converted first.

    What the JAX and NumPy backends' `concatenate_batches` do (see
    `concatenate_outputs`).

    Example:

    >>> import lamina
    >>> concatenate_numpy([lamina.ops.ones((1, 2)), lamina.ops.zeros((1, 2))]).tolist()
    [[1.0, 1.0], [0.0, 0.0]]
    """
    to_numpy = current.core.convert_to_numpy
    return np.concatenate([to_numpy(output) for output in outputs], axis=0)


def concatenate_outputs(outputs):
    """`predict`'s result: the batches' outputs, each joined along the batch axis into one NumPy array.

    Args:
        outputs: One output structure (tensors) per batch, in order.

    Returns:
        The outputs' structure with NumPy arrays.

    Example:

    >>> import lamina
    >>> parts = [lamina.ops.ones((2, 1)), lamina.ops.zeros((1, 1))]
    >>> concatenate_outputs(parts).tolist()
    [[1.0], [1.0], [0.0]]
    """
    if all(ops.is_tensor(output) for output in outputs):
        # A single output (most models) needs no tree walk per batch.
        return backend_trainer().concatenate_batches(outputs)
    numpy_outputs = [optree.tree_map(ops.convert_to_numpy, output) for output in outputs]
    return optree.tree_map(lambda *parts: np.concatenate(parts, axis=0), *numpy_outputs)
