"""The HDF5 parts of a model file: corrupt weights, wrong shapes, and data stored outside the file.

CVE-2026-1462 (Keras's `TFSMLayer` loading a TensorFlow SavedModel past
safe_mode) is tested with the other foreign names in
test_malicious_configs.py; its class, a model file that reaches outside
itself, is tested here with HDF5 external links, external raw storage and
virtual datasets, and the legacy `.h5` loader's handling of broken configs.
"""

import io
import json

import h5py
import numpy as np
import pytest

import lamina
from lamina.saving import archive_safety
from tests.saving import archive_fixtures
from tests.saving.archive_fixtures import archive_members
from tests.saving.archive_fixtures import small_model
from tests.saving.archive_fixtures import write_zip


@pytest.fixture(scope="module")
def valid_bytes(tmp_path_factory):
    return archive_fixtures.valid_archive_bytes(tmp_path_factory.mktemp("valid"))


def test_weights_member_that_is_not_hdf5(valid_bytes, tmp_path):
    members = [
        (i.filename, b"not an hdf5 file" if i.filename == "model.weights.h5" else d)
        for i, d in archive_members(valid_bytes)
    ]
    with pytest.raises(archive_safety.ArchiveError, match="not a readable HDF5"):
        lamina.saving.load_model(write_zip(tmp_path / "m.keras", members))


def _rewrite_weights(valid_bytes, path, edit):
    members = []
    for info, data in archive_members(valid_bytes):
        if info.filename == "model.weights.h5":
            buffer = io.BytesIO(data)
            with h5py.File(buffer, "r+") as file:
                edit(file)
            data = buffer.getvalue()
        members.append((info.filename, data))
    return write_zip(path, members)


def test_weights_with_wrong_shape(valid_bytes, tmp_path):
    def edit(file):
        del file["layers/dense/vars/0"]
        file["layers/dense/vars"].create_dataset("0", data=np.zeros((5, 7), "float32"))

    with pytest.raises(ValueError, match="shape"):
        lamina.saving.load_model(_rewrite_weights(valid_bytes, tmp_path / "m.keras", edit))


@pytest.mark.parametrize("kind", ["missing", "string", "group"])
def test_weights_with_wrong_content(valid_bytes, tmp_path, kind):
    def edit(file):
        del file["layers/dense/vars/0"]
        if kind == "string":
            file["layers/dense/vars"].create_dataset("0", data=np.array([b"abc"] * 3))
        elif kind == "group":
            file["layers/dense/vars"].create_group("0")

    with pytest.raises(ValueError):
        lamina.saving.load_model(_rewrite_weights(valid_bytes, tmp_path / "m.keras", edit))


def test_weights_with_hdf5_external_link_are_refused(valid_bytes, tmp_path):
    """Closest class to CVE-2026-1462 (a file reaching outside itself): an HDF5 external link."""
    outside = tmp_path / "outside.h5"
    with h5py.File(outside, "w") as file:
        file.create_dataset("secret", data=np.full((3, 4), 7.0, "float32"))

    def edit(file):
        del file["layers/dense/vars/0"]
        file["layers/dense/vars/0"] = h5py.ExternalLink(str(outside), "secret")

    with pytest.raises(ValueError, match="ExternalLink; weights files hold plain datasets only"):
        lamina.saving.load_model(_rewrite_weights(valid_bytes, tmp_path / "m.keras", edit))


def test_weights_file_with_hdf5_external_link_is_refused(tmp_path):
    """Closest class to CVE-2026-1462: a weights file that makes the loader read a file outside it."""
    outside = tmp_path / "outside.h5"
    with h5py.File(outside, "w") as file:
        file.create_dataset("secret", data=np.full((3, 4), 7.0, "float32"))
    model = small_model()
    path = tmp_path / "m.weights.h5"
    model.save_weights(path)
    with h5py.File(path, "r+") as file:
        del file["layers/dense/vars/0"]
        file["layers/dense/vars/0"] = h5py.ExternalLink(str(outside), "secret")
    try:
        model.load_weights(path)
    except ValueError:
        return
    kernel = np.asarray(lamina.ops.convert_to_numpy(model.layers[0].kernel))
    assert not np.all(kernel == 7.0), "the loader read the weights from outside.h5"


