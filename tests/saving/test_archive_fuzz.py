"""Fuzzing `load_model` over mutated `.keras` archives: it loads, or fails with lamina's own errors.

Two mutators start from a valid archive written by lamina: raw byte edits
(flip, insert, delete, truncate) and structural edits of `config.json`
(random sub-values replaced by random JSON). Any exception other than
`ValueError` (ArchiveError included) is a crash. The runs are derandomized so
CI is deterministic.
"""

import io
import json
import os
import tempfile
import warnings
import zipfile

import pytest

import lamina
from lamina.saving import loading_scopes

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
    report_multiple_bugs=False,
)


def _valid_archive():
    # Fixed names, weights and date: the archive is the same bytes on every run and backend order.
    dense = dict(kernel_initializer="ones", bias_initializer="zeros")
    model = lamina.Sequential(
        [
            lamina.Input((3,), name="inputs"),
            lamina.layers.Dense(4, activation="relu", name="first", **dense),
            lamina.layers.Dense(2, name="second", **dense),
        ],
        name="fuzzed",
    )
    model.compile(optimizer=lamina.optimizers.Adam(name="adam"), loss="mse", metrics=["mae"])
    directory = tempfile.mkdtemp()
    path = os.path.join(directory, "model.keras")
    model.save(path)
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "metadata.json":
                data = json.dumps({"keras_version": "3.15.1", "date_saved": "2026-01-01@00:00:00"}).encode()
            archive.writestr(zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0)), data)
    return buffer.getvalue()


_VALID = None


def _valid():
    global _VALID
    if _VALID is None:
        _VALID = _valid_archive()
    return _VALID


def _load_bytes(data):
    """Loads `data` as a `.keras` file; returns the exception type name if it is not a clean error."""
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "fuzz.keras")
        with open(path, "wb") as file:
            file.write(data)
        try:
            with warnings.catch_warnings():
                # A mutated config may legitimately warn (e.g. an unbuilt or uncompiled model).
                warnings.simplefilter("ignore")
                lamina.saving.load_model(path)
        except (ValueError, FileNotFoundError):
            pass
        # Nothing was written beside the archive.
        assert os.listdir(directory) == ["fuzz.keras"]
    assert loading_scopes.in_safe_mode()


_byte_edit = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 2**31), st.integers(1, 255)),
    st.tuples(st.just("insert"), st.integers(0, 2**31), st.binary(min_size=1, max_size=16)),
    st.tuples(st.just("delete"), st.integers(0, 2**31), st.integers(1, 64)),
    st.tuples(st.just("truncate"), st.integers(0, 2**31), st.just(0)),
)


def _apply_byte_edits(data, edits):
    data = bytearray(data)
    for kind, position, value in edits:
        if not data:
            break
        position %= len(data)
        if kind == "flip":
            data[position] ^= value
        elif kind == "insert":
            data[position:position] = value
        elif kind == "delete":
            del data[position : position + value]
        else:
            del data[position:]
    return bytes(data)


@_SETTINGS
@given(st.lists(_byte_edit, min_size=1, max_size=4))
def test_byte_mutations_fail_cleanly(edits):
    _load_bytes(_apply_byte_edits(_valid(), edits))


@_SETTINGS
@given(
    st.sampled_from(["model.weights.h5", "metadata.json"]),
    st.lists(_byte_edit, min_size=1, max_size=4),
)
def test_member_content_mutations_fail_cleanly(member, edits):
    """Mutates one member's bytes and rewrites the archive with valid CRCs, so the parsers see them.

    (config.json is mutated structurally by `test_config_mutations_fail_cleanly`.)
    """
    with zipfile.ZipFile(io.BytesIO(_valid())) as source:
        members = [(info.filename, source.read(info)) for info in source.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            archive.writestr(name, _apply_byte_edits(data, edits) if name == member else data)
    _load_bytes(buffer.getvalue())


_member_name = st.lists(
    st.sampled_from(list("ab./\\:~\x00 é") + ["assets/", "../", "config.json"]), max_size=12
).map("".join)


@_SETTINGS
@given(st.lists(st.tuples(_member_name, st.binary(max_size=8)), min_size=1, max_size=4))
def test_added_member_names_fail_cleanly(extra):
    """Random extra members (traversal pieces, folders, clashes): refused or loaded, nothing written."""
    with zipfile.ZipFile(io.BytesIO(_valid())) as source:
        members = [(info.filename, source.read(info)) for info in source.infolist()]
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, data in members + extra:
                # zipfile cuts a name at its first NUL; an empty name cannot be written.
                if name.split("\x00")[0]:
                    archive.writestr(name, data)
    _load_bytes(buffer.getvalue())


def _paths(value, prefix=()):
    """Every path to a sub-value of a JSON structure (the root included)."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, prefix + (index,))


def _replace(value, path, new):
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: _replace(value[head], rest, new)}
    copy = list(value)
    copy[head] = _replace(copy[head], rest, new)
    return copy


_NAMES = st.sampled_from(
    [
        "Dense",
        "Sequential",
        "Functional",
        "Lambda",
        "__lambda__",
        "__numpy__",
        "__tensor__",
        "__bytes__",
        "__slice__",
        "function",
        "system",
        "eval",
        "enable_unsafe_deserialization",
        "os",
        "keras.layers",
        "keras",
        "builtins",
        "relu",
        "Adam",
        "mse",
        "class_name",
        "config",
        "module",
        "shared_object_id",
    ]
)
_json = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**70), 2**70),
        st.floats(allow_nan=False),
        _NAMES,
        st.text(max_size=8),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(_NAMES, st.text(max_size=6)), children, max_size=4),
    ),
    max_leaves=12,
)


def _config_archive(config):
    with zipfile.ZipFile(io.BytesIO(_valid())) as source:
        members = [(info.filename, source.read(info)) for info in source.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            archive.writestr(name, json.dumps(config).encode() if name == "config.json" else data)
    return buffer.getvalue()


@_SETTINGS
@given(st.lists(st.tuples(st.integers(0, 2**31), _json), min_size=1, max_size=3))
def test_config_mutations_fail_cleanly(replacements):
    with zipfile.ZipFile(io.BytesIO(_valid())) as archive:
        config = json.loads(archive.read("config.json"))
    for choice, new in replacements:
        paths = list(_paths(config))
        config = _replace(config, paths[choice % len(paths)], new)
    _load_bytes(_config_archive(config))
