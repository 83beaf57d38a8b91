"""How a model saves itself: `save`, `save_weights`, `load_weights`, `to_json`, `from_config`."""

import json


class ModelSavingMixin:
    def save(self, filepath, overwrite=True, zipped=None, **kwargs):
        """Saves the whole model (architecture, weights, optimizer state) as a `.keras` archive.

        The archive has Keras 3's layout, so `keras.saving.load_model` reads
        it and lamina reads Keras's. The write is atomic: an interrupted save
        leaves the previous file intact.

        Args:
            filepath: A path ending in `.keras` (or `.h5` for the legacy format).
            overwrite: Whether to replace an existing file (else `FileExistsError`).
            zipped: Whether to write one ZIP file (default) or a directory.
            **kwargs: `include_optimizer` for legacy `.h5` files.

        Example:

        >>> import os, tempfile, lamina
        >>> model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)])
        >>> path = os.path.join(tempfile.mkdtemp(), "model.keras")
        >>> model.save(path)
        >>> lamina.models.load_model(path).layers[-1].units
        2
        """
        from lamina.saving import saving_api

        saving_api.save_model(self, filepath, overwrite=overwrite, zipped=zipped, **kwargs)

    def save_weights(self, filepath, overwrite=True, max_shard_size=None):
        """Saves the weights (and a built optimizer's state) to a Keras 3 `.weights.h5` file.

        The file has Keras's own layout, so Keras can load it and lamina can load
        the files Keras writes (see `lamina.saving.weights_h5`).

        Args:
            filepath: Path ending in `.weights.h5` (`.weights.json` when sharded).
            overwrite: Whether to replace an existing file (else `FileExistsError`).
            max_shard_size: Largest shard in GB: writes a `.weights.json` index
                plus `<name>_00000.weights.h5`, ... as Keras does.

        Example:

        >>> import os, tempfile, lamina
        >>> model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)])
        >>> path = os.path.join(tempfile.mkdtemp(), "model.weights.h5")
        >>> model.save_weights(path)
        >>> model.load_weights(path)
        """
        from lamina.saving import saving_api

        saving_api.save_weights(self, filepath, overwrite=overwrite, max_shard_size=max_shard_size)

    def load_weights(self, filepath, skip_mismatch=False, **kwargs):
        """Loads weights (and optimizer state, when the file has it).

        Args:
            filepath: A `.weights.h5`, `.weights.json`, `.keras` or legacy `.h5`
                file, written by lamina or by Keras.
            skip_mismatch: Whether to skip, with a warning, the layers whose
                variable count or shapes differ from the file's (else a
                `ValueError` naming the layer's path in the file).
            **kwargs: `by_name=True` matches layers by name (legacy `.h5` only).
        """
        from lamina.saving import saving_api

        saving_api.load_weights(self, filepath, skip_mismatch=skip_mismatch, **kwargs)

    def to_json(self, **kwargs):
        """Returns the model's architecture as a JSON string (Keras's schema; no weights).

        Args:
            **kwargs: Passed to `json.dumps` (e.g. `indent=2`).

        Example:

        >>> import lamina
        >>> model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)])
        >>> restored = lamina.models.model_from_json(model.to_json())
        >>> restored.layers[0].units
        2
        """
        from lamina.saving import serialization

        return json.dumps(serialization.serialize_keras_object(self), **kwargs)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Creates a model from its config: a Functional model for a functional config, else `cls(**config)`.

        Example:

        >>> import lamina
        >>> inputs = lamina.Input((3,))
        >>> model = lamina.Model(inputs, lamina.layers.Dense(2)(inputs))
        >>> lamina.Model.from_config(model.get_config()).output_shape
        (None, 2)
        """
        from lamina.layers.layer import Layer
        from lamina.models import functional_config
        from lamina.models.model import Model

        if all(key in config for key in ("layers", "input_layers", "output_layers")):
            target = cls
            if cls is Model:
                from lamina.models.functional import Functional

                target = Functional
            return functional_config.functional_from_config(target, config, custom_objects)
        return Layer.from_config.__func__(cls, config)


def model_from_json(json_string, custom_objects=None):
    """Creates a model (new weights) from the JSON string `Model.to_json()` returned.

    Args:
        json_string: The JSON text, as written by lamina or Keras.
        custom_objects: Dict of user classes and functions by name.

    Returns:
        The model.

    Example:

    >>> import lamina
    >>> model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)])
    >>> model_from_json(model.to_json()).output_shape
    (None, 2)
    """
    from lamina.saving import serialization

    config = json.loads(json_string)
    return serialization.deserialize_keras_object(config, custom_objects=custom_objects)
