"""Control flow as Python loops, for the eager backends (torch, numpy)."""

import optree


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    is_sequence = isinstance(loop_vars, (list, tuple))
    state = tuple(loop_vars) if is_sequence else (loop_vars,)
    count = 0
    while (maximum_iterations is None or count < maximum_iterations) and bool(cond(*state)):
        result = body(*state)
        state = tuple(result) if is_sequence else (result,)
        count += 1
    return type(loop_vars)(state) if is_sequence else state[0]


def fori_loop(lower, upper, body_fun, init_val):
    value = init_val
    for index in range(int(lower), int(upper)):
        value = body_fun(index, value)
    return value


def cond(pred, true_fn, false_fn):
    return true_fn() if bool(pred) else false_fn()


def scan(f, init, xs, length, reverse, stack):
    """Runs `carry, y = f(carry, x)` over the leading axis of `xs`; stacks the ys with `stack`."""
    if xs is None:
        if length is None:
            raise ValueError("scan needs xs or length. Received: xs=None, length=None")
        leaves, treedef = [], None
        steps = int(length)
    else:
        leaves, treedef = optree.tree_flatten(xs)
        steps = int(leaves[0].shape[0])
    order = range(steps - 1, -1, -1) if reverse else range(steps)
    carry = init
    outputs = []
    for index in order:
        x = None
        if treedef is not None:
            x = optree.tree_unflatten(treedef, [leaf[index] for leaf in leaves])
        carry, y = f(carry, x)
        outputs.append(y)
    if reverse:
        outputs.reverse()
    if not outputs or outputs[0] is None:
        return carry, None
    return carry, optree.tree_map(lambda *items: stack(items), *outputs)
