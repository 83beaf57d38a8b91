"""A compiled call path for built Functional and Sequential models on concrete JAX arrays.

Eager JAX dispatches every op separately, so `model(x)` on a small network costs
several times a jitted function of the same network. `CompiledCall` runs the
model's ordinary eager call once under `jax.jit`, as a pure function of the
variable values (read fresh from the Variables on every call, so assignments are
seen), and then reuses the compiled function for that input signature.

It only takes inference calls (`training` falsy) made outside any trace,
`StatelessScope`, autocast scope or outer layer call (the model checks that
one), on inputs without Keras masks, and only once a signature has been called
eagerly `EAGER_CALLS_BEFORE_COMPILE` times (a one-off call is not worth a
compilation; a one-batch `predict`, which compiles anyway, compiles at once and
leaves the compiled function to later calls of the same signature). Whatever the call does besides
computing its outputs is replayed on the concrete results: variables it assigns
are written back, the losses it adds become `layer.losses` as after an eager
call, the masks it sets on its outputs are set on the returned arrays. A model
whose call cannot be traced (a Python branch on a tensor value) or reads a
variable it does not own falls back to the eager path for good. A call like the
last one, on a NumPy array, with nothing to replay, skips the bookkeeping (see
`_RepeatCall`).
"""

import weakref

import jax
import numpy as np
import optree

from lamina.backend.common import masking
from lamina.backend.common import scopes
from lamina.layers import layer_call_helpers

EAGER_CALLS_BEFORE_COMPILE = 2
MAX_SIGNATURES = 16
NOT_HANDLED = object()

_TRACE_ERRORS = (jax.errors.JAXTypeError, jax.errors.UnexpectedTracerError)


class _RecordingValues(dict):
    """The value table of a StatelessScope that remembers lookups of unmapped variables."""

    def __init__(self, values):
        super().__init__(values)
        self.misses = set()

    def get(self, key, default=None):
        if key not in self:
            self.misses.add(key)
        return super().get(key, default)


class _Entry:
    """One compiled signature: the jitted function and what its trace recorded."""

    def __init__(self, function, variables):
        self.function = function
        self.variables = variables
        self.num_traces = 0
        self.output_treedef = None
        self.loss_layout = None
        self.assigned = None
        self.reads_foreign_state = False


class CompiledCall:
    """Runs inference calls of one model through `jax.jit` once their signature repeats.

    Models create one on their first call (see `Model.__call__`); calling it
    with `(model, graph, args, kwargs)` returns the outputs, or
    `NOT_HANDLED` when the model's eager call must run instead.

    Example:

    >>> import numpy as np
    >>> import lamina
    >>> model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2)])
    >>> x = lamina.ops.ones((1, 3))
    >>> eager = [np.asarray(model(x)) for _ in range(2)]
    >>> compiled = np.asarray(model(x))
    >>> bool(np.allclose(eager[0], compiled))
    True
    """

    NOT_HANDLED = NOT_HANDLED

    def __init__(self):
        self.disabled = False
        self.graph = None
        self.entries = {}
        self.eager_counts = {}
        self.repeat = None
        self.layer_state = None

    def __call__(self, model, graph, args, kwargs, compile_now=False):
        """Returns the model's outputs, or `NOT_HANDLED` when the eager path must run.

        `compile_now` compiles a new signature on its first call (`predict`, which
        compiles anyway) instead of after `EAGER_CALLS_BEFORE_COMPILE` eager calls.
        """
        if self.disabled or len(args) != 1 or not _inference_kwargs(kwargs) or _in_special_scope():
            return NOT_HANDLED
        repeat = self.repeat
        if repeat is not None and graph is self.graph and repeat.takes(args[0]):
            try:
                return repeat.function([variable._value for variable in repeat.variables], [args[0]])[0][0]
            except Exception:
                self.repeat = None
        leaves, treedef = optree.tree_flatten(args[0], none_is_leaf=True)
        numpy_leaves = _numpy_inputs(model, leaves)
        if numpy_leaves is not None:
            # NumPy inputs go to the compiled function as they are: its own transfer is
            # cheaper than converting them to JAX arrays first.
            leaves = numpy_leaves
        else:
            leaves, treedef = optree.tree_flatten(model._convert_inputs(args[0]), none_is_leaf=True)
            for leaf in leaves:
                if not isinstance(leaf, jax.Array) or isinstance(leaf, jax.core.Tracer):
                    return NOT_HANDLED
                if masking.get_keras_mask(leaf) is not None:
                    return NOT_HANDLED
        if graph is not self.graph:
            # A rebuilt graph (Sequential.add / pop) computes something else: start over.
            self.graph = graph
            self.entries.clear()
            self.eager_counts.clear()
            self.repeat = None
        variables, variable_ids, layer_state = self._model_variables(model)
        if layer_state != self.layer_state:
            # A layer was reconfigured since the traces (a new activation): they are stale.
            self.layer_state = layer_state
            self.entries.clear()
            self.repeat = None
        signature = tuple((leaf.shape, leaf.dtype) for leaf in leaves)
        key = (treedef, signature, variable_ids)
        entry = self.entries.get(key)
        if entry is None:
            count = self.eager_counts.get(key, 0)
            eager = count < EAGER_CALLS_BEFORE_COMPILE and not compile_now
            if eager or len(self.entries) >= MAX_SIGNATURES:
                if len(self.eager_counts) > 16 * MAX_SIGNATURES:
                    self.eager_counts.clear()
                self.eager_counts[key] = count + 1
                return NOT_HANDLED
            entry = self.entries[key] = self._compile(model, variables, kwargs, treedef)
        elif entry is False:
            return NOT_HANDLED
        values = [variable._value for variable in variables]
        try:
            outputs, masks, losses, new_values = entry.function(values, leaves)
        except _TRACE_ERRORS:
            self.disabled = True
            return NOT_HANDLED
        except Exception:
            # Let the eager call raise the user-facing error (or succeed) for this signature.
            self.entries[key] = False
            return NOT_HANDLED
        if entry.reads_foreign_state:
            self.disabled = True
            return NOT_HANDLED
        for variable, value in zip(entry.assigned, new_values):
            variable.assign(value)
        _restore_losses(model, entry.loss_layout, losses)
        for output, mask in zip(outputs, masks):
            if mask is not None:
                masking.set_keras_mask(output, mask)
        if numpy_leaves is not None and leaves[0] is args[0]:
            self.repeat = _RepeatCall.of(entry, args[0], variables, masks)
        return optree.tree_unflatten(entry.output_treedef, outputs)

    def _model_variables(self, model):
        """`(variables, their ids, the layers' own change counts)`, walked again only after a layer change."""
        return layer_call_helpers.until_layer_change(self, "_variables", lambda: _model_state(model))

    def _compile(self, model, variables, kwargs, input_treedef):
        # Weakly: the compiled function must not keep the model alive.
        model_reference = weakref.ref(model)
        call_kwargs = dict(kwargs)

        def pure(values, leaves):
            entry.num_traces += 1
            inputs = optree.tree_unflatten(input_treedef, leaves)
            scope = scopes.StatelessScope(list(zip(variables, values)))
            scope._values = _RecordingValues(scope._values)
            model = model_reference()
            layers = model._flatten_layers()
            try:
                with scope:
                    outputs = model._eager_call(inputs, **call_kwargs)
                output_leaves, entry.output_treedef = optree.tree_flatten(outputs, none_is_leaf=True)
                masks = [masking.get_keras_mask(leaf) for leaf in output_leaves]
                # Layer positions, not layers: the compiled entry must not hold the model.
                entry.loss_layout = [
                    (index, len(layer._losses)) for index, layer in enumerate(layers) if layer._losses
                ]
                losses = [loss for layer in layers for loss in layer._losses]
            finally:
                # Traced values must not outlive the trace on the layers.
                for layer in layers:
                    if layer._losses:
                        layer._losses = []
            entry.assigned = list(scope._assigned.values())
            entry.reads_foreign_state = bool(scope._values.misses)
            new_values = [scope.get_current_value(variable) for variable in entry.assigned]
            return output_leaves, masks, losses, new_values

        entry = _Entry(jax.jit(pure), variables)
        return entry


