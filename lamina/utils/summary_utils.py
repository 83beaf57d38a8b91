"""`print_summary`: the table printed by `model.summary()`, drawn with `rich` as Keras 3 does.

Which rows and columns: a Sequential (or subclassed) model lists `model.layers`
in three columns (`Layer (type)`, `Output Shape`, `Param #`). A Functional
model lists every operation of its graph (Input layers included) and, unless
the graph is a single chain, adds a `Connected to` column naming each input
as `layer_name[node_index][tensor_index]`.
"""

import math
import re
import shutil

import rich.console
import rich.markup
import rich.table

from lamina.backend.common.dtypes import standardize_dtype


def count_params(weights):
    """Total number of scalars in `weights` (a list of Variables)."""
    return int(sum(math.prod(weight.shape) for weight in weights))


def _dtype_bits(dtype):
    name = standardize_dtype(dtype)
    if name == "bool":
        return 1
    digits = "".join(character for character in name if character.isdigit())
    return int(digits) if digits else 0


def weight_memory_size(weights):
    """Memory footprint of `weights` in bytes (each Variable counted once)."""
    unique = {id(weight): weight for weight in weights}.values()
    bits = sum(math.prod(weight.shape) * _dtype_bits(weight.dtype) for weight in unique)
    return bits / 8


def readable_memory_size(size):
    """Formats a size in bytes like Keras: `268.00 B`, `1.05 KB`, `12.34 MB`.

    Example:

    >>> readable_memory_size(268), readable_memory_size(1075), readable_memory_size(3 * 1024**2)
    ('268.00 B', '1.05 KB', '3.00 MB')
    """
    units = ["B", "KB", "MB", "GB", "TB", "PB"]
    for unit in units:
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} {units[-1]}"


def _number(value):
    """Rich markup for a number (a separate color for `None`, e.g. in a shape)."""
    return f"[color(45)]{value}[/]" if value is None else f"[color(34)]{value}[/]"


def _bold(text, color=None):
    return f"[bold][color({color})]{text}[/][/]" if color else f"[bold]{text}[/]"


def _type_name(layer):
    """The `(type)` shown after a layer's name; an op called on symbolic tensors shows as Keras's op class."""
    function = getattr(layer, "function", None)
    if type(layer).__name__ == "FunctionOperation" and function is not None:
        return "".join(part.capitalize() for part in function.__name__.split("_"))
    return layer.__class__.__name__


def _is_shape(value):
    return isinstance(value, (tuple, list)) and all(item is None or isinstance(item, int) for item in value)


def _format_shape(shape):
    # Keras joins the entries without a trailing comma, so (5,) prints as "(5)".
    return "(" + ", ".join(_number(item) for item in shape) + ")"


def _format_shapes(shapes):
    if _is_shape(shapes):
        return _format_shape(shapes)
    if isinstance(shapes, dict):
        return "{" + ", ".join(f"{key}: {_format_shapes(value)}" for key, value in shapes.items()) + "}"
    items = [_format_shapes(item) for item in shapes]
    if len(items) == 1:
        return items[0]
    return "(" + ", ".join(items) + ")" if isinstance(shapes, tuple) else "[" + ", ".join(items) + "]"


def format_layer_shape(layer):
    """The `Output Shape` cell: from the layer's last call node, else its build shapes, else `?`."""
    nodes = getattr(layer, "_inbound_nodes", None) or []
    if nodes:
        outputs = [tensor.shape for tensor in nodes[-1].outputs]
        return _format_shapes(outputs)
    build_shapes = getattr(layer, "_build_shapes_dict", None)
    if not build_shapes:
        return "?"
    try:
        return _format_shapes(layer.compute_output_shape(**build_shapes))
    except Exception:  # A summary must not fail because one layer cannot infer its shape.
        return "?"


