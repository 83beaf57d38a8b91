"""Keras 3's `.weights.h5` files: `save_weights` / `load_weights` over the object graph.

The file mirrors the object graph, as Keras writes it: every layer (and the
optimizer) gets the group `<path>/vars` with datasets `"0"`, `"1"`, ... and the
attribute `name`. A child's path is its attribute name on the parent, visited in
sorted `dir()` order with private attributes last; `Sequential` and `Functional`
models first visit `layers`. Objects in lists and dicts are named by the snake
case of their class name plus a per-container counter (`dense`, `dense_1`).
Each object is written once, at the first path that reaches it. Layer names
never appear in paths, so renamed layers still load.
"""

import os
import re
import tempfile
import warnings

import numpy as np

from lamina.backend.common import naming

_SUFFIX = ".weights.h5"

# Attributes that only lamina's containers hold; Keras's own skip-lists exclude
# the equivalent internals (`_layers`, `_functional`, `operations`).
_LAMINA_SKIPS = {
    "Sequential": {"_functional", "_sequence", "_input_layer"},
    "Functional": {"operations", "_operations", "_graph", "_functional_layers"},
}
_skipsets = {}


def save_weights(model, filepath, overwrite=True, max_shard_size=None):
    """Writes the weights of `model` (a model or any layer) to a Keras 3 `.weights.h5` file.

    The write goes to a temporary file that replaces `filepath` only once it is
    complete, so an interrupted save leaves the previous file intact.

    Args:
        model: A built model or layer.
        filepath: Path ending in `.weights.h5`.
        overwrite: Whether to replace an existing file (otherwise `FileExistsError`).
        max_shard_size: `None` for one file; otherwise the largest shard size in GB, and
            the weights go to a sharded `.weights.json` index plus `<name>_00000.weights.h5`,
            ... files, as Keras writes them (see `lamina.saving.weights_sharded`; a
            `.weights.h5` name is renamed to `.weights.json` with a warning, as Keras does).

    Example:

    >>> import os, tempfile, lamina
    >>> model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)])
    >>> path = os.path.join(tempfile.mkdtemp(), "m.weights.h5")
    >>> save_weights(model, path)
    >>> load_weights(model, path)
    """
    import h5py

    filepath = os.fspath(filepath)
    if max_shard_size is not None:
        from lamina.saving import weights_sharded

        weights_sharded.save_weights_sharded(model, filepath, max_shard_size, overwrite=overwrite)
        return
    if not filepath.endswith(_SUFFIX):
        raise ValueError(f"The filename must end in `{_SUFFIX}`. Received: filepath={filepath}")
    if not getattr(model, "built", False):
        raise ValueError(
            "You are saving a model that has not yet been built. Try building the model first "
            "by calling it on some data or by using `build()`."
        )
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(f"save_weights: {filepath} exists and overwrite=False.")
    directory = os.path.dirname(os.path.abspath(filepath))
    handle, temporary = tempfile.mkstemp(suffix=_SUFFIX, dir=directory)
    os.close(handle)
    try:
        with h5py.File(temporary, "w") as file:
            _save_state(model, file, "", set())
        os.replace(temporary, filepath)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def load_weights(model, filepath, skip_mismatch=False):
    """Loads a Keras 3 `.weights.h5` file (written by Keras or lamina) into `model`.

    Args:
        model: A built model or layer with the architecture that wrote the file.
        filepath: Path ending in `.weights.h5`, or the `.weights.json` index of sharded weights.
        skip_mismatch: Whether to skip (with a warning) objects whose variable count or
            shapes differ from the file, instead of raising.

    Example:

    >>> import os, tempfile, lamina
    >>> layer = lamina.layers.Dense(2)
    >>> layer.build((None, 3))
    >>> path = os.path.join(tempfile.mkdtemp(), "d.weights.h5")
    >>> save_weights(layer, path)
    >>> load_weights(layer, path, skip_mismatch=True)
    """
    import h5py

    filepath = os.fspath(filepath)
    if filepath.endswith("weights.json"):
        from lamina.saving import weights_sharded

        weights_sharded.load_weights_sharded(model, filepath, skip_mismatch=skip_mismatch)
        return
    if not filepath.endswith(_SUFFIX):
        raise ValueError(
            f"load_weights: this loader reads `{_SUFFIX}` files (or a sharded `.weights.json` index). "
            f"Received: filepath={filepath}"
        )
    if not os.path.exists(filepath):
        raise FileNotFoundError(f"load_weights: no file found at {filepath}.")
    try:
        file = h5py.File(filepath, "r")
    except Exception as error:
        raise ValueError(f"load_weights: {filepath} is not a readable HDF5 file ({error}).") from None
    with file:
        _load_state(model, file, "", set(), skip_mismatch)


