"""`Model`: a Layer that can be trained (`compile`, `fit`, `evaluate`, `predict`).

`Model(inputs, outputs)` builds a Functional model; subclassing `Model` and
defining `call` gives a subclassed model.
"""

import weakref

from lamina import config
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers import call_context
from lamina.layers.layer import Layer
from lamina.models import direct_model_call
from lamina.models.model_saving import ModelSavingMixin
from lamina.trainers.trainer import Trainer

# JAX only (eager torch has no compile step to gain from). Per model, weakly: a model
# that is garbage-collected takes its compiled calls with it.
_COMPILED_CALLS = weakref.WeakKeyDictionary() if config.backend() == "jax" else None


class Model(ModelSavingMixin, Trainer, Layer):
    """A model: layers plus training and inference.

    There are three ways to make one:

    1. Functional: `lamina.Model(inputs, outputs)` from `lamina.Input` tensors.
    2. Subclassing: define layers in `__init__` and the forward pass in `call`.
    3. `lamina.Sequential([...])` for a plain stack of layers.

    Args:
        inputs: (Functional) input KerasTensor(s): a tensor, list or dict.
        outputs: (Functional) output KerasTensor(s): a tensor, list or dict.
        name: The model's name.
        trainable: Whether the model's weights train.

    Example:

    >>> import lamina
    >>> inputs = lamina.Input(shape=(3,))
    >>> outputs = lamina.layers.Dense(2)(inputs)
    >>> model = lamina.Model(inputs, outputs)
    >>> model.predict(lamina.ops.ones((4, 3)), verbose=0).shape
    (4, 2)

    >>> class TwoLayers(lamina.Model):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.hidden = lamina.layers.Dense(8, activation="relu")
    ...         self.head = lamina.layers.Dense(1)
    ...     def call(self, inputs):
    ...         return self.head(self.hidden(inputs))
    >>> TwoLayers()(lamina.ops.ones((2, 3))).shape
    (2, 1)
    """

    def __new__(cls, *args, **kwargs):
        if cls is Model and _is_functional_call(args, kwargs):
            from lamina.models.functional import Functional

            return Functional.__new__(Functional, *args, **kwargs)
        return super().__new__(cls, *args, **kwargs)

    def __init__(self, *args, **kwargs):
        if type(self) is not Model and _is_functional_call(args, kwargs):
            # Keras lets a Model subclass be built like a Functional model (the fit()
            # guides' `CustomModel(inputs, outputs)`): the subclass then inherits Functional.
            from lamina.models.functional import Functional

            _inject_functional_base(type(self), Functional)
            Functional.__init__(self, *args, **kwargs)
            return
        if args or "inputs" in kwargs or "outputs" in kwargs:
            raise TypeError(
                f"{self.__class__.__name__}.__init__() got positional or inputs/outputs "
                "arguments. A subclassed Model takes only name, trainable and dtype; "
                "build a Functional model with lamina.Model(inputs, outputs)."
            )
        Trainer.__init__(self)
        Layer.__init__(self, **kwargs)

    def build(self, input_shape=None):
        """Creates the model's weights by tracing `call` on symbolic inputs of `input_shape`."""
        if input_shape is None:
            raise ValueError(
                f"{self._describe()}: build() needs an input_shape, e.g. model.build((None, 16))."
            )
        from lamina.layers import shape_utils

        inputs = shape_utils.specs_from_shapes(input_shape, self.dtype_policy.compute_dtype)
        self.compute_output_spec(inputs)

    @property
    def layers(self):
        """The model's layers (sublayers tracked as attributes, for a subclassed model)."""
        return list(self._layers)

    def get_layer(self, name=None, index=None):
        """Returns a layer by name or by index in `model.layers`.

        Args:
            name: The layer's name.
            index: The layer's position in `model.layers`.
        """
        if index is not None and name is not None:
            raise ValueError("get_layer takes name or index, not both.")
        if index is not None:
            if not -len(self.layers) <= index < len(self.layers):
                raise ValueError(
                    f"get_layer: index {index} is out of range; the model has {len(self.layers)} layers."
                )
            return self.layers[index]
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise ValueError(
            f"No such layer: '{name}'. Existing layers are: {[layer.name for layer in self.layers]}."
        )

    def summary(
        self,
        line_length=None,
        positions=None,
        print_fn=None,
        expand_nested=False,
        show_trainable=False,
        layer_range=None,
    ):
        """Prints a table of the model's layers, output shapes and parameter counts.

        Args:
            line_length: Total width of the table.
            positions: Relative or absolute column positions.
            print_fn: Function called with the text (default: `print`).
            expand_nested: Whether to expand nested models.
            show_trainable: Whether to add a "Trainable" column.
            layer_range: `[first_name, last_name]` to print a slice of the layers.
        """
        from lamina.utils import summary_utils

        summary_utils.print_summary(
            self,
            line_length=line_length,
            positions=positions,
            print_fn=print_fn,
            expand_nested=expand_nested,
            show_trainable=show_trainable,
            layer_range=layer_range,
        )

    def _describe(self):
        return f"{self.__class__.__name__} model '{self.name}'"

    def __call__(self, *args, **kwargs):
        if _COMPILED_CALLS is not None:
            graph = self._compiled_call_graph() if call_context.current_call_context() is None else None
            if graph is not None:
                runner = self._compiled_call_runner()
                outputs = runner(self, graph, args, kwargs)
                if outputs is not runner.NOT_HANDLED:
                    return outputs
            return super().__call__(*args, **kwargs)
        # Eager backends: a call like one recorded before skips the per-call work.
        outputs = direct_model_call.run(self, args, kwargs)
        if outputs is direct_model_call.NOT_HANDLED:
            outputs = super().__call__(*args, **kwargs)
            direct_model_call.record(self, args, kwargs, outputs)
        return outputs

    def _compiled_call_runner(self):
        """This model's `CompiledCall` (JAX), made on first use; None on backends without one."""
        if _COMPILED_CALLS is None:
            return None
        runner = _COMPILED_CALLS.get(self)
        if runner is None:
            from lamina.backend.jax._compiled_call import CompiledCall

            runner = _COMPILED_CALLS[self] = CompiledCall()
        return runner

    def _eager_call(self, *args, **kwargs):
        """The ordinary (uncompiled) call: what a compiled call traces."""
        return super().__call__(*args, **kwargs)

    def _compiled_call_graph(self):
        """The graph a compiled call of the model runs, or None when calls stay eager.

        Subclassed models run eagerly; Functional and Sequential models whose
        `call` is not overridden return their `Graph` (a new graph compiles anew).
        """
        return None


def _inject_functional_base(cls, functional_class):
    """Rebases a Model subclass (and its Model-derived parents) on Functional."""
    if cls is Model:
        return functional_class
    if cls is object or issubclass(cls, functional_class) or not issubclass(cls, Model):
        return cls
    cls.__bases__ = tuple(_inject_functional_base(base, functional_class) for base in cls.__bases__)
    return cls


def _is_functional_call(args, kwargs):
    if "inputs" in kwargs and "outputs" in kwargs:
        return True
    if len(args) >= 2:
        return _holds_keras_tensors(args[0]) and _holds_keras_tensors(args[1])
    if len(args) == 1 and "outputs" in kwargs:
        return True
    return False


def _holds_keras_tensors(value):
    if isinstance(value, KerasTensor):
        return True
    if isinstance(value, (list, tuple)):
        return bool(value) and all(_holds_keras_tensors(item) for item in value)
    if isinstance(value, dict):
        return bool(value) and all(_holds_keras_tensors(item) for item in value.values())
    return False
