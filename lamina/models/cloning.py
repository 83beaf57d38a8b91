"""`clone_model`: a new model with the same architecture and fresh weights."""

import optree

from lamina.layers.core.input_layer import Input
from lamina.layers.core.input_layer import InputLayer
from lamina.layers.layer import Layer


def clone_model(
    model, input_tensors=None, clone_function=None, call_function=None, recursive=False, **kwargs
):
    """Returns a copy of `model`'s architecture with newly initialized weights.

    Args:
        model: A Sequential, Functional or subclassed model.
        input_tensors: Optional input(s) for the clone (Sequential / Functional).
        clone_function: `layer -> new layer` for each layer (default: the layer
            re-created from its config, without its weights).
        call_function: Optional `(layer, *args, **kwargs) -> outputs` used to
            call each cloned layer in a Functional model.
        recursive: Whether nested Sequential / Functional models are cloned
            layer by layer with `clone_function` too (else `clone_function`
            gets the nested model).
        **kwargs: Reserved for Keras compatibility; must be empty.

    Returns:
        The new model.

    Example:

    >>> import lamina
    >>> model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(2, name="head")])
    >>> clone = clone_model(model)
    >>> clone.layers[0].name, clone.layers[0] is model.layers[0]
    ('head', False)
    """
    from lamina.models.functional import Functional
    from lamina.models.sequential import Sequential

    if kwargs:
        raise TypeError(f"clone_model() got unexpected keyword arguments {sorted(kwargs)}.")
    clone_function = clone_function or _clone_layer
    if recursive:
        plain_function = clone_function

        def clone_function(layer):
            if isinstance(layer, (Sequential, Functional)):
                return clone_model(
                    layer, clone_function=plain_function, call_function=call_function, recursive=True
                )
            return plain_function(layer)

    if isinstance(model, Sequential):
        return _clone_sequential(model, input_tensors, clone_function)
    if isinstance(model, Functional):
        return _clone_functional(model, input_tensors, clone_function, call_function)
    if input_tensors is not None or clone_function is not _clone_layer or call_function is not None:
        raise ValueError(
            f"clone_model: {type(model).__name__} '{model.name}' is a subclassed model; it can only be "
            "cloned from its config, without input_tensors, clone_function or call_function."
        )
    return model.__class__.from_config(model.get_config())


def _clone_layer(layer):
    return layer.__class__.from_config(layer.get_config())


def _checked_clone(clone_function, layer):
    clone = clone_function(layer)
    if not isinstance(clone, Layer):
        raise ValueError(
            f"clone_model: clone_function must return a layer; for '{layer.name}' it returned "
            f"{type(clone).__name__}."
        )
    return clone


def _clone_sequential(model, input_tensors, clone_function):
    from lamina.models.sequential import Sequential

    layers = [_checked_clone(clone_function, layer) for layer in model.layers]
    if input_tensors is not None:
        inputs = optree.tree_leaves(input_tensors)
        if len(inputs) != 1:
            raise ValueError(f"clone_model: a Sequential model takes one input tensor; got {len(inputs)}.")
        return Sequential([InputLayer(input_tensor=inputs[0])] + layers, name=model.name)
    input_layer = getattr(model, "_input_layer", None)
    if input_layer is not None:
        layers = [_clone_layer(input_layer)] + layers
    clone = Sequential(layers, name=model.name, trainable=model.trainable)
    build_shapes = getattr(model, "_build_shapes_dict", None)
    if not clone.built and build_shapes:
        clone.build(build_shapes["input_shape"])
    return clone


def _clone_functional(model, input_tensors, clone_function, call_function):
    from lamina.models.functional import Functional

    graph = model._graph
    if input_tensors is None:
        new_inputs = [
            Input(batch_shape=tensor.shape, dtype=tensor.dtype, name=tensor._keras_history.operation.name)
            for tensor in graph.inputs
        ]
    else:
        new_inputs = optree.tree_leaves(input_tensors)
        if len(new_inputs) != len(graph.inputs):
            raise ValueError(
                f"clone_model: the model has {len(graph.inputs)} inputs but input_tensors holds "
                f"{len(new_inputs)}."
            )
    clones = {}

    def call(operation, args, kwargs):
        if not isinstance(operation, Layer):
            return operation(*args, **kwargs)
        if id(operation) not in clones:
            clones[id(operation)] = _checked_clone(clone_function, operation)
        layer = clones[id(operation)]
        if call_function is not None:
            return call_function(layer, *args, **kwargs)
        return layer(*args, **kwargs)

    flat_outputs = graph.run(new_inputs, call=call)
    inputs = optree.tree_unflatten(
        optree.tree_structure(model._inputs_struct, none_is_leaf=False), new_inputs
    )
    outputs = optree.tree_unflatten(
        optree.tree_structure(model._outputs_struct, none_is_leaf=False), flat_outputs
    )
    return Functional(inputs, outputs, name=model.name, trainable=model.trainable)
