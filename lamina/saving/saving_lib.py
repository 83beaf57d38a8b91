"""Keras 3's `.keras` archive: config, weights and assets of a whole model in one file.

The archive is a ZIP of stored members, in Keras's order: `metadata.json`,
`config.json` (the model serialized with `serialize_keras_object`, including
its build and compile configs), `model.weights.h5` (the `.weights.h5` layout,
optimizer included) and `assets/<object path>/...` for objects that save
files (lookup layers' vocabularies). `zipped=False` writes the same members
into a directory.

Saving is atomic: the archive is written to a temporary file beside the
target and renamed over it only when complete. Loading treats the file as
untrusted (`archive_safety`) and, in safe mode, runs no code from it.
"""

import datetime
import io
import json
import os
import shutil
import tempfile
import zipfile

from lamina.saving import archive_safety
from lamina.saving import loading_scopes
from lamina.saving import object_registration
from lamina.saving import serialization
from lamina.saving import weights_h5

KERAS_FORMAT_VERSION = "3.15.1"
_MAX_WEIGHTS_BYTES = archive_safety.MAX_TOTAL_BYTES


def save_model(model, filepath, zipped=True):
    """Writes `model` (config, weights, optimizer state, assets) as a Keras 3 `.keras` archive.

    Args:
        model: A built lamina model.
        filepath: The destination; a `.keras` file, or a directory when `zipped=False`.
        zipped: Whether to write a ZIP archive (True) or a directory of the same members.

    Example:

    >>> import os, tempfile, lamina
    >>> model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)])
    >>> path = os.path.join(tempfile.mkdtemp(), "model.keras")
    >>> save_model(model, path)
    >>> load_model(path).layers[0].units
    2
    """
    filepath = os.fspath(filepath)
    config_json = json.dumps(serialization.serialize_keras_object(model))
    metadata_json = json.dumps(
        {
            "keras_version": KERAS_FORMAT_VERSION,
            "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
        }
    )
    weights = io.BytesIO()
    _write_weights(model, weights)
    with tempfile.TemporaryDirectory() as assets_root:
        asset_files = _save_assets(model, assets_root)
        if zipped:
            _write_archive(filepath, metadata_json, config_json, weights.getvalue(), asset_files)
        else:
            _write_directory(filepath, metadata_json, config_json, weights.getvalue(), asset_files)


def _write_weights(model, stream):
    import h5py

    with h5py.File(stream, "w") as file:
        weights_h5._save_state(model, file, "", set())


def _save_assets(model, assets_root):
    """Lets each object that has `save_assets` write into `assets/<its path>`; returns the files."""

    def visit(saveable, inner_path):
        if hasattr(saveable, "save_assets"):
            directory = os.path.join(assets_root, *inner_path.split("/")) if inner_path else assets_root
            os.makedirs(directory, exist_ok=True)
            saveable.save_assets(directory)

    weights_h5._walk(model, "", set(), visit)
    files = []
    for directory, _, names in os.walk(assets_root):
        for name in sorted(names):
            full = os.path.join(directory, name)
            relative = os.path.relpath(full, assets_root).replace(os.sep, "/")
            files.append((archive_safety.ASSETS_PREFIX + relative, full))
    return sorted(files)