def _graph_of(model):
    """The Functional graph (`operations`, `nodes`, `node_depth`), or None for other models."""
    graph = getattr(model, "_graph", None)
    if graph is not None and hasattr(graph, "operations") and hasattr(graph, "nodes"):
        return graph
    return None


def _is_single_chain(model, graph):
    """Keras's test: one node per depth, each with at most one input, and no shared layer."""
    nodes_per_depth = {}
    for node in graph.nodes:
        nodes_per_depth.setdefault(graph.node_depth[id(node)], []).append(node)
    for nodes in nodes_per_depth.values():
        if len(nodes) > 1 or len(nodes[0].input_tensors) > 1:
            return False
    graph_node_ids = {id(node) for node in graph.nodes}
    for layer in model.layers:
        calls = [node for node in getattr(layer, "_inbound_nodes", []) if id(node) in graph_node_ids]
        if len(calls) > 1:
            return False
    return True


def _connections(layer, graph_node_ids):
    parts = []
    for node in getattr(layer, "_inbound_nodes", []):
        if graph_node_ids and id(node) not in graph_node_ids:
            continue  # A call of this layer from outside this model.
        for tensor in node.input_tensors:
            history = tensor._keras_history
            parts.append(
                f"{rich.markup.escape(history.operation.name)}"
                f"[{_number(history.node_index)}][{_number(history.tensor_index)}]"
            )
    return ", ".join(parts) or "-"


def get_layer_index_bound_by_layer_name(layers, layer_range=None):
    """The `[start, stop)` indices of `layers` selected by `layer_range` (two name regexes).

    Args:
        layers: The list of layers.
        layer_range: `None` (all layers) or `[first, last]`: the first layer
            whose name matches `first` through the last matching `last`.

    Returns:
        A list `[start, stop]` to slice `layers` with.
    """
    if layer_range is None:
        return [0, len(layers)]
    if len(layer_range) != 2:
        raise ValueError(
            "print_summary expects layer_range to be a list or tuple of 2 layer names. "
            f"Received: layer_range={layer_range} of length {len(layer_range)}"
        )
    if not all(isinstance(name, str) for name in layer_range):
        raise ValueError(
            f"print_summary expects layer_range to hold strings. Received: layer_range={layer_range}"
        )
    lower = [index for index, layer in enumerate(layers) if re.match(layer_range[0], layer.name)]
    upper = [index for index, layer in enumerate(layers) if re.match(layer_range[1], layer.name)]
    if not lower or not upper:
        raise ValueError(
            f"print_summary: layer_range={layer_range} does not match the model's layer names "
            f"{[layer.name for layer in layers]}."
        )
    if min(lower) > max(upper):
        return [min(upper), max(lower) + 1]
    return [min(lower), max(upper) + 1]


def _column_widths(positions, line_length):
    if positions[-1] <= 1:
        positions = [int(line_length * position) for position in positions]
    widths = []
    start = 0
    for position in positions:
        width = int(position) - start
        if width < 4:
            raise ValueError(
                f"print_summary: line_length={line_length} is too small for the columns "
                f"(positions={positions}). Pass a larger line_length."
            )
        widths.append(width)
        start += width
    return widths


def _totals(model):
    """(label, count, bytes) for the lines under the table."""
    trainable = list(model.trainable_weights)
    non_trainable = list(model.non_trainable_weights)
    lines = [
        ("Trainable params", count_params(trainable), weight_memory_size(trainable)),
        ("Non-trainable params", count_params(non_trainable), weight_memory_size(non_trainable)),
    ]
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None and getattr(model, "compiled", True):
        variables = list(getattr(optimizer, "variables", []))
        if getattr(optimizer, "built", bool(variables)):
            lines.append(("Optimizer params", count_params(variables), weight_memory_size(variables)))
    total = ("Total params", sum(line[1] for line in lines), sum(line[2] for line in lines))
    return [total] + lines


