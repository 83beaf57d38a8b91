"""`Node`: one call of an operation on symbolic tensors, an edge set of the graph."""

import collections

import optree

from lamina.backend.common.keras_tensor import KerasTensor

KerasHistory = collections.namedtuple("KerasHistory", ["operation", "node_index", "tensor_index"])


class Node:
    """Records that `operation` was called on `call_args` and produced `outputs`.

    Creating a Node appends it to `operation._inbound_nodes`, links it to the
    nodes that produced its inputs, and stamps each output KerasTensor with
    `_keras_history`.

    Args:
        operation: The `Operation` (layer or op) that was called.
        call_args: Positional arguments of the call.
        call_kwargs: Keyword arguments of the call.
        outputs: The symbolic outputs (any nest of KerasTensors).
    """

    def __init__(self, operation, call_args=(), call_kwargs=None, outputs=None):
        self.operation = operation
        self.call_args = tuple(call_args)
        self.call_kwargs = dict(call_kwargs or {})
        self.outputs = [
            x for x in optree.tree_leaves(outputs, none_is_leaf=False) if isinstance(x, KerasTensor)
        ]
        self.input_tensors = [
            x
            for x in optree.tree_leaves((self.call_args, self.call_kwargs), none_is_leaf=False)
            if isinstance(x, KerasTensor)
        ]
        self.is_input = not self.input_tensors
        node_index = len(operation._inbound_nodes)
        operation._inbound_nodes.append(self)
        for tensor in self.input_tensors:
            history = getattr(tensor, "_keras_history", None)
            if history is not None:
                history.operation._outbound_nodes.append(self)
        for tensor_index, tensor in enumerate(self.outputs):
            tensor._keras_history = KerasHistory(operation, node_index, tensor_index)

    @property
    def parent_nodes(self):
        parents = []
        for tensor in self.input_tensors:
            history = getattr(tensor, "_keras_history", None)
            if history is not None:
                parent = history.operation._inbound_nodes[history.node_index]
                if parent not in parents:
                    parents.append(parent)
        return parents
