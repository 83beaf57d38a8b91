"""`run_layer_test`: one call that checks a layer end to end on the active backend.

Usage (from a test file under tests/):

    from layers.layer_test_case import run_layer_test

    def test_dense_basics():
        run_layer_test(
            lamina.layers.Dense,
            init_kwargs={"units": 4},
            input_shape=(2, 3),
            expected_output_shape=(2, 4),
            expected_num_trainable_weights=2,
            expected_num_non_trainable_weights=0,
        )

What it checks, in order:
1. config round trip: `from_config(get_config())` gives the same config, and
   the config survives JSON;
2. symbolic call on `KerasTensor`s (with a `None` batch axis and with the
   concrete shape): output shape and dtype, and `compute_output_shape`;
3. eager call on concrete inputs: output shape, dtype and (if given)
   values; weight, variable, seed-generator and loss counts; masking support;
4. weight transfer: a layer re-created from the config, given the weights
   with `set_weights` (and the RNG states), returns the same outputs;
5. optionally (`run_gradient_check`, trainable backends): gradients of the
   output's sum with respect to every trainable weight, through
   `stateless_call`, are finite and shaped like the weights.

`input_shape` may be a shape tuple, a list of shapes (layers taking a list
of inputs, e.g. merging layers) or a dict of shapes; `input_data` may be
given instead (same structure, NumPy arrays).
"""

import json

import numpy as np
import optree

import lamina
from lamina import ops
from lamina.backend import backend
from lamina.backend.common import dtypes
from lamina.saving import object_registration
from lamina.saving import serialization


def _is_shape(value):
    return isinstance(value, tuple) and all(dim is None or isinstance(dim, int) for dim in value)


def _map_shapes(function, structure):
    if _is_shape(structure):
        return function(structure)
    if isinstance(structure, dict):
        return {key: _map_shapes(function, value) for key, value in structure.items()}
    if isinstance(structure, (list, tuple)):
        return [_map_shapes(function, value) for value in structure]
    raise TypeError(f"run_layer_test: cannot interpret input_shape {structure!r}")


def _random_data(input_shape, input_dtype, seed=0):
    rng = np.random.default_rng(seed)

    def make(shape):
        dtype = dtypes.standardize_dtype(input_dtype)
        if dtypes.is_float(dtype):
            return rng.standard_normal(shape).astype(dtype)
        if dtype == "bool":
            return rng.integers(0, 2, shape).astype(bool)
        return rng.integers(0, 10, shape).astype(dtype)

    return _map_shapes(make, input_shape)


def _data_shapes(input_data):
    return optree.tree_map(lambda x: tuple(np.shape(x)), input_data, is_leaf=lambda x: hasattr(x, "shape"))


def _to_tensors(input_data):
    return optree.tree_map(ops.convert_to_tensor, input_data, is_leaf=lambda x: hasattr(x, "shape"))


def _symbolic_inputs(input_shape, input_dtype, batch_none):
    def make(shape):
        if batch_none and shape:
            shape = (None,) + tuple(shape[1:])
        return lamina.KerasTensor(shape, dtype=input_dtype)

    return _map_shapes(make, input_shape)


def _leaves(outputs):
    return optree.tree_leaves(outputs, is_leaf=lambda x: hasattr(x, "shape"))


def _assert_structure_shapes(actual, expected, what):
    actual_leaves = _leaves(actual)
    if _is_shape(expected):
        expected_shapes = [expected]
    else:
        expected_shapes = [tuple(s) for s in optree.tree_leaves(expected, is_leaf=_is_shape)]
    got = [tuple(x.shape) for x in actual_leaves]
    assert got == expected_shapes, f"{what}: expected output shape(s) {expected_shapes}, got {got}"


def _check_config_round_trip(layer_cls, layer, custom_objects):
    config = layer.get_config()
    json.dumps(serialization.serialize_keras_object(config))
    with object_registration.custom_object_scope(custom_objects or {}):
        revived = layer_cls.from_config(config)
    revived_config = revived.get_config()
    assert _normalize_json(revived_config) == _normalize_json(config), (
        f"{layer_cls.__name__}: from_config(get_config()) changed the config.\n"
        f"before: {config}\nafter:  {revived_config}"
    )
    return config


def _normalize_json(config):
    return json.loads(json.dumps(serialization.serialize_keras_object(config)))