class _RepeatCall:
    """The shortcut for calls like the last one: one NumPy array in, one array out, nothing to replay.

    A model called again and again on one sample (`predict(x[:1])` in a loop) spends
    most of a call in the bookkeeping around the jitted function. When the last call
    took a single NumPy array, returned a single output without a mask and recorded no
    losses and no variable writes, a call with an array of the same shape and dtype and
    no layer change since (so the same variables, graph and dtype policy) goes straight
    to the same jitted function.
    """

    __slots__ = ("changes", "shape", "dtype", "function", "variables")

    @classmethod
    def of(cls, entry, array, variables, masks):
        """The shortcut for `entry` called on `array`, or None when the call has more to replay."""
        replays = entry.loss_layout or entry.assigned or entry.reads_foreign_state
        if replays or not entry.output_treedef.is_leaf() or masks[0] is not None:
            return None
        repeat = cls()
        repeat.changes = layer_call_helpers.layer_changes()
        repeat.shape = array.shape
        repeat.dtype = array.dtype
        repeat.function = entry.function
        repeat.variables = variables
        return repeat

    def takes(self, x):
        """Whether `x` can go straight to the jitted function."""
        return (
            type(x) is np.ndarray
            and x.shape == self.shape
            and x.dtype is self.dtype
            and self.changes == layer_call_helpers.layer_changes()
        )


def _model_state(model):
    variables = model.variables
    layers = model._flatten_layers(include_self=False)
    layer_state = tuple(layer_call_helpers.own_changes(layer) for layer in layers)
    return variables, tuple(map(id, variables)), layer_state


def _restore_losses(model, loss_layout, losses):
    model._clear_losses()
    if not loss_layout:
        return
    layers = model._flatten_layers()
    start = 0
    for index, count in loss_layout:
        layers[index]._losses = list(losses[start : start + count])
        start += count


def _numpy_inputs(model, leaves):
    """The NumPy leaves as the model's eager call would convert them, or None when not all NumPy.

    Floats become float32 (the only compute dtype handled here), integers and bools
    stay as they are (the compiled call narrows 64-bit integers as `jnp.asarray` does).
    """
    if not leaves or (model.autocast and model.dtype_policy.compute_dtype != "float32"):
        return None
    converted = []
    for leaf in leaves:
        if type(leaf) is not np.ndarray:
            return None
        kind = leaf.dtype.kind
        if kind == "f":
            leaf = leaf if leaf.dtype == np.float32 else leaf.astype(np.float32)
        elif kind not in "iub":
            return None
        converted.append(leaf)
    return converted


def _inference_kwargs(kwargs):
    for name, value in kwargs.items():
        if name != "training" or value:
            return False
    return True


def _in_special_scope():
    return scopes.in_stateless_scope() or scopes.in_symbolic_scope() or scopes.autocast_active()