def _write_archive(filepath, metadata_json, config_json, weights, asset_files):
    directory = os.path.dirname(os.path.abspath(filepath))
    handle, temporary = tempfile.mkstemp(suffix=".keras.tmp", dir=directory)
    os.close(handle)
    try:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_STORED) as archive:
            archive.writestr(archive_safety.METADATA_MEMBER, metadata_json)
            archive.writestr(archive_safety.CONFIG_MEMBER, config_json)
            archive.writestr(archive_safety.WEIGHTS_MEMBER, weights)
            for name, path in asset_files:
                archive.write(path, name)
        os.replace(temporary, filepath)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def _write_directory(filepath, metadata_json, config_json, weights, asset_files):
    parent = os.path.dirname(os.path.abspath(filepath))
    os.makedirs(parent, exist_ok=True)
    temporary = tempfile.mkdtemp(suffix=".keras.tmp", dir=parent)
    try:
        with open(os.path.join(temporary, archive_safety.METADATA_MEMBER), "w") as file:
            file.write(metadata_json)
        with open(os.path.join(temporary, archive_safety.CONFIG_MEMBER), "w") as file:
            file.write(config_json)
        with open(os.path.join(temporary, archive_safety.WEIGHTS_MEMBER), "wb") as file:
            file.write(weights)
        for name, path in asset_files:
            target = os.path.join(temporary, *name.split("/"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(path, target)
        # The previous save moves aside and comes back if the rename fails.
        backup = None
        if os.path.lexists(filepath):
            backup = temporary + ".old"
            os.replace(filepath, backup)
        try:
            os.replace(temporary, filepath)
        except BaseException:
            if backup is not None:
                os.replace(backup, filepath)
            raise
        if backup is not None:
            if os.path.isdir(backup):
                shutil.rmtree(backup)
            else:
                os.remove(backup)
    finally:
        if os.path.exists(temporary):
            shutil.rmtree(temporary)


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a model from a Keras 3 `.keras` archive (or a directory written with `zipped=False`).

    Args:
        filepath: The archive (or directory).
        custom_objects: Dict of user classes and functions by name.
        compile: Whether to compile the model as it was saved (optimizer state included).
        safe_mode: Whether to refuse Python lambdas stored in the file (they would run code).

    Returns:
        The model, with its weights (and optimizer state, when compiled).
    """
    filepath = os.fspath(filepath)
    if os.path.isdir(filepath):
        return _load_from_directory(filepath, custom_objects, compile, safe_mode)
    archive = archive_safety.open_archive(filepath)
    with archive:
        names = archive_safety.check_archive(archive, filepath)
        config = _parse_config(
            archive_safety.read_member(
                archive, archive_safety.CONFIG_MEMBER, filepath, archive_safety.MAX_JSON_BYTES
            ),
            filepath,
        )
        model = _model_from_config(config, custom_objects, compile, safe_mode, filepath)
        weights = None
        if archive_safety.WEIGHTS_MEMBER in names:
            weights = archive_safety.read_member(
                archive, archive_safety.WEIGHTS_MEMBER, filepath, _MAX_WEIGHTS_BYTES
            )
        asset_names = sorted(name for name in names if name.startswith(archive_safety.ASSETS_PREFIX))
        with tempfile.TemporaryDirectory() as assets_root:
            for name in asset_names:
                if name.endswith("/"):
                    continue
                target = os.path.join(assets_root, *name[len(archive_safety.ASSETS_PREFIX) :].split("/"))
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "wb") as file:
                    file.write(
                        archive_safety.read_member(archive, name, filepath, archive_safety.MAX_TOTAL_BYTES)
                    )
            _load_state(model, weights, assets_root, filepath)
    return model


def _load_from_directory(directory, custom_objects, compile, safe_mode):
    config_path = os.path.join(directory, archive_safety.CONFIG_MEMBER)
    if not os.path.isfile(config_path):
        raise archive_safety.ArchiveError(f"{directory} has no config.json; it is not a saved Keras model.")
    with open(config_path, "rb") as file:
        config = _parse_config(file.read(archive_safety.MAX_JSON_BYTES + 1), directory)
    model = _model_from_config(config, custom_objects, compile, safe_mode, directory)
    weights = None
    weights_path = os.path.join(directory, archive_safety.WEIGHTS_MEMBER)
    if os.path.isfile(weights_path):
        with open(weights_path, "rb") as file:
            weights = file.read()
    _load_state(model, weights, os.path.join(directory, "assets"), directory)
    return model


def _parse_config(raw, where):
    if len(raw) > archive_safety.MAX_JSON_BYTES:
        raise archive_safety.ArchiveError(f"{where}: config.json is larger than the limit.")
    try:
        config = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise archive_safety.ArchiveError(f"{where}: config.json is not valid JSON ({error}).") from None
    if not isinstance(config, dict) or "class_name" not in config:
        raise archive_safety.ArchiveError(
            f"{where}: config.json must hold a serialized model (a dict with 'class_name')."
        )
    return config


def _model_from_config(config, custom_objects, compile, safe_mode, where):
    if not compile:
        config = {key: value for key, value in config.items() if key != "compile_config"}
    with (
        loading_scopes.SafeModeScope(loading_scopes.effective_safe_mode(safe_mode)),
        object_registration.CustomObjectScope(custom_objects or {}),
        loading_scopes.SharedObjectLoadingScope(),
    ):
        try:
            model = serialization.deserialize_keras_object(config, custom_objects=custom_objects)
        except ValueError:
            raise
        except RecursionError:
            raise archive_safety.ArchiveError(f"{where}: config.json is nested too deeply.") from None
        except Exception as error:
            raise archive_safety.ArchiveError(
                f"{where}: could not rebuild the model from config.json: {error}"
            ) from error
    if not hasattr(model, "layers") or not hasattr(model, "predict"):
        raise archive_safety.ArchiveError(
            f"{where}: config.json describes a {type(model).__name__}, not a model."
        )
    return model


def _load_state(model, weights, assets_root, where):
    import h5py

    file = None
    if weights is not None:
        try:
            file = h5py.File(io.BytesIO(weights), "r")
        except Exception as error:
            raise archive_safety.ArchiveError(
                f"{where}: model.weights.h5 is not a readable HDF5 file ({error})."
            ) from None
    try:
        if file is not None:
            try:
                weights_h5._load_state(model, file, "", set(), skip_mismatch=False)
            except ValueError:
                raise
            except Exception as error:
                raise archive_safety.ArchiveError(
                    f"{where}: could not read the weights in model.weights.h5 ({error!r})."
                ) from error

        def visit(saveable, inner_path):
            if hasattr(saveable, "load_assets"):
                directory = os.path.join(assets_root, *inner_path.split("/")) if inner_path else assets_root
                try:
                    saveable.load_assets(directory)
                except OSError as error:
                    raise archive_safety.ArchiveError(
                        f"{where}: the assets of '{inner_path}' are missing or unreadable ({error})."
                    ) from None

        weights_h5._walk(model, "", set(), visit)
    finally:
        if file is not None:
            file.close()


def load_weights_only(model, filepath, skip_mismatch=False):
    """Loads the weights stored in a `.keras` archive into an existing `model`.

    Args:
        model: A built model with the archive's architecture.
        filepath: The `.keras` file.
        skip_mismatch: Whether to skip (with a warning) objects whose variables do not match.
    """
    import h5py

    filepath = os.fspath(filepath)
    archive = archive_safety.open_archive(filepath)
    with archive:
        names = archive_safety.check_archive(archive, filepath)
        if archive_safety.WEIGHTS_MEMBER not in names:
            raise archive_safety.ArchiveError(f"{filepath} holds no model.weights.h5.")
        weights = archive_safety.read_member(
            archive, archive_safety.WEIGHTS_MEMBER, filepath, _MAX_WEIGHTS_BYTES
        )
    with h5py.File(io.BytesIO(weights), "r") as file:
        weights_h5._load_state(model, file, "", set(), skip_mismatch)