def _check_archive_round_trip(reference, tensors, call_kwargs, custom_objects, rtol, atol):
    import io

    import h5py

    from lamina.saving import weights_h5

    name = type(reference).__name__
    config = json.loads(json.dumps(serialization.serialize_keras_object(reference)))
    with lamina.saving.custom_object_scope(custom_objects or {}):
        revived = serialization.deserialize_keras_object(config, custom_objects=custom_objects)
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as file:
        weights_h5._save_state(reference, file, "", set())
    with h5py.File(buffer, "r") as file:
        weights_h5._load_state(revived, file, "", set(), skip_mismatch=False)
    _copy_rng_states(reference, revived)
    expected_outputs = reference(tensors, **call_kwargs)
    revived_outputs = revived(tensors, **call_kwargs)
    for left, right in zip(_leaves(expected_outputs), _leaves(revived_outputs)):
        np.testing.assert_allclose(
            ops.convert_to_numpy(right),
            ops.convert_to_numpy(left),
            rtol=rtol,
            atol=atol,
            err_msg=f"{name}: the layer saved and loaded as in a .keras archive gave different outputs",
        )


def _copy_rng_states(source, target):
    for source_generator, target_generator in zip(source._seed_generators, target._seed_generators):
        target_generator.state.assign(source_generator.state.value)
    for source_layer, target_layer in zip(source._flatten_layers(False), target._flatten_layers(False)):
        _copy_rng_states_shallow(source_layer, target_layer)


def _copy_rng_states_shallow(source, target):
    for source_generator, target_generator in zip(source._seed_generators, target._seed_generators):
        target_generator.state.assign(source_generator.state.value)


def _gradient_check(layer, tensors, call_kwargs):
    from testing_utils import gradient

    trainable = layer.trainable_variables
    if not trainable:
        return
    non_trainable = [v.value for v in layer.non_trainable_variables]
    values = [np.asarray(v.numpy()) for v in trainable]

    def loss(*trainable_values):
        outputs, _ = layer.stateless_call(list(trainable_values), non_trainable, tensors, **call_kwargs)
        total = 0.0
        for output in _leaves(outputs):
            if dtypes.is_float(ops.dtype(output)):
                total = total + ops.sum(ops.cast(output, "float32"))
        return total

    grads = gradient(loss, *values)
    for variable, grad in zip(trainable, grads):
        assert tuple(grad.shape) == tuple(variable.shape), (
            f"gradient of {variable.path} has shape {grad.shape}, expected {variable.shape}"
        )
        assert np.all(np.isfinite(grad)), f"gradient of {variable.path} is not finite"


