"""`Layer`: the base class of every layer and model.

A layer owns variables and sublayers, builds itself on its first call (when
input shapes are known), and runs `call` eagerly on tensors or symbolically
on `KerasTensor`s (which records a graph node for Functional models). On the
torch backend every layer is also a `torch.nn.Module`.
"""

import contextlib

import numpy as np
import optree

from lamina import dtype_policies
from lamina.backend import current
from lamina.backend.common import masking
from lamina.backend.common import scopes
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.backend.common.keras_tensor import any_symbolic_tensors
from lamina.backend.common.variable import Variable as BaseVariable
from lamina.layers import call_context
from lamina.layers import layer_call_helpers
from lamina.layers import shape_utils
from lamina.layers import tracking
from lamina.layers.layer_build import LayerBuildMixin
from lamina.layers.layer_config import LayerConfigMixin
from lamina.layers.layer_losses import LayerLossesMixin
from lamina.layers.layer_state_saving import LayerStateSavingMixin
from lamina.layers.layer_weights import LayerWeightsMixin
from lamina.ops.node import Node
from lamina.ops.operation import Operation

BackendLayer = current.layer.BackendLayer
_LEGACY_KWARGS = ("input_shape", "input_dim", "batch_input_shape", "batch_size", "input_dtype")


class Layer(
    BackendLayer,
    LayerBuildMixin,
    LayerLossesMixin,
    LayerWeightsMixin,
    LayerStateSavingMixin,
    LayerConfigMixin,
    Operation,
):
    """The base class of all layers.

    Subclass it to write your own: create state in `__init__` or `build`
    (with `add_weight`), compute in `call`.

    Args:
        activity_regularizer: Optional regularizer applied to the outputs.
        trainable: Whether the layer's variables are trained.
        dtype: A dtype or dtype policy name (default: the global policy).
        autocast: Whether float inputs are cast to the compute dtype.
        name: The layer's name (default: the snake-cased class name, unique).

    Call arguments:
        inputs: Tensors, or KerasTensors when building a Functional model.
        training: Whether to run in training mode (dropout, batch statistics).
            Propagates from an outer layer when omitted.
        mask: Optional mask, filled from the inputs when omitted.

    Example:

    >>> import lamina
    >>> class Scale(lamina.layers.Layer):
    ...     def build(self, input_shape):
    ...         self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones")
    ...     def call(self, inputs):
    ...         return inputs * self.scale
    >>> layer = Scale()
    >>> layer(lamina.ops.ones((2, 3))).shape
    (2, 3)
    >>> [w.shape for w in layer.weights]
    [(3,)]
    """

    def __new__(cls, *args, **kwargs):
        instance = super().__new__(cls)
        object.__setattr__(instance, "_constructor_arguments", (args, dict(kwargs)))
        return instance

    def __init__(
        self,
        *,
        activity_regularizer=None,
        trainable=True,
        dtype=None,
        autocast=True,
        name=None,
        **kwargs,
    ):
        BackendLayer.__init__(self)
        self._tracking_ready = False
        Operation.__init__(self, name=name)
        unknown = sorted(set(kwargs) - set(_LEGACY_KWARGS))
        if unknown:
            raise TypeError(
                f"{self.__class__.__name__}.__init__() got unexpected keyword "
                f"argument(s) {unknown}. Layers accept activity_regularizer, "
                "trainable, dtype, autocast and name besides their own arguments."
            )
        self._batch_input_shape = shape_utils.legacy_batch_shape(kwargs)
        self._legacy_input_dtype = kwargs.get("input_dtype")
        from lamina import regularizers

        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.dtype_policy = dtype_policies.get(dtype)
        self.autocast = autocast
        self.built = False
        self.input_spec = None
        self.supports_masking = type(self).compute_mask is not Layer.compute_mask
        self._trainable = bool(trainable)
        self._trainable_variables = []
        self._non_trainable_variables = []
        self._layers = []
        self._seed_generators = []
        self._losses = []
        self._build_shapes_dict = None
        self._scope_on_call = True
        self._tracking_ready = True

    # -- tracking ---------------------------------------------------------------------

    def __setattr__(self, name, value):
        layer_call_helpers.note_layer_change()
        if name != "_losses":
            layer_call_helpers.note_own_change(self)
        if getattr(self, "_tracking_ready", False) and not name.startswith("__"):
            value = tracking.wrap(value, self)
            self._track(value, attribute_name=name)
        super().__setattr__(name, value)

    def _track(self, value, attribute_name=None):
        if not getattr(self, "_tracking_ready", False):
            return
        layer_call_helpers.note_layer_change()
        if isinstance(value, Layer):
            if value is not self and not any(value is layer for layer in self._layers):
                self._layers.append(value)
                self._register_sublayer(value, attribute_name)
        elif isinstance(value, BaseVariable):
            if not any(value is v for v in self._trainable_variables + self._non_trainable_variables):
                own = self._trainable_variables if value.trainable else self._non_trainable_variables
                own.append(value)
                self._register_variable(value)
        elif getattr(value, "_lamina_seed_generator", False):
            if not any(value is g for g in self._seed_generators):
                self._seed_generators.append(value)
                self._register_variable(value.state)

    # -- state creation ---------------------------------------------------------------

    def add_weight(
        self,
        shape=None,
        initializer=None,
        dtype=None,
        trainable=True,
        autocast=True,
        regularizer=None,
        constraint=None,
        aggregation="none",
        overwrite_with_gradient=False,
        name=None,
    ):
        """Creates a variable owned by this layer.

        Args:
            shape: Tuple of ints (default `()`).
            initializer: Initializer object or name (default `"glorot_uniform"`
                for floats, `"zeros"` otherwise).
            dtype: Dtype (default: the layer's variable dtype).
            trainable: Whether gradients update it.
            autocast: Whether it is cast to the compute dtype on read.
            regularizer: Optional regularizer object or name.
            constraint: Optional constraint object or name.
            aggregation: How replicas combine it.
            overwrite_with_gradient: Whether the optimizer overwrites it with its gradient.
            name: The variable's name.

        Returns:
            The new `Variable`.
        """
        from lamina import constraints
        from lamina import initializers
        from lamina import regularizers
        from lamina.backend.common import dtypes

        shape = () if shape is None else tuple(shape)
        dtype = dtypes.standardize_dtype(dtype or self.dtype_policy.variable_dtype)
        if initializer is None:
            initializer = "glorot_uniform" if dtypes.is_float(dtype) else "zeros"
        initializer = initializers.get(initializer)
        with scopes.NameScope(self.name) if not self._in_own_scope() else contextlib.nullcontext():
            variable = current.core.Variable(
                initializer=initializer,
                shape=shape,
                dtype=dtype,
                trainable=trainable,
                autocast=autocast,
                aggregation=aggregation,
                name=name,
            )
        variable.regularizer = regularizers.get(regularizer)
        variable.constraint = constraints.get(constraint)
        variable.overwrite_with_gradient = overwrite_with_gradient
        self._track(variable)
        return variable

    add_variable = add_weight

    @property
    def dtype(self):
        """The dtype of the layer's weights (its policy's variable dtype)."""
        return self.dtype_policy.variable_dtype

    @property
    def compute_dtype(self):
        """The dtype the layer computes in (its policy's compute dtype, e.g. float16 under mixed_float16)."""
        return self.dtype_policy.compute_dtype

    @property
    def variable_dtype(self):
        """The dtype of the layer's weights (same as `dtype`)."""
        return self.dtype_policy.variable_dtype

    def _in_own_scope(self):
        stack = scopes._stack("name_scopes")
        return bool(stack) and stack[-1] == self.name

    # -- calling ----------------------------------------------------------------------

    def __call__(self, *args, **kwargs):
        # The eager path runs once per layer per step on the torch backend: every
        # lookup here is paid by each training step, so the checks stay flat and cheap.
        call_kwargs = kwargs
        kwargs = dict(kwargs)
        if args:
            args = (self._convert_inputs(args[0]),) + args[1:]
        signature = layer_call_helpers.call_signature(type(self))
        contexts = call_context.call_contexts()
        outer_context = contexts[-1] if contexts else None
        if outer_context is None:
            self._clear_losses()
        self._maybe_build(args, kwargs)
        if args and self.input_spec is not None:
            self._check_input_spec(args[0])
        training = kwargs.get("training")
        if training is None:
            if outer_context is not None and outer_context.training is not None:
                training = outer_context.training
            elif signature["training_default"] is not None:
                training = signature["training_default"]
            else:
                training = False
        if signature["has_training"]:
            kwargs["training"] = training
        elif "training" in kwargs:
            del kwargs["training"]
        mask = None
        if signature["has_mask"] and args:
            mask = kwargs.get("mask")
            if mask is None:
                mask = layer_call_helpers.first_mask(args[0])
                if mask is not None:
                    kwargs["mask"] = mask
        symbolic = any_symbolic_tensors(args, kwargs)
        policy = self.dtype_policy
        cast_to = (
            policy.compute_dtype if self.autocast and policy.compute_dtype != policy.variable_dtype else None
        )
        autocast = scopes.AutocastScope(cast_to) if cast_to or scopes.autocast_active() else None
        if autocast is not None:
            autocast.__enter__()
        contexts.append(call_context.CallContext(training))
        try:
            if symbolic:
                outputs = self._symbolic_call(args, kwargs, call_kwargs)
            elif self._scope_on_call:
                with scopes.NameScope(self.name):
                    outputs = self.call(*args, **kwargs)
                self._scope_on_call = False
            else:
                outputs = self.call(*args, **kwargs)
        finally:
            contexts.pop()
            if autocast is not None:
                autocast.__exit__(None, None, None)
        if self.activity_regularizer is not None and not symbolic:
            self._add_activity_loss(outputs)
        if self.supports_masking and args:
            input_mask = mask if mask is not None else layer_call_helpers.first_mask(args[0])
            output_mask = self.compute_mask(args[0], input_mask)
            if output_mask is not None:
                for output in optree.tree_leaves(outputs):
                    masking.set_keras_mask(output, output_mask)
        return outputs

    def _symbolic_call(self, args, kwargs, call_kwargs):
        if scopes.in_symbolic_scope():
            return self.compute_output_spec(*args, **kwargs)
        with scopes.NameScope(self.name):
            outputs = self.compute_output_spec(*args, **kwargs)
        outputs = _fresh_outputs(outputs, (args, kwargs))
        # The node keeps the caller's own kwargs: `training` must stay free so
        # that running the graph later takes the training mode of that call.
        Node(self, call_args=args, call_kwargs=call_kwargs, outputs=outputs)
        return outputs

    def _convert_inputs(self, inputs):
        compute_dtype = self.dtype_policy.compute_dtype if self.autocast else None
        if isinstance(inputs, (list, tuple, dict)):
            return optree.tree_map(lambda x: _convert_input(x, compute_dtype), inputs, none_is_leaf=True)
        return _convert_input(inputs, compute_dtype)

    def _check_input_spec(self, inputs):
        layer_call_helpers.check_input_spec(self, inputs)

    def call(self, *args, **kwargs):
        """The layer's computation. Override it."""
        raise NotImplementedError(
            f"Layer {self.__class__.__name__} does not implement call(). Subclasses "
            "of Layer must define call(self, inputs)."
        )

    def compute_output_spec(self, *args, **kwargs):
        if type(self).compute_output_shape is not Layer.compute_output_shape and args:
            output_shape = self.compute_output_shape(shape_utils.shape_tree(args[0]))
            return shape_utils.specs_from_shapes(output_shape, self.dtype_policy.compute_dtype)
        with scopes.SymbolicScope():
            return self.call(*args, **kwargs)

    def compute_output_shape(self, input_shape):
        """Returns the output shape for `input_shape` (traced from `call` unless overridden).

        Example:

        >>> import lamina
        >>> lamina.layers.Dense(4).compute_output_shape((None, 3))
        (None, 4)
        """
        inputs = shape_utils.specs_from_shapes(input_shape, self.dtype_policy.compute_dtype)
        if not self.built:
            self._maybe_build((inputs,), {})
        with scopes.SymbolicScope():
            outputs = self.call(inputs)
        return optree.tree_map(lambda t: t.shape, outputs)

    def compute_mask(self, inputs, previous_mask):
        """Returns the output mask (default: none). Layers that support masking override it."""
        return None

    def stateless_call(
        self, trainable_variables, non_trainable_variables, *args, return_losses=False, **kwargs
    ):
        """Calls the layer as a pure function of the given variable values.

        Args:
            trainable_variables: Values for `layer.trainable_variables`, in order.
            non_trainable_variables: Values for `layer.non_trainable_variables`.
            *args: Call arguments.
            return_losses: Whether to also return the losses added during the call.
            **kwargs: Call keyword arguments.

        Returns:
            `(outputs, new_non_trainable_values)`, plus the losses if asked.

        Example:

        >>> import lamina
        >>> layer = lamina.layers.Dense(2)
        >>> layer.build((None, 3))
        >>> values = [lamina.ops.zeros(v.shape) for v in layer.trainable_variables]
        >>> outputs, _ = layer.stateless_call(values, [], lamina.ops.ones((1, 3)))
        >>> lamina.ops.convert_to_numpy(outputs).tolist()
        [[0.0, 0.0]]
        """
        if not self.built:
            raise ValueError(
                f"{self._describe()} must be built before stateless_call(). Call "
                "layer.build(input_shape) or call the layer once."
            )
        trainable = self.trainable_variables
        non_trainable = self.non_trainable_variables
        if len(trainable_variables) != len(trainable) or len(non_trainable_variables) != len(non_trainable):
            raise ValueError(
                f"stateless_call on {self._describe()} expects {len(trainable)} "
                f"trainable and {len(non_trainable)} non-trainable values. Received "
                f"{len(trainable_variables)} and {len(non_trainable_variables)}."
            )
        mapping = list(zip(trainable, trainable_variables)) + list(
            zip(non_trainable, non_trainable_variables)
        )
        with scopes.StatelessScope(state_mapping=mapping, collect_losses=return_losses) as scope:
            outputs = self(*args, **kwargs)
            new_non_trainable = [scope.get_current_value(v) for v in non_trainable]
            losses = list(scope.losses) + (self._regularization_losses() if return_losses else [])
        if return_losses:
            return outputs, new_non_trainable, losses
        return outputs, new_non_trainable

    # -- description ------------------------------------------------------------------

    def _describe(self):
        return f"{self.__class__.__name__} layer '{self.name}'"

    def _input_fix_hint(self, axis, expected, received):
        return ""

    @property
    def input(self):
        """The symbolic input of the layer's first call in a Functional graph."""
        return self._first_node("input").call_args[0]

    @property
    def output(self):
        """The symbolic output of the layer's first call in a Functional graph."""
        node = self._first_node("output")
        return node.outputs[0] if len(node.outputs) == 1 else node.outputs

    def _first_node(self, what):
        if not self._inbound_nodes:
            raise AttributeError(
                f"{self._describe()} has never been called on symbolic inputs, so it has no {what}."
            )
        return self._inbound_nodes[0]

    def __repr__(self):
        return f"<{self.__class__.__name__} name={self.name}, built={self.built}>"

    __hash__ = object.__hash__


