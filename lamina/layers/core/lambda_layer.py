"""`Lambda`: wraps an arbitrary expression as a layer."""

import base64
import inspect
import marshal
import types

from lamina import activations
from lamina import ops
from lamina.backend.common import scopes
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.layers import shape_utils
from lamina.layers.layer import Layer
from lamina.saving import loading_scopes
from lamina.saving import serialization


def _is_python_lambda(function):
    return isinstance(function, types.LambdaType) and function.__name__ == "<lambda>"


def _dump_lambda(function):
    code = base64.b64encode(marshal.dumps(function.__code__)).decode("ascii")
    closure = None
    if function.__closure__:
        closure = tuple(cell.cell_contents for cell in function.__closure__)
    return {
        "class_name": "__lambda__",
        "config": {"code": code, "defaults": function.__defaults__, "closure": closure},
    }


def load_lambda(config):
    """Rebuilds a Python lambda from its `__lambda__` config. Runs code from the config: unsafe."""
    code = marshal.loads(base64.b64decode(config["code"].encode("ascii")))
    closure = config.get("closure")
    if closure is not None:
        closure = tuple(types.CellType(value) for value in closure)
    defaults = config.get("defaults")
    if defaults is not None:
        defaults = tuple(defaults)
    return types.FunctionType(code, globals(), code.co_name, defaults, closure)


def _serialize_function(function):
    if _is_python_lambda(function):
        return _dump_lambda(function)
    if callable(function):
        return serialization.serialize_keras_object(function)
    raise ValueError(f"Lambda layer cannot serialize {function!r} of type {type(function).__name__}.")


def _function_namespace():
    namespace = {name: getattr(ops, name) for name in dir(ops) if not name.startswith("_")}
    namespace.update(
        {name: getattr(activations, name) for name in dir(activations) if not name.startswith("_")}
    )
    return namespace


def _deserialize_function(config, custom_objects, safe_mode, argument):
    if isinstance(config, dict) and config.get("class_name") == "__lambda__":
        with loading_scopes.SafeModeScope(loading_scopes.effective_safe_mode(safe_mode)):
            loading_scopes.refuse_lambda_if_safe(f"the `{argument}` of a `Lambda` layer")
        return load_lambda(config["config"])
    return serialization.deserialize_keras_object(
        config,
        module_objects=_function_namespace(),
        custom_objects=custom_objects,
        printable_module_name="function",
    )


class Lambda(Layer):
    """Wraps an arbitrary expression as a `Layer` object.

    For simple stateless computations in a `Sequential` or functional model.
    Anything with weights belongs in a subclassed `Layer` instead: variables
    created inside `function` are not tracked.

    Serialization follows Keras 3: a named function is saved by name (it
    must be a lamina/Keras function, registered with
    `lamina.saving.register_keras_serializable`, or passed in
    `custom_objects` when loading). A Python `lambda` is saved as marshalled
    bytecode (`"__lambda__"`), which `from_config` refuses to load unless
    called with `safe_mode=False`, since loading runs arbitrary code; the
    bytecode is also specific to the Python version.

    Args:
        function: The function to evaluate, called as
            `function(inputs, **arguments)` (plus `mask` / `training` when
            its signature takes them).
        output_shape: Expected output shape, when it cannot be inferred: a
            shape tuple without the batch axis, or a function of the input
            shape returning the full output shape.
        mask: Either None (no masking), a function `mask(inputs, previous_mask)`
            returning the output mask, or a mask tensor to use as is.
        arguments: Optional dict of keyword arguments passed to `function`.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Example:

    >>> import lamina
    >>> layer = lamina.layers.Lambda(lambda x: x ** 2)
    >>> lamina.ops.convert_to_numpy(layer(lamina.ops.convert_to_tensor([1.0, 3.0]))).tolist()
    [1.0, 9.0]
    """

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise TypeError(
                f"Lambda layer '{self.name}' expects `function` to be callable. Received: "
                f"function={function!r} of type {type(function).__name__}"
            )
        self.function = function
        self.arguments = arguments or {}
        self.mask = mask
        self.supports_masking = mask is not None
        if output_shape is not None and not callable(output_shape):
            output_shape = tuple(output_shape)
        self._output_shape = output_shape
        parameters = _parameters(function)
        self._function_takes_mask = "mask" in parameters
        self._function_takes_training = "training" in parameters
        self.built = True

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if self._function_takes_mask:
            kwargs["mask"] = mask
        if self._function_takes_training:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_mask(self, inputs, previous_mask=None):
        if callable(self.mask):
            return self.mask(inputs, previous_mask)
        return self.mask

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            return super().compute_output_shape(input_shape)
        if callable(self._output_shape):
            return self._output_shape(input_shape)
        first_shape = input_shape
        while not _is_shape(first_shape):
            items = first_shape.values() if isinstance(first_shape, dict) else first_shape
            first_shape = next(iter(items))
        return (first_shape[0],) + self._output_shape

    def compute_output_spec(self, inputs, mask=None, training=None):
        if self._output_shape is None:
            # Tracing keeps the function's own output dtype (e.g. a cast to int).
            with scopes.SymbolicScope():
                return self.call(inputs, mask=mask, training=training)
        output_shape = self.compute_output_shape(shape_utils.shape_tree(inputs))
        return KerasTensor(output_shape, dtype=self.dtype_policy.compute_dtype)

    def get_config(self):
        config = super().get_config()
        config["function"] = _serialize_function(self.function)
        if self._output_shape is not None:
            if callable(self._output_shape):
                config["output_shape"] = _serialize_function(self._output_shape)
            else:
                config["output_shape"] = self._output_shape
        if self.mask is not None:
            if callable(self.mask):
                config["mask"] = _serialize_function(self.mask)
            else:
                config["mask"] = serialization.serialize_keras_object(self.mask)
        config["arguments"] = serialization.serialize_keras_object(self.arguments)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=None):
        """Creates a Lambda from its config; `safe_mode=False` allows Python lambdas (runs their code).

        With `safe_mode=None` the loader's safe mode applies (on by default).
        """
        config = dict(config)
        config["function"] = _deserialize_function(config["function"], custom_objects, safe_mode, "function")
        output_shape = config.get("output_shape")
        if isinstance(output_shape, dict):
            config["output_shape"] = _deserialize_function(
                output_shape, custom_objects, safe_mode, "output_shape"
            )
        elif output_shape is not None:
            config["output_shape"] = tuple(output_shape)
        if isinstance(config.get("mask"), dict) and config["mask"].get("class_name") in (
            "__lambda__",
            "function",
        ):
            config["mask"] = _deserialize_function(config["mask"], custom_objects, safe_mode, "mask")
        return super().from_config(config)


def _is_shape(value):
    return isinstance(value, tuple) and all(dim is None or isinstance(dim, int) for dim in value)


def _parameters(function):
    try:
        return inspect.signature(function).parameters
    except (TypeError, ValueError):
        return {}