def test_weights_h5_file_that_is_not_hdf5(tmp_path):
    path = tmp_path / "m.weights.h5"
    path.write_bytes(b"garbage, not hdf5")
    with pytest.raises(ValueError):
        lamina.saving.load_weights(small_model(), path)


def test_weights_member_with_corrupt_superblock(valid_bytes, tmp_path):
    """Found by test_archive_fuzz.py: one flipped bit in the HDF5 superblock of model.weights.h5."""
    members = []
    for info, data in archive_members(valid_bytes):
        if info.filename == "model.weights.h5":
            data = bytearray(data)
            data[49] ^= 1
            data = bytes(data)
        members.append((info.filename, data))
    with pytest.raises(archive_safety.ArchiveError):
        lamina.saving.load_model(write_zip(tmp_path / "m.keras", members))


@pytest.mark.parametrize(
    "attribute",
    [
        None,
        "{not json",
        "[" * 100_000,
        "[1]",
        json.dumps({"class_name": "system", "module": "os", "config": {}}),
        json.dumps({"class_name": "function", "module": "builtins", "config": "eval"}),
    ],
)
def test_legacy_h5_with_malformed_config(tmp_path, attribute):
    """A legacy `.h5` model file: a missing, broken, deep, non-dict or foreign `model_config`."""
    path = tmp_path / "m.h5"
    with h5py.File(path, "w") as file:
        if attribute is not None:
            file.attrs["model_config"] = attribute
    with pytest.raises(ValueError):
        lamina.saving.load_model(path)


def test_legacy_h5_that_is_not_hdf5(tmp_path):
    path = tmp_path / "m.h5"
    path.write_bytes(b"not hdf5 at all")
    with pytest.raises(ValueError, match="not a readable HDF5"):
        lamina.saving.load_model(path)


def _point_outside(group, name, secret, kind):
    """Replaces dataset `name` of `group` by one whose data lives in the file `secret`."""
    shape, dtype = group[name].shape, group[name].dtype
    del group[name]
    if kind == "external_storage":
        group.create_dataset(name, shape=shape, dtype=dtype, external=[(str(secret), 0, h5py.h5f.UNLIMITED)])
    else:
        layout = h5py.VirtualLayout(shape=shape, dtype=dtype)
        layout[...] = h5py.VirtualSource(str(secret) + ".h5", "data", shape=shape)
        group.create_virtual_dataset(name, layout)


@pytest.mark.parametrize(
    "suffix, kind",
    [
        (".keras", "external_storage"),
        # In memory (inside a .keras archive) HDF5 cannot resolve a virtual dataset's source file.
        (".keras", "virtual"),
        (".weights.h5", "external_storage"),
        (".weights.h5", "virtual"),
        (".h5", "external_storage"),
        (".h5", "virtual"),
    ],
)
def test_weights_stored_in_another_file_are_refused(tmp_path, suffix, kind):
    """Closest class to CVE-2026-1462 (a file reaching outside itself): HDF5 data held in a local file."""
    secret = tmp_path / "secret"
    secret.write_bytes(np.full(12, 7.0, "float32").tobytes())
    with h5py.File(str(secret) + ".h5", "w") as file:
        file.create_dataset("data", data=np.full((3, 4), 7.0, "float32"))
    model = small_model()
    path = tmp_path / f"m{suffix}"
    if suffix == ".weights.h5":
        model.save_weights(path)
        with h5py.File(path, "r+") as file:
            _point_outside(file["layers/dense/vars"], "0", secret, kind)
    elif suffix == ".h5":
        model.save(path)
        with h5py.File(path, "r+") as file:
            _point_outside(file["model_weights/dense/sequential/dense"], "kernel", secret, kind)
    else:
        model.save(path)

        def edit(file):
            _point_outside(file["layers/dense/vars"], "0", secret, kind)

        _rewrite_weights(path.read_bytes(), path, edit)
    try:
        loaded = lamina.saving.load_model(path) if suffix != ".weights.h5" else model
        if suffix == ".weights.h5":
            model.load_weights(path)
    except ValueError:
        return
    kernel = lamina.ops.convert_to_numpy(loaded.layers[0].kernel)
    assert not np.all(kernel == 7.0), "the loader read the weights from a file outside the model file"