def _convert_input(x, compute_dtype):
    """One call input as a backend tensor: float tensors cast to `compute_dtype` (when autocasting)."""
    if x is None or isinstance(x, KerasTensor):
        return x
    if isinstance(x, BaseVariable):
        x = x.value
    if current.core.is_tensor(x):
        if compute_dtype:
            dtype = layer_call_helpers.dtype_name(x.dtype)
            if dtype != compute_dtype and dtype.startswith(("float", "bfloat")):
                return current.core.cast(x, compute_dtype)
        return x
    if isinstance(x, (np.ndarray, np.generic, list, float, int)) and not isinstance(x, bool):
        array = np.asarray(x)
        if array.dtype.kind == "f" and compute_dtype:
            return current.core.convert_to_tensor(array, dtype=compute_dtype)
        if array.dtype.kind in "iub":
            return current.core.convert_to_tensor(array)
    return x


def _fresh_outputs(outputs, inputs):
    """Fresh KerasTensors for outputs that are inputs (a layer returning its input): no graph cycle."""
    input_ids = {
        id(tensor)
        for tensor in optree.tree_leaves(inputs, none_is_leaf=False)
        if isinstance(tensor, KerasTensor)
    }
    if not input_ids:
        return outputs

    def fresh(tensor):
        if not isinstance(tensor, KerasTensor) or id(tensor) not in input_ids:
            return tensor
        copy = KerasTensor(tensor.shape, dtype=tensor.dtype, sparse=tensor.sparse)
        mask = masking.get_keras_mask(tensor)
        if mask is not None:
            masking.set_keras_mask(copy, mask)
        return copy

    return optree.tree_map(fresh, outputs, none_is_leaf=False)
