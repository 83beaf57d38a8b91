"""Keras 3's sharded weights: a `.weights.json` index plus `<name>_00000.weights.h5`, ... shards.

`save_weights("x.weights.json", max_shard_size=GB)` walks the object graph as a
plain `.weights.h5` save does (see `lamina.saving.weights_h5`), but starts a new
shard file whenever the next variable would push the current one past
`max_shard_size` GB. A variable never splits, so one larger than the limit is an
error; a layer's `vars` group may span shards, and each shard repeats the group
hierarchy down to the `vars` groups it holds. The index, as Keras writes it:

    {"metadata": {"total_size": 1068.0},
     "weight_map": {"/layers/dense/vars": ["x_00000.weights.h5"], ...}}

A group whose variables all sit in one shard may map to a plain string (Keras
writes a string for a one-variable group); both forms load. Only the index of a
group with variables is listed. Writes are atomic: every shard and the index
go to temporary files that are renamed into place once all are complete.
"""

import json
import os
import tempfile
import warnings

import numpy as np

from lamina.saving import weights_h5

_SHARD_SUFFIX = ".weights.h5"
# Bits per element, as Keras counts them (a bool counts one bit).
_DTYPE_BITS = {
    **{f"float{bits}": bits for bits in (16, 32, 64)},
    **{f"int{bits}": bits for bits in (8, 16, 32, 64)},
    **{f"uint{bits}": bits for bits in (8, 16, 32, 64)},
    "bfloat16": 16,
    "bool": 1,
}


def save_weights_sharded(model, filepath, max_shard_size, overwrite=True):
    """Writes the weights of `model` as Keras 3 sharded weights: an index plus shard files.

    `x.weights.json` gets the shards `x_00000.weights.h5`, `x_00001.weights.h5`, ...
    in the same directory. A `.weights.h5` name is renamed to `.weights.json` with a
    warning, as Keras does. Nothing is replaced until every file is complete.

    Args:
        model: A built model or layer.
        filepath: Path of the index, ending in `.weights.json` (or `.weights.h5`).
        max_shard_size: Largest shard size in GB (`float`); no variable may exceed it.
        overwrite: Whether to replace an existing index (otherwise `FileExistsError`).

    Returns:
        The path of the index written.

    Example:

    >>> import os, tempfile, lamina
    >>> model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)])
    >>> path = os.path.join(tempfile.mkdtemp(), "m.weights.json")
    >>> index = save_weights_sharded(model, path, max_shard_size=24 / 1024**3)
    >>> sorted(os.listdir(os.path.dirname(index)))
    ['m.weights.json', 'm_00000.weights.h5', 'm_00001.weights.h5']
    >>> load_weights_sharded(model, index)
    """
    filepath = os.fspath(filepath)
    max_bytes = _max_bytes(max_shard_size)
    if not filepath.endswith(("weights.h5", "weights.json")):
        raise ValueError(
            "The filename must end in `.weights.json` when `max_shard_size` is specified. "
            f"Received: filepath={filepath}"
        )
    if not filepath.endswith(".json"):
        renamed = filepath[: -len(".h5")] + ".json"
        warnings.warn(
            f"Saving sharded weights requires `*.json` as the extension. The original path: "
            f"{filepath} will be renamed to {renamed}.",
            stacklevel=2,
        )
        filepath = renamed
    if not getattr(model, "built", False):
        raise ValueError(
            "You are saving a model that has not yet been built. Try building the model first "
            "by calling it on some data or by using `build()`."
        )
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(f"save_weights: {filepath} exists and overwrite=False.")
    directory = os.path.dirname(os.path.abspath(filepath))
    base_name = os.path.basename(filepath)[: -len(".json")].replace(".weights", "")
    writer = _ShardWriter(directory, base_name, max_bytes)
    try:
        weights_h5._save_state_with(model, writer.make_store, "", set())
        writer.commit(filepath)
    finally:
        writer.discard()
    return filepath


