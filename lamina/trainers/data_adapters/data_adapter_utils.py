"""Choosing a data adapter, and packing/unpacking `(x, y, sample_weight)`."""

import types
import warnings

import numpy as np
import optree

from lamina import ops


def unpack_x_y_sample_weight(data):
    """Splits a batch into `(x, y, sample_weight)`; missing parts are None.

    Example:

    >>> unpack_x_y_sample_weight((1, 2))
    (1, 2, None)
    """
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data[0], data[1], data[2]
    raise ValueError(
        "Data is expected to be x, (x,), (x, y) or (x, y, sample_weight). "
        f"Received a tuple of {len(data)} elements."
    )


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """Packs `x`, `y` and `sample_weight` into the tuple a data adapter yields.

    Example:

    >>> pack_x_y_sample_weight(1, 2)
    (1, 2)
    """
    if y is None:
        return (x,)
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def is_array_like(value):
    return (
        isinstance(value, (np.ndarray, np.generic))
        or ops.is_tensor(value)
        or (hasattr(value, "__array__") and hasattr(value, "shape") and not isinstance(value, type))
    )


def is_array_structure(value):
    if value is None:
        return True
    leaves = optree.tree_leaves(value, none_is_leaf=False)
    return bool(leaves) and all(
        is_array_like(leaf) or isinstance(leaf, (list, float, int)) for leaf in leaves
    )


def get_data_adapter(
    x, y=None, sample_weight=None, batch_size=None, steps_per_epoch=None, shuffle=False, class_weight=None
):
    """Returns the adapter for `x`: arrays (NumPy, tensors, pandas, lists and dicts of them), a
    `PyDataset`, a torch `DataLoader` / `Dataset`, or a Python generator."""
    from lamina.trainers.data_adapters.array_data_adapter import ArrayDataAdapter
    from lamina.trainers.data_adapters.generator_data_adapter import GeneratorDataAdapter
    from lamina.trainers.data_adapters.py_dataset_adapter import PyDatasetAdapter
    from lamina.trainers.data_adapters.torch_data_loader_adapter import TorchDataLoaderAdapter
    from lamina.trainers.data_adapters.torch_data_loader_adapter import is_torch_data
    from lamina.trainers.data_adapters.torch_data_loader_adapter import is_torch_data_loader
    from lamina.utils.dataset_utils import ArrayDataset
    from lamina.utils.py_dataset import PyDataset

    if isinstance(x, ArrayDataset):
        if y is not None or sample_weight is not None:
            raise ValueError(
                "When x is an ArrayDataset (from split_dataset) it holds the targets itself; "
                "do not pass y or sample_weight."
            )
        x, y, sample_weight = unpack_x_y_sample_weight(x.arrays)
    if isinstance(x, PyDataset) or is_torch_data(x):
        name = "a PyDataset" if isinstance(x, PyDataset) else "a torch DataLoader or Dataset"
        if y is not None or sample_weight is not None:
            raise ValueError(
                f"When x is {name} it must return (x, y) or (x, y, sample_weight) batches itself; "
                "do not pass y or sample_weight. Received "
                + ("y" if y is not None else "sample_weight")
                + " of type "
                + type(y if y is not None else sample_weight).__name__
                + "."
            )
        if isinstance(x, PyDataset):
            if shuffle and x.num_batches is None:
                warnings.warn(
                    "`shuffle=True` was passed, but will be ignored since the data `x` was provided "
                    "as an infinite PyDataset. The PyDataset is expected to already be shuffled.",
                    stacklevel=3,
                )
            return PyDatasetAdapter(
                x, shuffle=shuffle, steps_per_epoch=steps_per_epoch, class_weight=class_weight
            )
        if class_weight is not None:
            raise ValueError(
                "class_weight is not supported for torch DataLoader inputs: return "
                "(x, y, sample_weight) batches instead. Received: class_weight=" + repr(class_weight)
            )
        if shuffle and is_torch_data_loader(x):
            warnings.warn(
                "`shuffle=True` was passed, but will be ignored since the data `x` was provided as "
                "a torch DataLoader. The DataLoader is expected to already be shuffled.",
                stacklevel=3,
            )
        return TorchDataLoaderAdapter(
            x, batch_size=batch_size, shuffle=shuffle, steps_per_epoch=steps_per_epoch
        )
    if isinstance(x, types.GeneratorType) or _is_iterator_like(x):
        if y is not None:
            raise ValueError(
                "When x is a generator it must yield (x, y) tuples itself; "
                "do not pass y. Received y of type " + type(y).__name__ + "."
            )
        if sample_weight is not None:
            raise ValueError(
                "When x is a generator it must yield sample weights itself; do not pass sample_weight."
            )
        return GeneratorDataAdapter(x, steps_per_epoch=steps_per_epoch)
    if x is None:
        raise ValueError("fit/evaluate/predict expect input data x. Received: x=None")
    x, y, sample_weight = optree.tree_map(_from_pandas, (x, y, sample_weight), none_is_leaf=False)
    if is_array_structure(x):
        return ArrayDataAdapter(
            x,
            y,
            sample_weight=sample_weight,
            batch_size=batch_size,
            steps_per_epoch=steps_per_epoch,
            shuffle=shuffle,
            class_weight=class_weight,
        )
    raise ValueError(
        "Unrecognized data type: x=" + type(x).__name__ + ". Expected NumPy arrays, "
        "backend tensors or pandas objects (or lists/dicts of them), a PyDataset, a torch "
        "DataLoader, or a Python generator yielding "
        "(x, y) or (x, y, sample_weight) batches."
    )


def _is_iterator_like(x):
    if isinstance(x, (np.ndarray, list, tuple, dict, str)) or ops.is_tensor(x):
        return False
    return hasattr(x, "__next__") and hasattr(x, "__iter__")


def _from_pandas(value):
    """A pandas DataFrame / Series (duck-typed, pandas is not imported) as a writable NumPy array."""
    if isinstance(value, np.ndarray) or not hasattr(value, "to_numpy") or ops.is_tensor(value):
        return value
    # pandas may return a read-only view (copy-on-write); torch.from_numpy warns on those.
    array = np.asarray(value.to_numpy())
    return array if array.flags.writeable else array.copy()
