"""A save interrupted midway leaves the previous file byte-identical and no temporary file behind."""

import os
import pathlib
import shutil
import zipfile

import h5py
import pytest

import lamina
from tests.saving.archive_fixtures import small_model

# Interrupted saves leave the previous file intact and no temporary file behind.


def _fail_on(monkeypatch, owner, attribute, when=lambda *args, **kwargs: True):
    original = getattr(owner, attribute)

    def failing(*args, **kwargs):
        if when(*args, **kwargs):
            raise OSError("disk full (simulated)")
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, attribute, failing)


def _fingerprint(path):
    if os.path.isdir(path):
        return {
            os.path.relpath(os.path.join(root, name), path): pathlib.Path(root, name).read_bytes()
            for root, _, names in os.walk(path)
            for name in names
        }
    return pathlib.Path(path).read_bytes()


def test_interrupted_keras_save_keeps_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "model.keras"
    small_model().save(path)
    before = _fingerprint(path)
    _fail_on(monkeypatch, zipfile.ZipFile, "writestr", lambda self, name, *a, **k: name == "model.weights.h5")
    with pytest.raises(OSError, match="simulated"):
        small_model().save(path)
    monkeypatch.undo()
    assert _fingerprint(path) == before
    assert os.listdir(tmp_path) == ["model.keras"]
    lamina.saving.load_model(path)


def test_interrupted_h5_writing_keeps_previous_keras_file(tmp_path, monkeypatch):
    path = tmp_path / "model.keras"
    small_model().save(path)
    before = _fingerprint(path)
    _fail_on(monkeypatch, h5py.Group, "create_dataset")
    with pytest.raises(OSError, match="simulated"):
        small_model().save(path)
    monkeypatch.undo()
    assert _fingerprint(path) == before
    assert os.listdir(tmp_path) == ["model.keras"]


def test_interrupted_unzipped_save_keeps_previous_directory(tmp_path, monkeypatch):
    path = tmp_path / "model_dir"
    small_model().save(path, zipped=False)
    before = _fingerprint(path)
    _fail_on(monkeypatch, shutil, "copyfile")
    _fail_on(monkeypatch, h5py.Group, "create_dataset")
    with pytest.raises(OSError, match="simulated"):
        small_model().save(path, zipped=False)
    monkeypatch.undo()
    assert _fingerprint(path) == before
    assert os.listdir(tmp_path) == ["model_dir"]


def test_unzipped_save_failing_at_the_final_rename_keeps_previous_directory(tmp_path, monkeypatch):
    path = tmp_path / "model_dir"
    small_model().save(path, zipped=False)
    before = _fingerprint(path)
    _fail_on(monkeypatch, os, "replace")
    with pytest.raises(OSError, match="simulated"):
        small_model().save(path, zipped=False)
    monkeypatch.undo()
    assert os.path.isdir(path) and _fingerprint(path) == before
    assert os.listdir(tmp_path) == ["model_dir"]


def test_interrupted_weights_save_keeps_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "model.weights.h5"
    model = small_model()
    model.save_weights(path)
    before = _fingerprint(path)
    calls = []
    _fail_on(monkeypatch, h5py.Group, "create_dataset", lambda *a, **k: calls.append(1) or len(calls) > 1)
    with pytest.raises(OSError, match="simulated"):
        model.save_weights(path)
    monkeypatch.undo()
    assert _fingerprint(path) == before
    assert os.listdir(tmp_path) == ["model.weights.h5"]