# -- the object-graph walk -------------------------------------------------------------


def _is_saveable(value):
    from lamina.layers.layer import Layer
    from lamina.optimizers.optimizer import Optimizer

    return isinstance(value, (Layer, Optimizer))


def _object_type(saveable):
    from lamina.models.functional import Functional
    from lamina.models.sequential import Sequential

    if isinstance(saveable, Sequential):
        return "Sequential"
    if isinstance(saveable, Functional):
        return "Functional"
    return "Layer"


def _skipset(object_type):
    if object_type not in _skipsets:
        from lamina.layers.layer import Layer

        _skipsets[object_type] = _attribute_names(Layer(), internals=set()) | _LAMINA_SKIPS.get(
            object_type, set()
        )
    return _skipsets[object_type]


def _attribute_names(value, internals=None):
    """The attribute names Keras's `dir()` would see, the same on every backend."""
    names = set(dir(type(value))) | set(vars(value))
    # On torch, sublayer attributes live in the `torch.nn.Module` registry instead of
    # `__dict__`. That registry also holds keys that are not attributes: layers tracked
    # through a list or dict (keyed by layer name), and `<attribute>_<n>` duplicates
    # made when an attribute first held a non-layer value.
    modules = vars(value).get("_modules")
    if isinstance(modules, dict) and modules:
        internals = _skipset("Layer") if internals is None else internals
        own = [item for name, item in vars(value).items() if name not in internals]
        contained = _contained_ids(own, set())
        for key, module in modules.items():
            duplicate = any(
                other != key and modules[other] is module and re.fullmatch(re.escape(other) + r"_\d+", key)
                for other in modules
            )
            if id(module) not in contained and not duplicate:
                names.add(key)
    return names


def _contained_ids(values, seen):
    ids = set()
    for value in values:
        if isinstance(value, (list, tuple, dict)) and id(value) not in seen:
            seen.add(id(value))
            items = list(value.values()) if isinstance(value, dict) else list(value)
            ids.update(id(item) for item in items)
            ids |= _contained_ids(items, seen)
    return ids


def _children(saveable):
    from lamina.layers.layer import Layer

    if not isinstance(saveable, Layer):
        # An optimizer's state is all in its own variables; a LossScaleOptimizer's inner
        # optimizer is written again under `inner_optimizer`, as Keras does.
        inner = getattr(saveable, "inner_optimizer", None)
        if inner is not None:
            yield "inner_optimizer", inner
        return
    object_type = _object_type(saveable)
    if object_type in ("Sequential", "Functional"):
        yield "layers", saveable.layers
    skipset = _skipset(object_type)
    # Private attributes last, as Keras.
    for attribute in sorted(_attribute_names(saveable), key=lambda name: (name.startswith("_"), name)):
        if attribute.startswith("__") or attribute in skipset:
            continue
        try:
            value = getattr(saveable, attribute)
        except Exception:  # Properties that need a call history or a compiled model.
            continue
        yield attribute, value


def _join(path, name):
    return f"{path}/{name}" if path else name


def _walk(saveable, path, visited, visit):
    """Calls `visit(saveable, path)` on each saveable once, in Keras's order."""
    if id(saveable) in visited:
        return
    visit(saveable, path)
    visited.add(id(saveable))
    for attribute, value in _children(saveable):
        if _is_saveable(value):
            _walk(value, _join(path, attribute), visited, visit)
        elif isinstance(value, (list, tuple, dict)):
            _walk_container(value, _join(path, attribute), visited, visit, set())


def _walk_container(container, path, visited, visit, visited_containers):
    if id(container) in visited_containers:
        return
    visited_containers.add(id(container))
    used_names = {}
    for value in container.values() if isinstance(container, dict) else container:
        if _is_saveable(value):
            name = _unique_name(naming.to_snake_case(value.__class__.__name__), used_names)
            _walk(value, _join(path, name), visited, visit)
        elif isinstance(value, (list, tuple, dict)):
            name = _unique_name("container", used_names)
            _walk_container(value, _join(path, name), visited, visit, visited_containers)