def load_weights_sharded(model, filepath, skip_mismatch=False):
    """Loads sharded Keras 3 weights (a `.weights.json` index and its shards) into `model`.

    The index may only name plain file names in its own directory: a name with a
    directory part (`../x.h5`, `/tmp/x.h5`) is rejected before any file is opened,
    and every shard must exist.

    Args:
        model: A built model or layer with the architecture that wrote the files.
        filepath: Path of the index, ending in `.weights.json`.
        skip_mismatch: Whether to skip (with a warning) objects whose variable count or
            shapes differ from the files, instead of raising.

    Example:

    >>> import os, tempfile, lamina
    >>> layer = lamina.layers.Dense(2)
    >>> layer.build((None, 3))
    >>> path = os.path.join(tempfile.mkdtemp(), "d.weights.json")
    >>> _ = save_weights_sharded(layer, path, max_shard_size=1.0)
    >>> load_weights_sharded(layer, path)
    """
    filepath = os.fspath(filepath)
    if not filepath.endswith("weights.json"):
        raise ValueError(
            "load_weights_sharded: expected the path of a `.weights.json` index. "
            f"Received: filepath={filepath}"
        )
    weight_map = _read_index(filepath)
    directory = os.path.dirname(os.path.abspath(filepath))
    missing = sorted(
        {name for names in weight_map.values() for name in names}
        - {name for name in os.listdir(directory) if os.path.isfile(os.path.join(directory, name))}
    )
    if missing:
        raise FileNotFoundError(
            f"load_weights: the index {filepath} names shard files that do not exist in {directory}: "
            f"{missing}."
        )
    reader = _ShardReader(directory, weight_map)
    try:
        weights_h5._load_state(model, reader, "", set(), skip_mismatch)
    finally:
        reader.close()


def _max_bytes(max_shard_size):
    if isinstance(max_shard_size, bool) or not isinstance(max_shard_size, (int, float, np.number)):
        raise TypeError(
            "save_weights: `max_shard_size` must be a number of GB (int or float). "
            f"Received: max_shard_size={max_shard_size!r}"
        )
    if not max_shard_size > 0:
        raise ValueError(
            f"save_weights: `max_shard_size` must be a positive number of GB. Received: {max_shard_size!r}"
        )
    return float(max_shard_size) * 1024**3


def _byte_size(value):
    bits = _DTYPE_BITS.get(value.dtype.name, value.dtype.itemsize * 8)
    return int(np.prod(value.shape, dtype=np.int64)) * bits / 8


def _readable(size):
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.2f} {unit}"
        size /= 1024


# -- writing ---------------------------------------------------------------------------


class _ShardWriter:
    """Fills shard files under temporary names and builds the index as Keras does."""

    def __init__(self, directory, base_name, max_bytes):
        self.directory = directory
        self.base_name = base_name
        self.max_bytes = max_bytes
        self.shards = []  # (final name, temporary path), in order.
        self.file = None
        self.current_size = 0
        self.total_size = 0.0
        self.weight_map = {}
        self._open_next_shard()

    def _open_next_shard(self):
        import h5py

        if self.file is not None:
            self.file.close()
        name = f"{self.base_name}_{len(self.shards):05}{_SHARD_SUFFIX}"
        handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.directory)
        os.close(handle)
        self.shards.append((name, temporary))
        self.file = h5py.File(temporary, "w")
        self.current_size = 0

    def make_store(self, group_path, name):
        if name is not None:
            # Keras creates a named group in the current shard even when it holds nothing.
            self.file.require_group(group_path).attrs["name"] = name
        return _ShardStore(self, group_path)

    def write(self, group_path, key, value):
        value = np.asarray(value)
        size = _byte_size(value)
        self.total_size += size
        if size > self.max_bytes:
            raise ValueError(
                f"save_weights: the size of '/{group_path}/{key}' is {_readable(size)}, which exceeds "
                f"the maximum shard size {_readable(self.max_bytes)}. Variables never split across "
                "shards: increase `max_shard_size`."
            )
        self.current_size += size
        if self.current_size > self.max_bytes:
            self._open_next_shard()
            self.current_size = size
        weights_h5._H5Store(self.file.require_group(group_path))[key] = value
        shard_name = self.shards[-1][0]
        entry = self.weight_map.get("/" + group_path)
        if entry is None:
            self.weight_map["/" + group_path] = shard_name
        else:
            entry = entry if isinstance(entry, list) else [entry]
            if shard_name not in entry:
                entry.append(shard_name)
            self.weight_map["/" + group_path] = entry

    def commit(self, filepath):
        self.file.close()
        self.file = None
        index = {"metadata": {"total_size": self.total_size}, "weight_map": self.weight_map}
        handle, temporary_index = tempfile.mkstemp(prefix=".index.", suffix=".tmp", dir=self.directory)
        self.shards.append((None, temporary_index))
        with os.fdopen(handle, "w") as stream:
            stream.write(json.dumps(index, indent=4))
        previous = _previous_shards(filepath)
        for name, temporary in self.shards[:-1]:
            os.replace(temporary, os.path.join(self.directory, name))
        os.replace(temporary_index, filepath)
        self.shards = []
        # Shards of an earlier, longer save under the same name are no longer referenced.
        for name in previous - {name for names in _as_lists(self.weight_map).values() for name in names}:
            stale = os.path.join(self.directory, name)
            if name.startswith(self.base_name + "_") and os.path.isfile(stale):
                os.remove(stale)

    def discard(self):
        if self.file is not None:
            self.file.close()
            self.file = None
        for _, temporary in self.shards:
            if os.path.exists(temporary):
                os.remove(temporary)
        self.shards = []