def run_layer_test(
    layer_cls,
    init_kwargs=None,
    input_shape=None,
    input_dtype="float32",
    input_data=None,
    call_kwargs=None,
    expected_output_shape=None,
    expected_output_dtype=None,
    expected_output=None,
    expected_num_trainable_weights=None,
    expected_num_non_trainable_weights=None,
    expected_num_non_trainable_variables=None,
    expected_num_seed_generators=None,
    expected_num_losses=None,
    supports_masking=None,
    custom_objects=None,
    assert_built_after_instantiation=False,
    run_symbolic_check=True,
    run_gradient_check=True,
    rtol=1e-5,
    atol=1e-5,
):
    """Checks a layer end to end on the active backend; returns the eager outputs.

    Args:
        layer_cls: The layer class.
        init_kwargs: Constructor arguments.
        input_shape: Shape (tuple), list of shapes or dict of shapes of the
            inputs, batch axis included. Random data of that shape is used
            unless `input_data` is given.
        input_dtype: Dtype of generated inputs and symbolic inputs.
        input_data: Explicit NumPy inputs (array, list or dict of arrays).
        call_kwargs: Extra call arguments (e.g. `{"training": True}`).
        expected_output_shape: Output shape (or nest of shapes) of the eager call.
        expected_output_dtype: Output dtype (default: not checked).
        expected_output: NumPy reference of the eager output.
        expected_num_trainable_weights: Count of `layer.trainable_weights`.
        expected_num_non_trainable_weights: Count of `layer.non_trainable_weights`.
        expected_num_non_trainable_variables: Count of
            `layer.non_trainable_variables` (weights plus RNG states).
        expected_num_seed_generators: Count of the layer's SeedGenerators.
        expected_num_losses: Count of `layer.losses` after the eager call.
        supports_masking: Expected `layer.supports_masking`.
        custom_objects: Dict of custom objects for `from_config`.
        assert_built_after_instantiation: Whether the layer must be built
            right after construction (layers without weights).
        run_symbolic_check: Whether to call the layer on KerasTensors.
        run_gradient_check: Whether to check gradients on trainable backends.
        rtol: Relative tolerance for value comparisons.
        atol: Absolute tolerance for value comparisons.

    Returns:
        The eager outputs (backend tensors).
    """
    init_kwargs = dict(init_kwargs or {})
    call_kwargs = dict(call_kwargs or {})
    if input_data is None:
        if input_shape is None:
            raise ValueError("run_layer_test needs input_shape or input_data.")
        input_data = _random_data(input_shape, input_dtype)
    elif input_shape is None:
        input_shape = _data_shapes(input_data)
    name = layer_cls.__name__

    # 1. Config round trip.
    layer = layer_cls(**init_kwargs)
    if assert_built_after_instantiation:
        assert layer.built, f"{name} should be built right after instantiation."
    if supports_masking is not None:
        assert layer.supports_masking == supports_masking, (
            f"{name}.supports_masking is {layer.supports_masking}, expected {supports_masking}"
        )
    _check_config_round_trip(layer_cls, layer, custom_objects)

    # 2. Symbolic call.
    if run_symbolic_check:
        for batch_none in (True, False):
            symbolic_layer = layer_cls(**init_kwargs)
            inputs = _symbolic_inputs(input_shape, input_dtype, batch_none)
            outputs = symbolic_layer(inputs, **call_kwargs)
            for output in _leaves(outputs):
                assert isinstance(output, lamina.KerasTensor), f"{name} symbolic call returned {type(output)}"
            if expected_output_shape is not None:
                expected = expected_output_shape
                if batch_none:
                    expected = _map_shapes(
                        lambda s: (None,) + tuple(s[1:]) if s else s, expected_output_shape
                    )
                _assert_structure_shapes(outputs, expected, f"{name} symbolic call")
                if not batch_none:
                    computed = layer_cls(**init_kwargs).compute_output_shape(input_shape)
                    _assert_structure_shapes(
                        optree.tree_map(lambda s: lamina.KerasTensor(s), computed, is_leaf=_is_shape),
                        expected_output_shape,
                        f"{name}.compute_output_shape",
                    )
            if expected_output_dtype is not None:
                for output in _leaves(outputs):
                    assert output.dtype == expected_output_dtype, (
                        f"{name} symbolic output dtype {output.dtype}, expected {expected_output_dtype}"
                    )

    # 3. Eager call.
    layer = layer_cls(**init_kwargs)
    tensors = _to_tensors(input_data)
    outputs = layer(tensors, **call_kwargs)
    assert layer.built, f"{name} is not built after being called."
    if expected_output_shape is not None:
        _assert_structure_shapes(outputs, expected_output_shape, f"{name} eager call")
    if expected_output_dtype is not None:
        for output in _leaves(outputs):
            assert ops.dtype(output) == expected_output_dtype, (
                f"{name} eager output dtype {ops.dtype(output)}, expected {expected_output_dtype}"
            )
    if expected_output is not None:
        for output, expected in zip(_leaves(outputs), _leaves(expected_output)):
            np.testing.assert_allclose(ops.convert_to_numpy(output), expected, rtol=rtol, atol=atol)
    if expected_num_trainable_weights is not None:
        assert len(layer.trainable_weights) == expected_num_trainable_weights, (
            f"{name} has {len(layer.trainable_weights)} trainable weights, expected "
            f"{expected_num_trainable_weights}"
        )
    if expected_num_non_trainable_weights is not None:
        assert len(layer.non_trainable_weights) == expected_num_non_trainable_weights, (
            f"{name} has {len(layer.non_trainable_weights)} non-trainable weights, expected "
            f"{expected_num_non_trainable_weights}"
        )
    if expected_num_non_trainable_variables is not None:
        assert len(layer.non_trainable_variables) == expected_num_non_trainable_variables, (
            f"{name} has {len(layer.non_trainable_variables)} non-trainable variables, expected "
            f"{expected_num_non_trainable_variables}"
        )
    if expected_num_seed_generators is not None:
        count = sum(len(sublayer._seed_generators) for sublayer in layer._flatten_layers())
        assert count == expected_num_seed_generators, (
            f"{name} has {count} seed generators, expected {expected_num_seed_generators}"
        )
    if expected_num_losses is not None:
        assert len(layer.losses) == expected_num_losses, (
            f"{name} has {len(layer.losses)} losses, expected {expected_num_losses}"
        )

    # 4. Weight transfer into a layer re-created from the config.
    reference = layer_cls(**init_kwargs)
    reference(tensors, **{k: v for k, v in call_kwargs.items() if k != "training"})
    revived = layer_cls.from_config(reference.get_config())
    revived(tensors, **{k: v for k, v in call_kwargs.items() if k != "training"})
    revived.set_weights(reference.get_weights())
    _copy_rng_states(reference, revived)
    expected_outputs = reference(tensors, **call_kwargs)
    revived_outputs = revived(tensors, **call_kwargs)
    for left, right in zip(_leaves(expected_outputs), _leaves(revived_outputs)):
        np.testing.assert_allclose(
            ops.convert_to_numpy(right),
            ops.convert_to_numpy(left),
            rtol=rtol,
            atol=atol,
            err_msg=f"{name}: a layer re-created from its config and weights gave different outputs",
        )

    # 5. Saving as a `.keras` archive does: config with build_config through JSON, the layer
    # built from it (never called), then its variables through the weights file's store.
    _check_archive_round_trip(reference, tensors, call_kwargs, custom_objects, rtol, atol)

    # 6. Gradients through stateless_call.
    if run_gradient_check and backend() != "numpy":
        _gradient_check(layer, tensors, call_kwargs)
    return outputs