def _unique_name(name, used_names):
    if name in used_names:
        used_names[name] += 1
        return f"{name}_{used_names[name]}"
    used_names[name] = 0
    return name


# -- writing and reading ---------------------------------------------------------------


def _save_state(root, file, path, visited):
    def make_store(group_path, name):
        group = file.require_group(group_path)
        if name is not None:
            group.attrs["name"] = name
        return _H5Store(group)

    _save_state_with(root, make_store, path, visited)


def _save_state_with(root, make_store, path, visited):
    """Walks `root` and fills `make_store(group_path, name)` for each saveable.

    `name` is the saveable's name (`None` when it has none); the sharded writer
    supplies its own `make_store` so the walk exists once.
    """

    def visit(saveable, inner_path):
        name = getattr(saveable, "name", None)
        store = make_store(_join(inner_path, "vars"), name if isinstance(name, str) else None)
        saveable.save_own_variables(store)

    _walk(root, path, visited, visit)


def _load_state(root, file, path, visited, skip_mismatch):
    def visit(saveable, inner_path):
        group_path = _join(inner_path, "vars")
        group = _group_or_none(file, group_path)
        try:
            saveable.load_own_variables(_H5Store(group, "/" + group_path))
        except (ValueError, KeyError) as error:
            if not skip_mismatch:
                raise
            warnings.warn(f"Skipping loading weights for {_describe(saveable)}: {error}", stacklevel=4)

    _walk(root, path, visited, visit)


def _group_or_none(file, group_path):
    """The group at `group_path`, reached through hard links only (None when absent)."""
    import h5py

    if not isinstance(file, h5py.Group):
        return file[group_path] if group_path in file else None
    group = file
    for part in group_path.split("/"):
        link = group.get(part, getlink=True)
        if link is None:
            return None
        if not isinstance(link, h5py.HardLink):
            raise ValueError(
                f"'{group.name}/{part}' is an HDF5 {type(link).__name__}; weights files hold plain "
                "groups only."
            )
        group = group[part]
        if not isinstance(group, h5py.Group):
            raise ValueError(f"'{group.name}' is not a group; the weights file is malformed.")
    return group


def _describe(saveable):
    return f"{saveable.__class__.__name__} '{getattr(saveable, 'name', '')}'"


class _H5Store:
    """The `store` given to `save_own_variables` / `load_own_variables`: one `vars` group."""

    def __init__(self, group, location=None):
        self.group = group
        self.location = location or (group.name if group is not None else "the file")
        self.exists = group is not None

    def __setitem__(self, key, value):
        value = np.asarray(value)
        if value.dtype.name == "bfloat16":
            # h5py has no bfloat16: Keras stores the raw 2-byte values and marks the dataset.
            dataset = self.group.create_dataset(key, data=value.view("V2"))
            dataset.attrs["dtype"] = "bfloat16"
        else:
            self.group.create_dataset(key, data=value)

    def __getitem__(self, key):
        if self.group is None or key not in self.group:
            where = self.group.name if self.group is not None else "the file"
            raise KeyError(f"No dataset '{key}' in '{where}'.")
        import h5py

        link = self.group.get(key, getlink=True) if isinstance(self.group, h5py.Group) else None
        if link is not None and not isinstance(link, h5py.HardLink):
            raise ValueError(
                f"'{self.group.name}/{key}' is an HDF5 {type(link).__name__}; weights files hold "
                "plain datasets only."
            )
        dataset = self.group[key]
        if not isinstance(dataset, h5py.Dataset) or dataset.external or dataset.is_virtual:
            raise ValueError(
                f"'{self.group.name}/{key}' is not a dataset stored in the weights file; refusing to read it."
            )
        value = dataset[()]
        if dataset.attrs.get("dtype") == "bfloat16":
            import ml_dtypes

            value = np.asarray(value).view(ml_dtypes.bfloat16)
        return np.asarray(value)

    def __contains__(self, key):
        return self.group is not None and key in self.group

    def keys(self):
        return list(self.group.keys()) if self.group is not None else []

    def __len__(self):
        return len(self.keys())
