"""How a layer builds: input shapes are gathered from the first call and `build` runs once.

Overrides of `build` in subclasses are wrapped (`__init_subclass__`) so that
they run in the layer's name scope — variables get paths like
`sequential/dense/kernel` — and mark the layer built, however they are called.
"""

import contextlib
import functools
import inspect

from lamina.backend.common import scopes
from lamina.layers import shape_utils


@functools.cache
def _build_parameters(cls):
    return [name for name in inspect.signature(cls.build).parameters if name != "self"]


@functools.cache
def _call_parameter_names(cls):
    return [name for name in inspect.signature(cls.call).parameters if name != "self"]


class LayerBuildMixin:
    def build(self, input_shape=None):
        """Creates the layer's state once input shapes are known. Override it."""
        self.built = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "build" in cls.__dict__:
            cls.build = _wrap_build(cls.__dict__["build"])

    def _maybe_build(self, args, kwargs):
        if not self.built:
            self._build_with_shapes(self._shapes_for_build(args, kwargs))

    def _build_with_shapes(self, shapes):
        if len(shapes) == 1 and "input_shape" in shapes:
            self.build(shapes["input_shape"])
        else:
            self.build(**shapes)
        self._build_shapes_dict = shapes
        self.built = True

    def _shapes_for_build(self, args, kwargs):
        parameters = _build_parameters(type(self))
        names = _call_parameter_names(type(self))
        bound = dict(zip(names, args))
        bound.update(kwargs)
        if len(parameters) <= 1 or parameters[0] == "input_shape":
            first = args[0] if args else bound.get(names[0]) if names else None
            return {"input_shape": shape_utils.shape_tree(first)}
        shapes = {}
        for parameter in parameters:
            argument = parameter[: -len("_shape")] if parameter.endswith("_shape") else parameter
            if argument in bound and bound[argument] is not None:
                shapes[parameter] = shape_utils.shape_tree(bound[argument])
        return shapes

    @property
    def _build_shapes_description(self):
        if not self._build_shapes_dict:
            return None
        values = list(self._build_shapes_dict.values())
        return values[0] if len(values) == 1 else self._build_shapes_dict


def _wrap_build(build):
    """Wraps a subclass's build: runs it in the layer's name scope, then marks the layer built."""
    parameters = [name for name in inspect.signature(build).parameters if name != "self"]

    @functools.wraps(build)
    def wrapped_build(self, *args, **kwargs):
        if getattr(self, "_building", False):
            return build(self, *args, **kwargs)
        object.__setattr__(self, "_building", True)
        try:
            with scopes.NameScope(self.name) if not self._in_own_scope() else contextlib.nullcontext():
                result = build(self, *args, **kwargs)
        finally:
            object.__setattr__(self, "_building", False)
        shapes = dict(zip(parameters, args))
        shapes.update(kwargs)
        if len(shapes) == 1 and parameters and parameters[0] != "input_shape":
            shapes = {"input_shape": next(iter(shapes.values()))}
        self._build_shapes_dict = {key: shape_utils.normalize_shape(value) for key, value in shapes.items()}
        self.built = True
        return result

    return wrapped_build