class _ShardStore:
    """The `store` given to `save_own_variables` for one `vars` group of a sharded save."""

    def __init__(self, writer, group_path):
        self.writer = writer
        self.group_path = group_path
        self.written = []

    def __setitem__(self, key, value):
        self.writer.write(self.group_path, key, value)
        self.written.append(key)

    def __contains__(self, key):
        return key in self.written

    def keys(self):
        return list(self.written)

    def __len__(self):
        return len(self.written)


def _previous_shards(filepath):
    try:
        return {name for names in _read_index(filepath).values() for name in names}
    except (OSError, ValueError):
        return set()


# -- reading ---------------------------------------------------------------------------


def _as_lists(weight_map):
    return {path: names if isinstance(names, list) else [names] for path, names in weight_map.items()}


def _read_index(filepath):
    """The index's weight map as `{"/group/vars": [shard names]}`, every name checked."""
    with open(filepath, encoding="utf-8") as stream:
        try:
            index = json.load(stream)
        except json.JSONDecodeError as error:
            raise ValueError(f"load_weights: {filepath} is not a valid JSON index: {error}") from None
    weight_map = index.get("weight_map") if isinstance(index, dict) else None
    if not isinstance(weight_map, dict):
        raise ValueError(
            f"load_weights: {filepath} is not a sharded weights index: expected a JSON object with a "
            "`weight_map` dict."
        )
    checked = {}
    for path, names in _as_lists(weight_map).items():
        if not isinstance(path, str) or not path.startswith("/") or not names:
            raise ValueError(
                f"load_weights: invalid weight_map entry {path!r}: {names!r} in {filepath}: expected "
                "'/<path>/vars' mapped to a shard file name or a non-empty list of them."
            )
        for name in names:
            _check_shard_name(name, filepath)
        checked[path] = names
    return checked


def _check_shard_name(name, filepath):
    plain = (
        isinstance(name, str)
        and name not in ("", ".", "..")
        and not any(character in name for character in ("/", "\\", ":", "\0"))
        and not os.path.isabs(name)
        and os.path.basename(name) == name
    )
    if not plain:
        raise ValueError(
            f"load_weights: the index {filepath} names the shard {name!r}; shard names must be plain "
            "file names in the index's own directory (no directories, `..` or absolute paths)."
        )


class _ShardReader:
    """Looks like an open `.weights.h5` file to `weights_h5._load_state`, over all shards."""

    def __init__(self, directory, weight_map):
        self.directory = directory
        self.weight_map = weight_map
        self.files = {}

    def _file(self, name):
        import h5py

        if name not in self.files:
            self.files[name] = h5py.File(os.path.join(self.directory, name), "r")
        return self.files[name]

    def __contains__(self, group_path):
        return "/" + group_path in self.weight_map

    def __getitem__(self, group_path):
        groups = []
        for name in self.weight_map["/" + group_path]:
            file = self._file(name)
            if group_path not in file:
                raise ValueError(
                    f"load_weights: the index says shard {name} holds '/{group_path}', but it does not."
                )
            groups.append(file[group_path])
        return _MergedGroup("/" + group_path, groups)

    def close(self):
        for file in self.files.values():
            file.close()
        self.files = {}


class _MergedGroup:
    """One `vars` group whose datasets are spread over several shards."""

    def __init__(self, name, groups):
        self.name = name
        self.groups = groups

    def keys(self):
        keys = []
        for group in self.groups:
            keys.extend(key for key in group.keys() if key not in keys)
        return keys

    def __contains__(self, key):
        return any(key in group for group in self.groups)

    def __getitem__(self, key):
        for group in self.groups:
            if key in group:
                return group[key]
        raise KeyError(f"No dataset '{key}' in '{self.name}' in any of its shards.")
