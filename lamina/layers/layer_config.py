"""The configuration side of `Layer`: get_config / from_config and build configs."""

import inspect

from lamina import dtype_policies

_SIMPLE_TYPES = (str, int, float, bool, type(None))


def _is_simple(value):
    if isinstance(value, _SIMPLE_TYPES):
        return True
    if isinstance(value, (list, tuple)):
        return all(_is_simple(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(key, str) and _is_simple(item) for key, item in value.items())
    return False


class LayerConfigMixin:
    def get_config(self):
        """Returns the layer's constructor arguments as a JSON-friendly dict.

        Built-in layers list their arguments. A custom layer that does not
        override `get_config` gets its simple constructor arguments (strings,
        numbers, booleans, lists of them) captured automatically.
        """
        config = {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": {
                "module": "keras",
                "class_name": "DTypePolicy",
                "config": self.dtype_policy.get_config(),
                "registered_name": None,
            },
        }
        if getattr(self, "activity_regularizer", None) is not None:
            from lamina import regularizers

            config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        if type(self).get_config is LayerConfigMixin.get_config and type(self).__init__ is not _layer_init():
            config.update(self._auto_config())
        return config

    def _auto_config(self):
        args, kwargs = self._constructor_arguments
        signature = inspect.signature(type(self).__init__)
        try:
            bound = signature.bind(self, *args, **kwargs)
        except TypeError:
            bound = None
        captured = {}
        if bound is not None:
            for name, value in list(bound.arguments.items())[1:]:
                kind = signature.parameters[name].kind
                if kind == inspect.Parameter.VAR_KEYWORD:
                    captured.update(value)
                elif kind != inspect.Parameter.VAR_POSITIONAL:
                    captured[name] = value
        if (
            bound is None
            or any(not _is_simple(v) for v in captured.values())
            or args
            and any(p.kind == inspect.Parameter.VAR_POSITIONAL for p in signature.parameters.values())
        ):
            raise NotImplementedError(
                f"{self._describe()} cannot be serialized automatically: its "
                "constructor takes arguments that are not plain strings, numbers or "
                "lists. Define get_config() returning them, e.g.\n"
                "    def get_config(self):\n"
                "        config = super().get_config()\n"
                "        config.update({'units': self.units})\n"
                "        return config"
            )
        return captured

    @classmethod
    def from_config(cls, config):
        """Creates a layer from the dict `get_config` returned."""
        config = dict(config)
        if "dtype" in config and isinstance(config["dtype"], dict):
            config["dtype"] = dtype_policies.get(config["dtype"])
        try:
            return cls(**config)
        except TypeError as error:
            raise TypeError(
                f"Could not create a {cls.__name__} from its config: {error}. A custom "
                "layer whose constructor takes non-serializable arguments must "
                "override from_config()."
            ) from None

    def get_build_config(self):
        """Returns the input shapes the layer was built with (None if not built)."""
        if not self._build_shapes_dict:
            return None
        shapes = {key: _shape(value) for key, value in self._build_shapes_dict.items()}
        # Keras writes any single build argument (`sequences_shape` of RNN too) as `input_shape`.
        if len(shapes) == 1:
            return {"input_shape": next(iter(shapes.values()))}
        return {"shapes_dict": shapes}

    def build_from_config(self, config):
        """Builds the layer from a `get_build_config()` dict."""
        if not config:
            return
        if "input_shape" in config:
            self._build_with_shapes({"input_shape": _shape(config["input_shape"])})
        elif "shapes_dict" in config:
            self._build_with_shapes({k: _shape(v) for k, v in config["shapes_dict"].items()})


def _layer_init():
    from lamina.layers.layer import Layer

    return Layer.__init__


def _shape(value):
    if isinstance(value, list) and all(v is None or isinstance(v, int) for v in value):
        return tuple(value)
    if isinstance(value, list):
        return [_shape(item) for item in value]
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    return value
