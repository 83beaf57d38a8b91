"""Legacy `.h5` whole-model and weights files (Keras 2 and Keras 3's legacy writer).

The layout is order-based: root attributes `keras_version`, `backend`,
`model_config` and `training_config` (JSON); group `model_weights` with the
attribute `layer_names` and one subgroup per layer holding `weight_names` and the
weight datasets, in legacy order (trainable then non-trainable); group
`optimizer_weights` with the optimizer's state. Weights load by position over the
layers that have weights, or by layer name. Safe mode refuses Lambda bytecode
before anything is built, and every dataset is read through hard links only.
"""

import json
import os
import tempfile
import warnings

import numpy as np

from lamina.saving import legacy_h5_config
from lamina.saving import loading_scopes

# HDF5 refuses object headers (attributes) larger than this; longer lists are chunked.
_HEADER_LIMIT = 64512


def save_model_to_hdf5(model, filepath, overwrite=True, include_optimizer=True):
    """Saves a model to a legacy `.h5` file that Keras 2/3's `load_model` can read.

    The file goes to a temporary file in the same folder that replaces `filepath`
    only once complete, so an interrupted save leaves the previous file intact.

    Args:
        model: A built model.
        filepath: Destination path (`.h5` / `.hdf5`).
        overwrite: Whether to replace an existing file (otherwise `FileExistsError`).
        include_optimizer: Whether to save the training config and optimizer state.

    Example:

    >>> import os, tempfile, lamina
    >>> model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)])
    >>> path = os.path.join(tempfile.mkdtemp(), "m.h5")
    >>> save_model_to_hdf5(model, path)
    >>> load_model_from_hdf5(path, compile=False).layers[0].units
    2
    """
    import h5py

    import lamina
    from lamina.backend import backend

    filepath = os.fspath(filepath)
    if not getattr(model, "built", False):
        raise ValueError("save_model: the model is not built. Call it on data or use `build()` first.")
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(f"save_model: {filepath} exists and overwrite=False.")
    attributes = {
        "keras_version": lamina.__version__,
        "backend": backend(),
        "model_config": _to_json(legacy_h5_config.legacy_model_config(model)),
    }
    optimizer = getattr(model, "optimizer", None)
    compile_config = model.get_compile_config() if hasattr(model, "get_compile_config") else None
    if include_optimizer and optimizer is not None and compile_config:
        training = {key: value for key, value in compile_config.items() if key != "optimizer"}
        training = legacy_h5_config.legacy_object(training)
        training["optimizer_config"] = {
            "class_name": _registered_name(type(optimizer)),
            "config": optimizer.get_config(),
        }
        attributes["training_config"] = _to_json(training)
    directory = os.path.dirname(os.path.abspath(filepath))
    os.makedirs(directory, exist_ok=True)
    handle, temporary = tempfile.mkstemp(suffix=".h5", dir=directory)
    os.close(handle)
    try:
        with h5py.File(temporary, "w") as file:
            for key, value in attributes.items():
                file.attrs[key] = value
            _save_model_weights(file.create_group("model_weights"), model, attributes)
            # An optimizer that never stepped has no slots yet: nothing worth restoring.
            if include_optimizer and optimizer is not None and getattr(optimizer, "built", False):
                _save_weight_list(file.create_group("optimizer_weights"), optimizer.variables)
        os.replace(temporary, filepath)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def load_model_from_hdf5(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a model from a legacy `.h5` file written by Keras 2, Keras 3 or lamina.

    Args:
        filepath: Path to the `.h5` file.
        custom_objects: Optional dict of custom classes and functions by name.
        compile: Whether to compile the model with the saved training config.
        safe_mode: Whether to refuse Lambda layers that hold Python bytecode (loading
            them runs code from the file).

    Returns:
        The model, with its weights (compiled when `compile` and the file has a
        training config).

    Example:

    >>> import os, tempfile, numpy as np, lamina
    >>> model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)])
    >>> path = os.path.join(tempfile.mkdtemp(), "m.h5")
    >>> save_model_to_hdf5(model, path)
    >>> restored = load_model_from_hdf5(path, compile=False)
    >>> inputs = np.ones((1, 3))
    >>> bool(np.allclose(restored.predict(inputs, verbose=0), model.predict(inputs, verbose=0)))
    True
    """
    with _open(filepath, "load_model") as file:
        raw = file.attrs.get("model_config")
        if raw is None:
            raise ValueError(f"load_model: no model config found in the file at {filepath}.")
        config = legacy_h5_config.convert_model_config(_from_json(raw, "model_config", filepath))
        if loading_scopes.effective_safe_mode(safe_mode):
            _refuse_lambdas(config, filepath)
        model = _deserialize_model(config, custom_objects, safe_mode)
        _load_weights_from_group(_group(file, "model_weights", filepath), model, False, False, filepath)
        if not compile:
            return model
        raw_training = file.attrs.get("training_config")
        if raw_training is None:
            warnings.warn(
                "No training configuration found in the save file, so the model was *not* compiled. "
                "Compile it manually.",
                stacklevel=2,
            )
            return model
        training = _from_json(raw_training, "training_config", filepath)
        legacy_h5_config.compile_from_training_config(model, training, custom_objects)
        if "optimizer_weights" in file:
            _restore_optimizer(model, _group(file, "optimizer_weights", filepath), filepath)
    return model


def load_weights_from_hdf5(model, filepath, by_name=False, skip_mismatch=False):
    """Loads the weights of a legacy `.h5` file (whole model or weights only) into `model`.

    Args:
        model: A built model with the architecture that wrote the file.
        filepath: Path to the `.h5` file.
        by_name: Whether to match layers by name (otherwise by position over the
            layers that have weights).
        skip_mismatch: Whether to skip, with a warning, layers whose weight count or
            shapes differ from the file, instead of raising `ValueError`.

    Example:

    >>> import os, tempfile, lamina
    >>> model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)])
    >>> path = os.path.join(tempfile.mkdtemp(), "m.h5")
    >>> save_model_to_hdf5(model, path)
    >>> load_weights_from_hdf5(model, path, by_name=True)
    """
    with _open(filepath, "load_weights") as file:
        group = _group(file, "model_weights", filepath) if "model_weights" in file else file
        _load_weights_from_group(group, model, by_name, skip_mismatch, filepath)


# -- writing -----------------------------------------------------------------------------


def _registered_name(cls):
    from lamina.saving import object_registration

    return object_registration.get_registered_name(cls)


def _to_json(value):
    def default(item):
        if isinstance(item, np.generic):
            return item.item()
        if isinstance(item, np.ndarray):
            return item.tolist()
        if hasattr(item, "numpy"):
            return np.asarray(item.numpy()).tolist()
        raise TypeError(f"save_model: cannot write {item!r} of type {type(item).__name__} to JSON.")

    return json.dumps(value, default=default)


def _legacy_weights(layer):
    return list(layer.trainable_weights) + list(layer.non_trainable_weights)


def _save_model_weights(group, model, attributes):
    _save_names(group, "layer_names", [layer.name for layer in model.layers])
    group.attrs["backend"] = attributes["backend"]
    group.attrs["keras_version"] = attributes["keras_version"]
    for layer in sorted(model.layers, key=lambda layer: layer.name):
        _save_weight_list(group.create_group(layer.name), _legacy_weights(layer))
    own = list(model._trainable_variables) + list(model._non_trainable_variables)
    _save_weight_list(group.create_group("top_level_model_weights"), own)


def _save_weight_list(group, variables):
    names = []
    for variable in variables:
        name = variable.path
        if name in names or name in group:
            raise ValueError(f"save_model: two weights share the path '{name}' in '{group.name}'.")
        names.append(name)
        group.create_dataset(name, data=np.array(variable.numpy()))
    _save_names(group, "weight_names", names)


def _save_names(group, name, values):
    import h5py

    if not values:
        group.attrs[name] = np.array([], dtype="float64")  # As Keras writes an empty list.
        return
    encoded = [value.encode("utf8") for value in values]
    too_long = [value for value in encoded if len(value) > _HEADER_LIMIT]
    if too_long:
        raise ValueError(f"save_model: names longer than {_HEADER_LIMIT} bytes cannot be stored: {too_long}")
    chunks = 1
    while any(sum(len(item) + 1 for item in part) > _HEADER_LIMIT for part in _split(values, chunks)):
        chunks += 1
    string = h5py.string_dtype("utf-8")
    if chunks == 1:
        group.attrs[name] = np.array(values, dtype=string)
        return
    for index, part in enumerate(_split(values, chunks)):
        group.attrs[f"{name}{index}"] = np.array(part, dtype=string)


def _split(values, chunks):
    return [list(part) for part in np.array_split(np.array(values, dtype=object), chunks)]


# -- reading -----------------------------------------------------------------------------


class _open:
    """Opens an HDF5 file for reading; unreadable files raise a clear ValueError."""

    def __init__(self, filepath, caller):
        self.filepath = os.fspath(filepath)
        self.caller = caller

    def __enter__(self):
        import h5py

        if not os.path.isfile(self.filepath):
            raise FileNotFoundError(f"{self.caller}: no file found at {self.filepath}.")
        try:
            self.file = h5py.File(self.filepath, "r")
        except OSError as error:
            raise ValueError(
                f"{self.caller}: {self.filepath} is not a readable HDF5 file (truncated or corrupt?): {error}"
            ) from None
        return self.file

    def __exit__(self, kind, error, traceback):
        self.file.close()
        if (
            kind is not None
            and issubclass(kind, (OSError, RuntimeError, KeyError))
            and not isinstance(error, FileNotFoundError)
        ):
            raise ValueError(
                f"{self.caller}: could not read {self.filepath} (truncated or corrupt?): {error}"
            ) from None
        return False


def _decode(value):
    return value.decode("utf8") if isinstance(value, (bytes, np.bytes_)) else str(value)


def _from_json(raw, name, filepath):
    try:
        return json.loads(_decode(raw))
    except (ValueError, TypeError) as error:
        raise ValueError(
            f"load_model: the `{name}` attribute of {filepath} is not valid JSON: {error}"
        ) from None


def _load_names(group, name):
    """Reads a string-list attribute: str or fixed `|S` bytes, whole or chunked `name0`, `name1`, ..."""
    if name in group.attrs:
        parts = [group.attrs[name]]
    else:
        parts = []
        while f"{name}{len(parts)}" in group.attrs:
            parts.append(group.attrs[f"{name}{len(parts)}"])
    names = []
    for part in parts:
        part = np.asarray(part)
        if part.dtype.kind == "f":  # An empty list, written as float64.
            continue
        names.extend(_decode(item) for item in part.reshape(-1))
    return names


def _linked(parent, name, filepath):
    """`parent[name]` through hard links only: no external files, no soft-link loops."""
    import h5py

    if not isinstance(name, str) or name.startswith("/") or ".." in name.split("/"):
        raise ValueError(f"load_model: invalid entry name {name!r} in {filepath}.")
    current = parent
    for part in [part for part in name.split("/") if part]:
        link = current.get(part, getlink=True) if isinstance(current, h5py.Group) else None
        if not isinstance(link, h5py.HardLink):
            raise ValueError(
                f"load_model: '{current.name}/{part}' is missing or not a plain entry in {filepath} "
                "(the file was written by a different model, or is corrupt)."
            )
        current = current[part]
    return current


def _group(parent, name, filepath):
    import h5py

    group = _linked(parent, name, filepath)
    if not isinstance(group, h5py.Group):
        raise ValueError(f"load_model: '{group.name}' in {filepath} is not a group.")
    return group


def _datasets(group, filepath):
    import h5py

    datasets = []
    for name in _load_names(group, "weight_names"):
        dataset = _linked(group, name, filepath)
        if not isinstance(dataset, h5py.Dataset):
            raise ValueError(f"load_model: '{dataset.name}' in {filepath} is not a dataset.")
        if dataset.external or dataset.is_virtual:
            raise ValueError(
                f"load_model: '{dataset.name}' in {filepath} keeps its data outside the file; "
                "refusing to read it."
            )
        datasets.append(dataset)
    return datasets


def _assign(variables, datasets, description, skip_mismatch):
    if len(variables) != len(datasets):
        message = (
            f"Weight count mismatch for {description}: the layer expects {len(variables)} weight(s), "
            f"the file has {len(datasets)}."
        )
        if skip_mismatch:
            warnings.warn(f"Skipping loading weights for {description}. {message}", stacklevel=4)
            return
        raise ValueError(message)
    for variable, dataset in zip(variables, datasets):
        if tuple(variable.shape) != tuple(dataset.shape):
            message = (
                f"Shape mismatch in {description} for weight {variable.path}: the weight expects shape "
                f"{tuple(variable.shape)}, the file has shape {tuple(dataset.shape)} ('{dataset.name}')."
            )
            if skip_mismatch:
                warnings.warn(f"Skipping: {message}", stacklevel=4)
                continue
            raise ValueError(message)
        # Shapes were checked first, so a file cannot make us read a huge array.
        variable.assign(np.asarray(dataset[()]))


def _load_weights_from_group(group, model, by_name, skip_mismatch, filepath):
    layer_names = _load_names(group, "layer_names")
    if by_name:
        index = {}
        for layer in model.layers:
            index.setdefault(layer.name, []).append(layer)
        for position, name in enumerate(layer_names):
            if name not in index:
                continue
            datasets = _datasets(_group(group, name, filepath), filepath)
            for layer in index[name]:
                description = f"layer #{position} (named '{layer.name}')"
                _assign(_legacy_weights(layer), datasets, description, skip_mismatch)
    else:
        layers = [layer for layer in model.layers if _legacy_weights(layer)]
        saved = []
        for name in layer_names:
            datasets = _datasets(_group(group, name, filepath), filepath)
            if datasets:
                saved.append((name, datasets))
        if len(saved) != len(layers):
            raise ValueError(
                f"Layer count mismatch when loading weights from {filepath}: the model has "
                f"{len(layers)} layers with weights ({[layer.name for layer in layers]}), the file has "
                f"{len(saved)} ({[name for name, _ in saved]})."
            )
        for position, (layer, (name, datasets)) in enumerate(zip(layers, saved)):
            description = f"layer #{position} (named '{layer.name}' in the model, '{name}' in the file)"
            _assign(_legacy_weights(layer), datasets, description, skip_mismatch)
    if "top_level_model_weights" in group:
        own = list(model._trainable_variables) + list(model._non_trainable_variables)
        datasets = _datasets(_group(group, "top_level_model_weights", filepath), filepath)
        _assign(own, datasets, "the top-level model weights", skip_mismatch)


def _refuse_lambdas(config, filepath):
    names = legacy_h5_config.find_python_lambdas(config)
    if names:
        raise ValueError(
            f"load_model: the model in {filepath} has Lambda layer(s) {names} whose function is Python "
            "bytecode. Loading it would run code from the file, which safe mode refuses. If you trust "
            "the file, pass `safe_mode=False`."
        )


def _deserialize_model(config, custom_objects, safe_mode):
    """Builds the model from its converted config through lamina's deserializer."""
    from lamina.saving import serialization

    return serialization.deserialize_keras_object(config, custom_objects=custom_objects, safe_mode=safe_mode)


def _restore_optimizer(model, group, filepath):
    optimizer = model.optimizer
    try:
        optimizer.build(model.trainable_variables)
    except (NotImplementedError, AttributeError, ValueError) as error:
        warnings.warn(
            f"Could not create the optimizer's state ({error}); the model starts with a freshly "
            "initialized optimizer.",
            stacklevel=3,
        )
        return
    datasets = _datasets(group, filepath)
    variables = optimizer.variables
    if len(datasets) != len(variables) or any(
        tuple(variable.shape) != tuple(dataset.shape) for variable, dataset in zip(variables, datasets)
    ):
        warnings.warn(
            f"Error in loading the saved optimizer state: the optimizer has {len(variables)} variables, "
            f"the file has {len(datasets)} with different names or shapes. As a result, the model starts "
            "with a freshly initialized optimizer.",
            stacklevel=3,
        )
        return
    for variable, dataset in zip(variables, datasets):
        variable.assign(np.asarray(dataset[()]))
