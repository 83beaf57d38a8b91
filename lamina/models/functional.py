"""`Functional`: a model defined by a graph of layer calls from `Input`s to outputs."""

import optree

from lamina.backend.common import masking
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.layer import Layer
from lamina.models import direct_calls
from lamina.models.graph import Graph
from lamina.models.model import Model
from lamina.ops.node import Node


class Functional(Model):
    """A model built by calling layers on `lamina.Input` tensors.

    Create it with `lamina.Model(inputs, outputs)`. Inputs and outputs may be
    a single tensor, a list or a dict; the model is then called with (and
    returns) the same structure. Layers may be shared (called more than once).

    Args:
        inputs: Input KerasTensor(s) made by `lamina.Input`.
        outputs: Output KerasTensor(s) computed from the inputs.
        name: The model's name (default `"functional"`, made unique).

    Example:

    >>> import lamina
    >>> a = lamina.Input(shape=(4,), name="a")
    >>> b = lamina.Input(shape=(4,), name="b")
    >>> shared = lamina.layers.Dense(3)
    >>> merged = lamina.layers.Dense(2)(shared(a) + shared(b))
    >>> model = lamina.Model({"a": a, "b": b}, merged)
    >>> model({"a": lamina.ops.ones((1, 4)), "b": lamina.ops.ones((1, 4))}).shape
    (1, 2)
    """

    def __init__(self, inputs, outputs, name=None, **kwargs):
        self._inputs_struct = _freeze(inputs)
        self._outputs_struct = _freeze(outputs)
        flat_inputs = optree.tree_leaves(self._inputs_struct, none_is_leaf=False)
        flat_outputs = optree.tree_leaves(self._outputs_struct, none_is_leaf=False)
        for tensor in flat_inputs + flat_outputs:
            if not isinstance(tensor, KerasTensor):
                raise ValueError(
                    "Model(inputs, outputs) expects KerasTensors (made by lamina.Input "
                    f"and layer calls). Received an object of type {type(tensor).__name__}."
                )
        graph = Graph(flat_inputs, flat_outputs)
        Model.__init__(self, name=name, **kwargs)
        self._graph = graph
        self._functional_layers = [op for op in graph.operations if isinstance(op, Layer)]
        for layer in self._functional_layers:
            self._track(layer)
        self.built = True

    @property
    def layers(self):
        return list(self._functional_layers)

    @property
    def inputs(self):
        return list(self._graph.inputs)

    @property
    def outputs(self):
        return list(self._graph.outputs)

    @property
    def input(self):
        return self._inputs_struct

    @property
    def output(self):
        return self._outputs_struct

    @property
    def input_shape(self):
        shapes = [tensor.shape for tensor in self._graph.inputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_shape(self):
        shapes = [tensor.shape for tensor in self._graph.outputs]
        return shapes[0] if len(shapes) == 1 else shapes

    def _flatten_inputs(self, inputs):
        structure = self._inputs_struct
        if isinstance(structure, dict):
            if not isinstance(inputs, dict):
                if len(structure) == 1:
                    return [inputs]
                if isinstance(inputs, (list, tuple)) and len(inputs) == len(structure):
                    return list(inputs)
                raise ValueError(
                    f"{self._describe()} expects a dict of inputs with keys "
                    f"{sorted(structure)}. Received: {type(inputs).__name__}."
                )
            missing = [key for key in structure if key not in inputs]
            if missing:
                raise ValueError(
                    f"{self._describe()} is missing inputs {missing}. Expected keys "
                    f"{sorted(structure)}; received keys {sorted(inputs)}."
                )
            return [inputs[key] for key in sorted(structure)]
        if isinstance(structure, (list, tuple)):
            if isinstance(inputs, dict):
                names = [tensor.name for tensor in self._graph.inputs]
                if all(name in inputs for name in names):
                    return [inputs[name] for name in names]
            if not isinstance(inputs, (list, tuple)):
                if len(structure) == 1:
                    return [inputs]
                raise ValueError(
                    f"{self._describe()} expects a list of {len(structure)} inputs. "
                    f"Received a single {type(inputs).__name__}."
                )
            if len(inputs) != len(structure):
                raise ValueError(
                    f"{self._describe()} expects {len(structure)} inputs. Received {len(inputs)}."
                )
            return list(inputs)
        if isinstance(inputs, (list, tuple)) and len(inputs) == 1:
            return [inputs[0]]
        if isinstance(inputs, dict) and len(inputs) == 1:
            return list(inputs.values())
        return [inputs]

    def _outputs_treedef(self):
        treedef = self.__dict__.get("_outputs_treedef_cache")
        if treedef is None:
            treedef = optree.tree_structure(self._outputs_struct, none_is_leaf=False)
            # Not a tracked attribute: a plain instance entry, invisible to layer tracking.
            object.__setattr__(self, "_outputs_treedef_cache", treedef)
        return treedef

    def _check_input_shapes(self, flat_inputs):
        shapes = tuple(getattr(value, "shape", None) for value in flat_inputs)
        if shapes == self.__dict__.get("_passed_input_shapes"):
            return
        self._check_each_input_shape(flat_inputs)
        if all(shape is not None for shape in shapes):
            # Not a tracked attribute: a plain instance entry, invisible to layer tracking.
            object.__setattr__(self, "_passed_input_shapes", shapes)

    def _check_each_input_shape(self, flat_inputs):
        for index, (tensor, value) in enumerate(zip(self._graph.inputs, flat_inputs)):
            if value is None or not hasattr(value, "shape"):
                continue
            expected = tensor.shape
            received = tuple(value.shape)
            compatible = len(expected) == len(received) and all(
                e is None or r is None or e == r for e, r in zip(expected, received)
            )
            if not compatible:
                raise ValueError(
                    f"Input {index} of {self._describe()} is incompatible with the "
                    f"model: expected shape={expected}, found shape={received}. "
                    f"The model was built on inputs of shape {expected} "
                    f"(Input '{tensor.name or index}')."
                )

    def call(self, inputs, training=None, mask=None):
        flat_inputs = self._flatten_inputs(inputs)
        flat_inputs = [self._convert_inputs(value) for value in flat_inputs]
        self._check_input_shapes(flat_inputs)
        if mask is not None:
            for value, value_mask in zip(flat_inputs, optree.tree_leaves(mask, none_is_leaf=True)):
                if value_mask is not None:
                    masking.set_keras_mask(value, value_mask)
        key = direct_calls.signature_key(flat_inputs, training, mask)
        outputs = self._graph.run(flat_inputs, direct_key=key, training=training)
        treedef = self._outputs_treedef()
        return outputs[0] if treedef.is_leaf() else optree.tree_unflatten(treedef, outputs)

    def compute_output_spec(self, inputs, training=None, mask=None):
        flat_inputs = self._flatten_inputs(inputs)
        self._check_input_shapes(flat_inputs)

        def spec(operation, args, kwargs):
            return operation.compute_output_spec(*args, **kwargs)

        outputs = self._graph.run(flat_inputs, call=spec)
        return optree.tree_unflatten(self._outputs_treedef(), outputs)

    def _maybe_build(self, args, kwargs):
        if not self.built:
            self.built = True

    def _compiled_call_graph(self):
        if type(self).call is not Functional.call or self.activity_regularizer is not None:
            return None
        return self._graph

    def _symbolic_call(self, args, kwargs, call_kwargs):
        outputs = self.compute_output_spec(*args, **kwargs)
        Node(self, call_args=args, call_kwargs=call_kwargs, outputs=outputs)
        return outputs

    def get_config(self):
        """Returns the model's config: its layers, their call nodes, its inputs and outputs."""
        from lamina.models import functional_config

        return functional_config.get_functional_config(self)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuilds a Functional model from `get_config()`'s dict (new, untrained weights)."""
        from lamina.models import functional_config

        return functional_config.functional_from_config(cls, config, custom_objects)


def _freeze(structure):
    """Keeps dicts sorted by key (Keras flattens dict inputs in sorted-key order)."""
    if isinstance(structure, dict):
        return {key: _freeze(structure[key]) for key in sorted(structure)}
    if isinstance(structure, tuple):
        return [_freeze(item) for item in structure]
    if isinstance(structure, list):
        return [_freeze(item) for item in structure]
    return structure
