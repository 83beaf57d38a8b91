"""`Operation`: anything that can be called on tensors and on symbolic tensors.

Layers and ops are Operations. Called on concrete tensors, an Operation runs
`call`. Called on `KerasTensor`s, it runs `compute_output_spec` (a shape and
dtype rule, no data) and records a `Node`, which is how Functional models
are built.
"""

from lamina.backend.common import naming
from lamina.backend.common.keras_tensor import any_symbolic_tensors
from lamina.ops.node import Node


class Operation:
    """Base class of layers and ops.

    Args:
        name: The operation's name; defaults to the snake-cased class name,
            made unique (`add`, `add_1`, ...).
    """

    def __init__(self, name=None):
        if name is None:
            name = naming.auto_name(self.__class__.__name__)
        self.name = naming.validate_name(name, self.__class__.__name__)
        self._inbound_nodes = []
        self._outbound_nodes = []

    def __call__(self, *args, **kwargs):
        if any_symbolic_tensors(args, kwargs):
            return self.symbolic_call(*args, **kwargs)
        return self.call(*args, **kwargs)

    def symbolic_call(self, *args, **kwargs):
        outputs = self.compute_output_spec(*args, **kwargs)
        Node(self, call_args=args, call_kwargs=kwargs, outputs=outputs)
        return outputs

    def call(self, *args, **kwargs):
        raise NotImplementedError(f"{self.__class__.__name__} must implement call().")

    def compute_output_spec(self, *args, **kwargs):
        raise NotImplementedError(f"{self.__class__.__name__} must implement compute_output_spec().")

    def get_config(self):
        return {"name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{self.__class__.__name__} name={self.name}>"


class FunctionOperation(Operation):
    """An op function called on symbolic tensors: `call` is the function, the spec its shape rule."""

    def __init__(self, function, shape_rule):
        super().__init__(name=naming.uniquify(function.__name__))
        self.function = function
        self.shape_rule = shape_rule

    def call(self, *args, **kwargs):
        return self.function(*args, **kwargs)

    def compute_output_spec(self, *args, **kwargs):
        return self.shape_rule(*args, **kwargs)
