"""The graph of a Functional model: which nodes run, in which order.

`Graph(inputs, outputs)` walks back from the outputs through each tensor's
`_keras_history`, checks that every value can be computed from the inputs,
assigns depths (outputs are depth 0, a parent is deeper than its children)
and orders the operations by decreasing depth — the order of `model.layers`.
`run` replays the nodes on concrete (or symbolic) values.
"""

import optree

from lamina.backend.common.keras_tensor import KerasTensor
from lamina.models import direct_calls


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
        self._plan = None

    def run(self, input_values, call=None, direct_key=None, training=None):
        """Runs the nodes on `input_values` (flat, aligned with `inputs`); returns flat outputs.

        Args:
            input_values: Values for the inputs, in order.
            call: Optional `(operation, args, kwargs) -> outputs` (default: call the operation).
            direct_key: The eager run's `direct_calls.signature_key`, or None: with a key,
                layers whose `__call__` does nothing but `call` are called directly
                (see `lamina.models.direct_calls`).
            training: The model call's training flag (passed to direct calls).
        """
        plan = self._plan if self._plan is not None else self._make_plan()
        values = [None] * plan.num_slots
        for slot, value in zip(plan.input_slots, input_values):
            values[slot] = value
        direct = None
        recorded = None
        if direct_key is not None and call is None:
            record = plan.direct_calls.record(direct_key)
            if record is None:
                recorded = []
            elif record[1] is not None:
                _replay_chain(record[1], values)
                return [values[slot] for slot in plan.output_slots]
            else:
                direct = record[0]
        chain = []
        for index, step in enumerate(plan.steps):
            operation, input_slot, static_kwargs, treedef, flat_arguments, replacements, output_slots = step
            if direct is not None and direct[index]:
                kwargs, passes_training = plan.direct_kwargs[index]
                if passes_training:
                    outputs = operation.call(values[input_slot], training=training, **kwargs)
                else:
                    outputs = operation.call(values[input_slot], **kwargs)
            else:
                if input_slot is not None:
                    args = (values[input_slot],)
                    kwargs = dict(static_kwargs)
                else:
                    leaves = list(flat_arguments)
                    for leaf_index, slot in replacements:
                        leaves[leaf_index] = values[slot]
                    args, kwargs = optree.tree_unflatten(treedef, leaves)
                if call is None:
                    outputs = operation(*args, **kwargs)
                else:
                    outputs = call(operation, args, kwargs)
                if recorded is not None:
                    is_direct = plan.direct_kwargs[index] is not None and direct_calls.is_direct(
                        operation, args[0], outputs
                    )
                    recorded.append(is_direct)
            if len(output_slots) == 1 and not isinstance(outputs, (list, tuple, dict)):
                values[output_slots[0]] = outputs
                if recorded is not None and recorded[-1]:
                    call_kwargs, passes_training = plan.direct_kwargs[index]
                    if passes_training:
                        call_kwargs = {**call_kwargs, "training": training}
                    chain.append((operation.call, input_slot, call_kwargs, output_slots[0]))
            else:
                flat = optree.tree_leaves(outputs, none_is_leaf=True)
                for slot, value in zip(output_slots, flat):
                    values[slot] = value
        if recorded is not None:
            every_step = len(chain) == len(plan.steps)
            plan.direct_calls.store(direct_key, recorded, chain if every_step else None)
        return [values[slot] for slot in plan.output_slots]

    def direct_chain(self, direct_key):
        """The recorded direct run for `direct_key` as a function of the one input, or None.

        For a graph of one input and one output whose every node `run` calls
        directly under `direct_key` (see `lamina.models.direct_calls`): the
        returned function replays those calls on a new input of the same
        signature, while no layer attribute changes (the caller checks).

        Args:
            direct_key: A `direct_calls.signature_key` that `run` has recorded.

        Returns:
            A function of the input value returning the output value, or None.
        """
        plan = self._plan
        if plan is None or len(plan.input_slots) != 1 or len(plan.output_slots) != 1:
            return None
        record = plan.direct_calls.record(direct_key)
        if record is None or record[1] is None:
            return None
        chain = tuple(record[1])
        num_slots, input_slot, output_slot = plan.num_slots, plan.input_slots[0], plan.output_slots[0]

        def replay(x):
            values = [None] * num_slots
            values[input_slot] = x
            _replay_chain(chain, values)
            return values[output_slot]

        return replay

    def _make_plan(self):
        # Eager calls replay the graph every step: decide once, per node, where each
        # argument comes from, instead of mapping over the call arguments on every run.
        slots = {}
        for tensor in self.inputs:
            slots.setdefault(id(tensor), len(slots))
        input_slots = [slots[id(tensor)] for tensor in self.inputs]
        input_slots_by_id = dict(slots)
        steps = []
        for node in self._steps:
            # Outputs that are model inputs (a sub-graph cut at an inner tensor) come from the caller.
            if all(id(tensor) in input_slots_by_id for tensor in node.outputs):
                continue
            flat_arguments, treedef = optree.tree_flatten(
                (node.call_args, node.call_kwargs), none_is_leaf=True
            )
            replacements = [
                (leaf_index, slots[id(leaf)])
                for leaf_index, leaf in enumerate(flat_arguments)
                if isinstance(leaf, KerasTensor)
            ]
            input_slot = None
            single = len(node.call_args) == 1 and isinstance(node.call_args[0], KerasTensor)
            if single and len(replacements) == 1:
                input_slot = replacements[0][1]
            output_slots = []
            for tensor in node.outputs:
                slots.setdefault(id(tensor), len(slots))
                output_slots.append(slots[id(tensor)])
            steps.append(
                (
                    node.operation,
                    input_slot,
                    dict(node.call_kwargs),
                    treedef,
                    tuple(flat_arguments),
                    replacements,
                    output_slots,
                )
            )
        plan = _Plan(len(slots), input_slots, steps, [slots[id(tensor)] for tensor in self.outputs])
        plan.direct_kwargs = [
            direct_calls.direct_kwargs(step[0], step[2]) if step[1] is not None else None for step in steps
        ]
        self._plan = plan
        return plan


def _replay_chain(chain, values):
    """Runs a recorded chain of direct `(call, input slot, kwargs, output slot)` steps on `values`."""
    for method, source, kwargs, target in chain:
        values[target] = method(values[source], **kwargs)


class _Plan:
    """How `Graph.run` fills its value slots: input slots, per-node steps, output slots."""

    def __init__(self, num_slots, input_slots, steps, output_slots):
        self.num_slots = num_slots
        self.input_slots = input_slots
        self.steps = steps
        self.output_slots = output_slots
        self.direct_kwargs = []
        self.direct_calls = direct_calls.DirectCalls()
