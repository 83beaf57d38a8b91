"""A Functional model's config: its layers with their call nodes, and how to rebuild it.

The format is Keras 3's: each layer entry carries `inbound_nodes`, a list of
`{"args": [...], "kwargs": {...}}` in which symbolic tensors are written as
`{"class_name": "__keras_tensor__", "config": {"shape", "dtype",
"keras_history": [layer_name, node_index, tensor_index]}}`. Node indices
count only the nodes that belong to this model. An op called on symbolic
tensors (`lamina.ops.sum(x, axis=1)`) is written as Keras writes it: module
`"keras.src.ops.<numpy|nn|...>"`, an Operation class name (`Sum`) whose
config holds the op's constructor arguments (`axis`, `keepdims`), and the
call's remaining arguments in the node (see `op_node_config`). Such entries
are read back by calling the lamina op of that name. The few ops Keras has
no class for keep lamina's own form: module `"keras.ops"`, the function name
as class name and every argument in the node.
"""

import optree

from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers.layer import Layer
from lamina.models import op_node_config
from lamina.ops.operation import FunctionOperation
from lamina.saving import object_registration
from lamina.saving import serialization


def _node_indices(graph):
    """Maps id(node) -> its index among its operation's nodes that belong to this graph."""
    in_graph = {id(node) for node in graph.nodes}
    indices = {}
    for operation in graph.operations:
        own = [node for node in operation._inbound_nodes if id(node) in in_graph]
        for index, node in enumerate(own):
            indices[id(node)] = index
    return indices


def _encode(value, node_indices):
    if isinstance(value, KerasTensor):
        history = value._keras_history
        node = history.operation._inbound_nodes[history.node_index]
        return {
            "class_name": "__keras_tensor__",
            "config": {
                "shape": list(value.shape),
                "dtype": value.dtype,
                "keras_history": [history.operation.name, node_indices[id(node)], history.tensor_index],
            },
        }
    if isinstance(value, (list, tuple)):
        return [_encode(item, node_indices) for item in value]
    if isinstance(value, dict):
        return {key: _encode(item, node_indices) for key, item in value.items()}
    return serialization.serialize_keras_object(value)


def _operation_entry(operation, nodes):
    """The entry of `operation` and the (args, kwargs) of each of its `nodes`, unencoded."""
    calls = [(list(node.call_args), dict(node.call_kwargs)) for node in nodes]
    if isinstance(operation, FunctionOperation):
        function = operation.function
        module = op_node_config.keras_module(function)
        if module is None or not calls:
            return {
                "module": "keras.ops",
                "class_name": function.__name__,
                "config": {"name": operation.name},
                "registered_name": None,
            }, calls
        # A FunctionOperation is created per call, so it has a single node.
        constructor, call_args, call_kwargs = op_node_config.split_arguments(function, *calls[0])
        class_name = op_node_config.keras_class_name(function.__name__)
        config = {"name": operation.name}
        config.update(
            {key: serialization.serialize_keras_object(value) for key, value in constructor.items()}
        )
        entry = {"module": module, "class_name": class_name, "config": config, "registered_name": class_name}
        return entry, [(call_args, call_kwargs)]
    if not isinstance(operation, Layer):
        raise ValueError(
            f"Cannot serialize the operation '{operation.name}' of type "
            f"{type(operation).__name__} in a Functional model."
        )
    return serialization.serialize_keras_object(operation), calls


def get_functional_config(model):
    """Returns the config dict of a Functional model (Keras 3's layout)."""
    graph = model._graph
    node_indices = _node_indices(graph)
    in_graph = {id(node) for node in graph.nodes}
    layers = []
    for operation in graph.operations:
        nodes = [node for node in operation._inbound_nodes if id(node) in in_graph and not node.is_input]
        entry, calls = _operation_entry(operation, nodes)
        entry["name"] = operation.name
        entry["inbound_nodes"] = [
            {"args": _encode(args, node_indices), "kwargs": _encode(kwargs, node_indices)}
            for args, kwargs in calls
        ]
        layers.append(entry)

    def reference(tensor):
        history = tensor._keras_history
        node = history.operation._inbound_nodes[history.node_index]
        return [history.operation.name, node_indices[id(node)], history.tensor_index]

    return {
        "name": model.name,
        "trainable": model.trainable,
        "layers": layers,
        "input_layers": optree.tree_map(reference, model._inputs_struct, none_is_leaf=False),
        "output_layers": optree.tree_map(reference, model._outputs_struct, none_is_leaf=False),
    }


