"""The graph of a Functional model: which nodes run, in which order.

`Graph(inputs, outputs)` walks back from the outputs through each tensor's
`_keras_history`, checks that every value can be computed from the inputs,
assigns depths (outputs are depth 0, a parent is deeper than its children)
and orders the operations by decreasing depth — the order of `model.layers`.
`run` replays the nodes on concrete (or symbolic) values.
"""

import optree

from lamina.backend.common.keras_tensor import KerasTensor


def _node_of(tensor):
    history = getattr(tensor, "_keras_history", None)
    if history is None:
        raise ValueError(
            f"The tensor {tensor} was not produced by a lamina layer or Input, so it "
            "cannot be part of a Functional model. Create model inputs with "
            "lamina.Input() and compute outputs by calling layers or lamina.ops on them."
        )
    return history.operation._inbound_nodes[history.node_index]


class Graph:
    """The nodes between `inputs` and `outputs` (flat lists of KerasTensors), in run order."""

    def __init__(self, inputs, outputs):
        self.inputs = list(inputs)
        self.outputs = list(outputs)
        input_ids = {id(tensor) for tensor in self.inputs}
        operation_order = {}
        finished = []
        finished_ids = set()
        in_progress = set()

        def visit(tensor, consumer=None):
            node = _node_of(tensor)
            operation = node.operation
            operation_order.setdefault(id(operation), (len(operation_order), operation))
            if id(node) in finished_ids:
                return
            if id(node) in in_progress:
                raise ValueError(f"The graph has a cycle through '{operation.name}'.")
            if node.is_input and id(tensor) not in input_ids:
                consumer_name = consumer.name if consumer is not None else "the outputs"
                raise ValueError(
                    f"Graph disconnected: cannot obtain the value of tensor {tensor} "
                    f"('{operation.name}'), needed by '{consumer_name}'. It is not among "
                    "the model's inputs. Pass every Input the outputs depend on in "
                    "Model(inputs=[...])."
                )
            in_progress.add(id(node))
            if id(tensor) not in input_ids:
                for parent_tensor in node.input_tensors:
                    visit(parent_tensor, operation)
            in_progress.discard(id(node))
            finished_ids.add(id(node))
            finished.append(node)

        for tensor in self.outputs:
            visit(tensor)
        for tensor in self.inputs:
            node = _node_of(tensor)
            if id(node) not in finished_ids:
                operation_order.setdefault(id(node.operation), (len(operation_order), node.operation))
                finished_ids.add(id(node))
                finished.insert(0, node)

        node_depth = {}
        operation_depth = {}
        for node in reversed(finished):
            depth = node_depth.setdefault(id(node), 0)
            depth = max(depth, operation_depth.get(id(node.operation), depth))
            operation_depth[id(node.operation)] = depth
            node_depth[id(node)] = depth
            if not any(id(t) in input_ids for t in node.outputs):
                for parent in node.parent_nodes:
                    node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
        self.nodes = sorted(finished, key=lambda n: -node_depth[id(n)])
        self.node_depth = node_depth
        operations = sorted(
            (order for order in operation_order.values()),
            key=lambda item: (-operation_depth.get(id(item[1]), 0), item[0]),
        )
        self.operations = [operation for _, operation in operations]
        names = [operation.name for operation in self.operations]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(
                f"The names {duplicates} are used by more than one layer in the model. "
                "All layer names must be unique within a model."
            )
        self._steps = [node for node in self.nodes if not node.is_input]

    def run(self, input_values, call=None):
        """Runs the nodes on `input_values` (flat, aligned with `inputs`); returns flat outputs.

        Args:
            input_values: Values for the inputs, in order.
            call: Optional `(operation, args, kwargs) -> outputs` (default: call the operation).
        """
        values = {id(tensor): value for tensor, value in zip(self.inputs, input_values)}

        def lookup(item):
            if isinstance(item, KerasTensor):
                return values[id(item)]
            return item

        for node in self._steps:
            if all(id(t) in values for t in node.outputs):
                continue
            args = optree.tree_map(lookup, node.call_args, none_is_leaf=True)
            kwargs = optree.tree_map(lookup, node.call_kwargs, none_is_leaf=True)
            if call is None:
                outputs = node.operation(*args, **kwargs)
            else:
                outputs = call(node.operation, args, kwargs)
            flat = optree.tree_leaves(outputs, none_is_leaf=True)
            for tensor, value in zip(node.outputs, flat):
                values[id(tensor)] = value
        return [values[id(tensor)] for tensor in self.outputs]