def print_summary(
    model,
    line_length=None,
    positions=None,
    print_fn=None,
    expand_nested=False,
    show_trainable=False,
    layer_range=None,
):
    """Prints a summary of a model.

    Args:
        model: A lamina model.
        line_length: Total width of the table (default: 88, or 108 with a
            `Connected to` column, capped by the terminal width).
        positions: Relative (<= 1) or absolute right edges of the columns.
            Default `[0.45, 0.80, 1.0]`, or `[0.3, 0.56, 0.74, 1.0]` with a
            `Connected to` column.
        print_fn: Function called once with the whole summary as plain text
            (no color codes). Default: print to stdout (in color on a terminal).
        expand_nested: Whether to list the layers of nested models too.
        show_trainable: Whether to add a `Trainable` column (`Y` / `N`).
        layer_range: `[first, last]` layer-name regexes (both inclusive)
            selecting the rows to print.

    Example:

    >>> import lamina
    >>> model = lamina.Sequential([lamina.Input((4,)), lamina.layers.Dense(2)])
    >>> lines = []
    >>> print_summary(model, print_fn=lines.append)
    >>> print(lines[0].splitlines()[-3])
     Total params: 10 (40.00 B)
    """
    graph = _graph_of(model)
    if graph is not None:
        layers = list(graph.operations)
        chain = _is_single_chain(model, graph)
        graph_node_ids = {id(node) for node in graph.nodes}
    else:
        layers = list(model.layers)
        chain = True
        graph_node_ids = set()

    if chain:
        default_line_length = 88
        positions = positions or [0.45, 0.80, 1.0]
        header = ["Layer (type)", "Output Shape", "Param #"]
        alignment = ["left", "left", "right"]
    else:
        default_line_length = 108
        positions = positions or [0.3, 0.56, 0.74, 1.0]
        header = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
        alignment = ["left", "left", "right", "left"]
    if show_trainable:
        default_line_length += 12
        positions = [position * 0.90 for position in positions] + [1.0]
        header.append("Trainable")
        alignment.append("center")
    line_length = line_length or min(default_line_length, shutil.get_terminal_size().columns - 4)
    widths = _column_widths(list(positions), line_length)
    columns = [
        rich.table.Column(name, justify=justify, width=width)
        for name, justify, width in zip(header, alignment, widths)
    ]
    table = rich.table.Table(*columns, width=line_length, show_lines=True)

    def fields(layer, prefix):
        class_name = rich.markup.escape(_type_name(layer))
        name = f"{rich.markup.escape(prefix + layer.name)} ([color(33)]{class_name}[/])"
        if not hasattr(layer, "built"):
            params = _number(0)
        elif not layer.built:
            params = f"{_number(0)} (unbuilt)"
        else:
            params = _number(f"{layer.count_params():,}")
        row = [name, format_layer_shape(layer), params]
        if not chain:
            row.append(_connections(layer, graph_node_ids))
        if show_trainable:
            if getattr(layer, "weights", None):
                row.append(_bold("Y", 34) if layer.trainable else _bold("N", 9))
            else:
                row.append(_bold("-"))
        return row

    def rows(layer, level=0):
        prefix = "   " * level + "└ " if level else ""
        result = [fields(layer, prefix)]
        nested = getattr(layer, "layers", None) if expand_nested else None
        for sublayer in nested or []:
            result.extend(rows(sublayer, level + 1))
        return result

    start, stop = get_layer_index_bound_by_layer_name(layers, layer_range)
    for layer in layers[start:stop]:
        for row in rows(layer):
            table.add_row(*row)

    if print_fn:
        console = rich.console.Console(highlight=False, force_terminal=False, color_system=None)
        console.begin_capture()
    else:
        console = rich.console.Console(highlight=False)
    console.print(_bold(f'Model: "{rich.markup.escape(model.name)}"'))
    console.print(table)
    for label, count, size in _totals(model):
        console.print(_bold(f" {label}: ") + _number(f"{count:,}") + f" ({readable_memory_size(size)})")
    if print_fn:
        print_fn(console.end_capture())