def _is_reference(value):
    return (
        isinstance(value, list)
        and len(value) == 3
        and isinstance(value[0], str)
        and isinstance(value[1], int)
    )


def _map_references(structure, tensors):
    if _is_reference(structure):
        name, node_index, tensor_index = structure
        return tensors[(name, node_index)][tensor_index]
    if isinstance(structure, dict):
        return {key: _map_references(value, tensors) for key, value in structure.items()}
    return [_map_references(value, tensors) for value in structure]


def _create_operation(entry, custom_objects):
    module = entry.get("module") or ""
    if module == "keras.ops":
        return _ReplayedOperation(_op_function(entry["class_name"]))
    if module.startswith("keras.src.ops."):
        # Keras records ops as Operation classes (`NotEqual`, e.g. the mask that
        # Embedding(mask_zero=True) passes on); their config holds the op's
        # constructor arguments besides its name.
        constructor = {key: value for key, value in entry.get("config", {}).items() if key != "name"}
        function = _op_function(op_node_config.function_name(entry["class_name"]))
        return _ReplayedOperation(function, constructor)
    from lamina.layers.layer_serialization import deserialize

    return deserialize(entry, custom_objects=custom_objects)


def _op_function(name):
    from lamina import ops

    function = getattr(ops, name, None)
    if function is None or not hasattr(function, "shape_rule"):
        raise ValueError(f"Unknown op '{name}' in a Functional model config.")
    return function


# Encodings of plain values that can appear among a node's arguments (`x[1:, ...]`).
_PLAIN_VALUES = ("__slice__", "__ellipsis__", "__numpy__", "__bytes__")


class _ReplayedOperation:
    """Replays an op node: calling it on KerasTensors records a fresh node."""

    def __init__(self, function, constructor=None):
        self.function = function
        self.constructor = constructor

    def __call__(self, *args, **kwargs):
        if self.constructor is None:
            return self.function(*args, **kwargs)
        if self.function.__name__ == "get_item" and len(args) == 2 and isinstance(args[1], list):
            # JSON turns the tuple key of `x[:, 0]` into a list.
            args = (args[0], tuple(args[1]))
        args, kwargs = op_node_config.join_arguments(self.function, self.constructor, args, kwargs)
        return self.function(*args, **kwargs)


def functional_from_config(cls, config, custom_objects=None):
    """Rebuilds a Functional model (of class `cls`) from `get_functional_config`'s dict."""
    with object_registration.CustomObjectScope(custom_objects or {}):
        operations = {}
        pending = {}
        for entry in config["layers"]:
            name = entry.get("name") or entry["config"]["name"]
            operations[name] = _create_operation(entry, custom_objects)
            pending[name] = list(entry.get("inbound_nodes", []))
        tensors = {}
        for name, operation in operations.items():
            if getattr(operation, "_inbound_nodes", None) and not pending[name]:
                tensors[(name, 0)] = operation._inbound_nodes[0].outputs
        counters = {name: 0 for name in operations}

        def resolve(value):
            if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
                name, node_index, tensor_index = value["config"]["keras_history"]
                return tensors[(name, node_index)][tensor_index]
            if isinstance(value, dict) and value.get("class_name") in _PLAIN_VALUES:
                return serialization.deserialize_keras_object(value)
            if isinstance(value, list):
                return [resolve(item) for item in value]
            if isinstance(value, dict):
                return {key: resolve(item) for key, item in value.items()}
            return value

        def ready(value):
            if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
                name, node_index, _ = value["config"]["keras_history"]
                return (name, node_index) in tensors
            if isinstance(value, list):
                return all(ready(item) for item in value)
            if isinstance(value, dict):
                return all(ready(item) for item in value.values())
            return True

        while any(pending.values()):
            progressed = False
            for name, nodes in pending.items():
                while nodes and ready(nodes[0]):
                    node = nodes.pop(0)
                    outputs = operations[name](*resolve(node["args"]), **resolve(node["kwargs"]))
                    tensors[(name, counters[name])] = [
                        leaf for leaf in optree.tree_leaves(outputs) if isinstance(leaf, KerasTensor)
                    ]
                    counters[name] += 1
                    progressed = True
            if not progressed:
                stuck = sorted(name for name, nodes in pending.items() if nodes)
                raise ValueError(
                    f"Cannot rebuild the Functional model '{config.get('name')}': the inputs "
                    f"of layers {stuck} never become available (missing layers or a cycle)."
                )
        inputs = _map_references(config["input_layers"], tensors)
        outputs = _map_references(config["output_layers"], tensors)
        return cls(inputs, outputs, name=config.get("name"), trainable=config.get("trainable", True))
