"""`Sequential`: a plain stack of layers, each feeding the next."""

import contextlib

from lamina.backend.common import scopes
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.core.input_layer import InputLayer
from lamina.layers.layer import Layer
from lamina.models.functional import Functional
from lamina.models.model import Model


class Sequential(Model):
    """A linear stack of layers.

    Once the input shape is known — from an `Input` first, from the legacy
    `input_shape` / `input_dim` argument of the first layer, from `build()`,
    or from the first call — the model builds a Functional graph of its
    layers, so `summary()` shows output shapes and shape errors surface early.

    Args:
        layers: Optional list of layers (an `Input` tensor may come first).
        trainable: Whether the model's weights train.
        name: The model's name (default `"sequential"`, made unique).

    Example:

    >>> import lamina
    >>> model = lamina.Sequential([lamina.Input(shape=(16,)), lamina.layers.Dense(8)])
    >>> model.add(lamina.layers.Dense(4))
    >>> model.output_shape
    (None, 4)
    >>> len(model.layers)
    2
    """

    def __init__(self, layers=None, trainable=True, name=None, **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        self._sequence = []
        self._input_layer = None
        object.__setattr__(self, "_functional", None)
        for layer in layers or []:
            self.add(layer, rebuild=False)
        self._maybe_rebuild()

    def add(self, layer, rebuild=True):
        """Appends a layer (or an `Input` tensor, which must come first).

        Args:
            layer: A Layer instance, or a KerasTensor from `lamina.Input`.
            rebuild: Whether to rebuild the graph now (internal).
        """
        if isinstance(layer, KerasTensor):
            history = getattr(layer, "_keras_history", None)
            if history is None or not isinstance(history.operation, InputLayer):
                raise ValueError("Sequential.add() accepts KerasTensors made by lamina.Input() only.")
            layer = history.operation
        if not isinstance(layer, Layer):
            raise ValueError(
                "Sequential.add() expects a Layer instance. Received "
                f"{layer!r} of type {type(layer).__name__}."
            )
        if isinstance(layer, InputLayer):
            if self._sequence or self._input_layer is not None:
                raise ValueError(
                    f"{self._describe()}: an Input can only be the first element. Add "
                    "it before any other layer."
                )
            self._input_layer = layer
        else:
            if self._input_layer is None and not self._sequence:
                batch_shape = getattr(layer, "_batch_input_shape", None)
                if batch_shape is not None:
                    self._input_layer = InputLayer(batch_shape=batch_shape, dtype=layer._legacy_input_dtype)
            if any(existing.name == layer.name for existing in self._sequence):
                raise ValueError(
                    f"All layers added to {self._describe()} must have unique names. "
                    f"The name '{layer.name}' is already in use."
                )
            self._sequence.append(layer)
            self._track(layer)
        if rebuild:
            self._maybe_rebuild()

    def pop(self, rebuild=True):
        """Removes and returns the last layer."""
        if not self._sequence:
            raise ValueError(f"{self._describe()} has no layers to pop.")
        layer = self._sequence.pop()
        self._layers = [item for item in self._layers if item is not layer]
        if hasattr(self, "_modules"):
            for key in [k for k, v in self._modules.items() if v is layer]:
                del self._modules[key]
        object.__setattr__(self, "_functional", None)
        self.built = False
        if rebuild:
            self._maybe_rebuild()
        return layer

    def _maybe_rebuild(self):
        object.__setattr__(self, "_functional", None)
        if self._input_layer is not None and self._sequence:
            self._build_graph(self._input_layer.output)
        elif self._input_layer is not None:
            self.built = False

    def _build_graph(self, input_tensor, in_name_scope=False):
        # build() already runs in the model's name scope (Layer wraps it); add() does not.
        name_scope = contextlib.nullcontext() if in_name_scope else scopes.NameScope(self.name)
        with scopes.GraphBuildingScope(), name_scope:
            outputs = input_tensor
            for layer in self._sequence:
                outputs = layer(outputs)
        graph = Functional(input_tensor, outputs, name=f"{self.name}_graph", trainable=self.trainable)
        # Not a tracked sublayer: the layers are tracked once, through self._sequence.
        object.__setattr__(self, "_functional", graph)
        self._build_shapes_dict = {"input_shape": tuple(input_tensor.shape)}
        self.built = True

    def build(self, input_shape=None):
        """Builds the model for inputs of `input_shape` (batch axis included)."""
        if input_shape is None:
            raise ValueError(f"{self._describe()}: build() needs an input_shape, e.g. (None, 16).")
        if self._functional is not None:
            return
        if not self._sequence:
            raise ValueError(f"{self._describe()} has no layers; add layers before building it.")
        self._input_layer = InputLayer(batch_shape=tuple(input_shape))
        self._build_graph(self._input_layer.output, in_name_scope=True)

    def _maybe_build(self, args, kwargs):
        if self._functional is None and args:
            first = args[0]
            shape = tuple(first.shape) if hasattr(first, "shape") else None
            if shape is not None:
                self.build((None,) + tuple(shape[1:]))

    def call(self, inputs, training=None, mask=None):
        if self._functional is not None:
            return self._functional.call(inputs, training=training, mask=mask)
        outputs = inputs
        for layer in self._sequence:
            outputs = layer(outputs)
        return outputs

    def _compiled_call_graph(self):
        if self._functional is None or type(self).call is not Sequential.call:
            return None
        if self.activity_regularizer is not None:
            return None
        return self._functional._graph

    def compute_output_spec(self, inputs, training=None, mask=None):
        if self._functional is not None:
            return self._functional.compute_output_spec(inputs)
        outputs = inputs
        for layer in self._sequence:
            outputs = layer.compute_output_spec(outputs)
        return outputs

    @property
    def layers(self):
        return list(self._sequence)

    @property
    def inputs(self):
        return self._functional.inputs if self._functional is not None else None

    @property
    def outputs(self):
        return self._functional.outputs if self._functional is not None else None

    @property
    def input_shape(self):
        if self._functional is None:
            raise AttributeError(f"{self._describe()} has no defined input shape yet.")
        return self._functional.input_shape

    @property
    def output_shape(self):
        if self._functional is None:
            raise AttributeError(f"{self._describe()} has no defined output shape yet.")
        return self._functional.output_shape

    @property
    def input(self):
        return self._functional.input if self._functional is not None else None

    @property
    def output(self):
        return self._functional.output if self._functional is not None else None

    def get_config(self):
        from lamina.saving import serialization

        layers = []
        if self._input_layer is not None:
            layers.append(serialization.serialize_keras_object(self._input_layer))
        layers.extend(serialization.serialize_keras_object(layer) for layer in self._sequence)
        config = {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": {
                "module": "keras",
                "class_name": "DTypePolicy",
                "config": self.dtype_policy.get_config(),
                "registered_name": None,
            },
            "layers": layers,
        }
        if self._build_shapes_dict:
            config["build_input_shape"] = list(self._build_shapes_dict["input_shape"])
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuilds a Sequential model from `get_config()`'s dict (new, untrained weights)."""
        from lamina.layers.layer_serialization import deserialize

        layers = [deserialize(entry, custom_objects=custom_objects) for entry in config.get("layers", [])]
        model = cls(layers=layers, name=config.get("name"), trainable=config.get("trainable", True))
        build_shape = config.get("build_input_shape")
        if not model.built and build_shape is not None:
            model.build(tuple(build_shape))
        return model
