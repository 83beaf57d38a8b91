"""Whether the JAX step runner runs a group of steps in one compiled call.

With `steps_per_execution=1` (the default) and no callback that watches
every batch, `fit`, `evaluate` and `predict` hand the runner groups of
`AUTO_STEPS_PER_CALL` steps. The runner runs such a group in one `lax.scan`
when the step has no convolution, and one step per call otherwise: XLA on the
CPU runs convolutions inside a loop body many times slower than at top level
(the benchmark CNN: 3.4 s an epoch at one step per call, 43 s at four), while
steps without convolutions lose their per-call dispatch (the benchmark MLP:
0.070 s -> 0.042 s an epoch; the transformer 0.66 s -> 0.60 s). A group
shorter than `AUTO_STEPS_PER_CALL` (an epoch's last) runs one step per call,
so no other scan length is compiled. A `steps_per_execution` the user sets is
always run as one scan.
"""

import jax

AUTO_STEPS_PER_CALL = 8

_SLOW_IN_A_LOOP = frozenset({"conv_general_dilated"})


def _sub_jaxprs(value):
    # Duck-typed: a Jaxpr has `eqns`, a ClosedJaxpr wraps one in `jaxpr`.
    if hasattr(value, "eqns"):
        yield value
    elif hasattr(getattr(value, "jaxpr", None), "eqns"):
        yield value.jaxpr
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _sub_jaxprs(item)


def _uses(jaxpr, primitive_names):
    for equation in jaxpr.eqns:
        if equation.primitive.name in primitive_names:
            return True
        for value in equation.params.values():
            if any(_uses(sub, primitive_names) for sub in _sub_jaxprs(value)):
                return True
    return False


def runs_well_in_a_loop(jitted, *arguments):
    """Whether the step `jitted(*arguments)` (a `jax.jit` function) belongs in a `lax.scan`.

    Traces `jitted` for `arguments` (the trace is cached: the next call reuses it)
    and looks for a primitive that runs slowly inside a loop body.
    """
    if hasattr(jitted, "trace"):
        jaxpr = jitted.trace(*arguments).jaxpr
    else:  # jax before `Traced` stages: a separate trace
        jaxpr = jax.make_jaxpr(jitted)(*arguments)
    return not _uses(jaxpr.jaxpr, _SLOW_IN_A_LOOP)
