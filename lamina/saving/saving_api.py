"""`save_model` / `load_model` / `save_weights` / `load_weights`: one entry point per action, any format.

The format follows the file name, as in Keras: `.keras` is the native
archive, `.h5` / `.hdf5` the legacy HDF5 file, `.weights.h5` (and sharded
`.weights.json`) weights only.
"""

import os

from lamina.saving import legacy_h5
from lamina.saving import saving_lib
from lamina.saving import weights_h5

_LEGACY_SUFFIXES = (".h5", ".hdf5")


def save_model(model, filepath, overwrite=True, zipped=None, **kwargs):
    """Saves a model (architecture, weights, optimizer state) to a `.keras` (or legacy `.h5`) file.

    Args:
        model: The model to save.
        filepath: A path ending in `.keras` (recommended) or `.h5`.
        overwrite: Whether to replace an existing file (otherwise `FileExistsError`).
        zipped: Whether a `.keras` model is one ZIP file (default) or a directory.
        **kwargs: `include_optimizer` for `.h5` files.

    Example:

    >>> import os, tempfile, lamina
    >>> model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)])
    >>> path = os.path.join(tempfile.mkdtemp(), "model.keras")
    >>> save_model(model, path)
    >>> lamina.saving.load_model(path).count_params()
    8
    """
    include_optimizer = kwargs.pop("include_optimizer", True)
    if kwargs:
        raise TypeError(f"save_model() got unexpected keyword arguments {sorted(kwargs)}.")
    filepath = os.fspath(filepath)
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(f"save_model: {filepath} exists and overwrite=False.")
    if filepath.endswith(".keras"):
        if not getattr(model, "built", False):
            raise ValueError(
                f"save_model: the model '{model.name}' is not built yet, so it has no weights to save. "
                "Call it on data or use build() first."
            )
        saving_lib.save_model(model, filepath, zipped=True if zipped is None else zipped)
        return
    if filepath.endswith(_LEGACY_SUFFIXES):
        legacy_h5.save_model_to_hdf5(
            model, filepath, overwrite=overwrite, include_optimizer=include_optimizer
        )
        return
    if zipped is False:
        saving_lib.save_model(model, filepath, zipped=False)
        return
    raise ValueError(
        "Invalid filepath extension for saving. Please add either a `.keras` extension for the "
        f"native Keras format (recommended) or a `.h5` extension. Received: filepath={filepath}"
    )


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a model saved by lamina or Keras (`.keras` archive, its directory form, or legacy `.h5`).

    Args:
        filepath: The file (or directory) to read.
        custom_objects: Dict of user classes and functions by name (registered
            objects are found without it).
        compile: Whether to compile the model as it was saved (optimizer state included).
        safe_mode: Whether to refuse Python lambdas stored in the file. Loading
            never imports modules named in the file, whatever this is.

    Returns:
        The model.

    Example:

    >>> import os, tempfile, lamina
    >>> model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)])
    >>> model.compile(optimizer="adam", loss="mse")
    >>> path = os.path.join(tempfile.mkdtemp(), "model.keras")
    >>> model.save(path)
    >>> load_model(path).optimizer.__class__.__name__
    'Adam'
    """
    filepath = os.fspath(filepath)
    if filepath.endswith(".keras") or os.path.isdir(filepath):
        if not os.path.exists(filepath):
            raise FileNotFoundError(f"load_model: no file or directory found at {filepath}.")
        return saving_lib.load_model(
            filepath, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode
        )
    if filepath.endswith(_LEGACY_SUFFIXES):
        if not os.path.exists(filepath):
            raise FileNotFoundError(f"load_model: no file found at {filepath}.")
        return legacy_h5.load_model_from_hdf5(
            filepath, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode
        )
    raise ValueError(
        f"File format not supported: filepath={filepath}. lamina reads `.keras` archives (and their "
        "unzipped directories) and legacy `.h5` files. A TensorFlow SavedModel cannot be loaded."
    )


def save_weights(model, filepath, overwrite=True, max_shard_size=None):
    """Saves the weights of `model` (optimizer state included) to a `.weights.h5` file.

    Args:
        model: A built model or layer.
        filepath: A path ending in `.weights.h5` (or `.weights.json` when sharded).
        overwrite: Whether to replace an existing file.
        max_shard_size: Largest shard in GB; writes a `.weights.json` index and shards.

    Example:

    >>> import os, tempfile, lamina
    >>> model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)])
    >>> path = os.path.join(tempfile.mkdtemp(), "model.weights.h5")
    >>> save_weights(model, path)
    >>> load_weights(model, path)
    """
    weights_h5.save_weights(model, filepath, overwrite=overwrite, max_shard_size=max_shard_size)


def load_weights(model, filepath, skip_mismatch=False, **kwargs):
    """Loads weights into `model` from a `.weights.h5`, `.weights.json`, `.keras` or legacy `.h5` file.

    Args:
        model: A built model or layer with the architecture that wrote the file.
        filepath: The file to read.
        skip_mismatch: Whether to skip (with a warning) objects whose variables do not match.
        **kwargs: `by_name` for legacy `.h5` files.

    Example:

    >>> import os, tempfile, lamina
    >>> model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)])
    >>> path = os.path.join(tempfile.mkdtemp(), "model.keras")
    >>> model.save(path)
    >>> load_weights(model, path)
    """
    by_name = kwargs.pop("by_name", False)
    if kwargs:
        raise TypeError(f"load_weights() got unexpected keyword arguments {sorted(kwargs)}.")
    filepath = os.fspath(filepath)
    if by_name and not filepath.endswith(_LEGACY_SUFFIXES):
        raise ValueError("load_weights: `by_name` applies to legacy `.h5` files only.")
    if filepath.endswith((".weights.h5", ".weights.json")):
        weights_h5.load_weights(model, filepath, skip_mismatch=skip_mismatch)
    elif filepath.endswith(".keras"):
        saving_lib.load_weights_only(model, filepath, skip_mismatch=skip_mismatch)
    elif filepath.endswith(_LEGACY_SUFFIXES):
        legacy_h5.load_weights_from_hdf5(model, filepath, by_name=by_name, skip_mismatch=skip_mismatch)
    else:
        raise ValueError(
            "File format not supported: lamina loads weights from `.weights.h5`, `.weights.json`, "
            f"`.keras` and legacy `.h5` files. Received: filepath={filepath}"
        )
