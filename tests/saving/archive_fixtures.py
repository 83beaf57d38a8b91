"""Shared pieces of the archive-safety tests: a valid lamina archive and ways to mutate it."""

import io
import json
import os
import zipfile

import lamina


def small_model():
    """A small compiled Sequential model (the starting point of every mutated archive)."""
    model = lamina.Sequential(
        [lamina.Input((3,)), lamina.layers.Dense(4, activation="relu"), lamina.layers.Dense(2)]
    )
    model.compile(optimizer="adam", loss="mse")
    return model


def valid_archive_bytes(directory):
    """The bytes of `small_model()` saved as a `.keras` file in `directory`."""
    path = directory / "model.keras"
    small_model().save(path)
    return path.read_bytes()


def archive_members(data):
    """The `(ZipInfo, bytes)` pairs of an archive given as bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info, archive.read(info)) for info in archive.infolist()]


def write_zip(path, members, compression=zipfile.ZIP_STORED):
    """Writes `(name_or_zipinfo, bytes)` pairs as a ZIP, duplicates and odd names included."""
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return path


def with_config(valid_bytes, path, config):
    """Writes the archive `valid_bytes` to `path` with `config` (any JSON value) as its config.json."""
    members = [
        (info.filename, json.dumps(config).encode() if info.filename == "config.json" else data)
        for info, data in archive_members(valid_bytes)
    ]
    return write_zip(path, members)


def config_of(valid_bytes):
    """The parsed config.json of an archive given as bytes."""
    with zipfile.ZipFile(io.BytesIO(valid_bytes)) as archive:
        return json.loads(archive.read("config.json"))


def snapshot(directory):
    """The sorted names in `directory`, to show that loading wrote nothing there."""
    return sorted(os.listdir(directory))


# Modules a malicious config would reach for; loading must never import them.
FORBIDDEN_MODULES = {
    "keras",
    "tensorflow",
    "subprocess",
    "socket",
    "urllib",
    "http",
    "pty",
    "ctypes",
    "pickle",
}
