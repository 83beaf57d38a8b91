"""Op nodes of Functional models: lamina writes and reads them exactly as Keras 3 does."""

import copy
import importlib
import inspect
import json
import os

import numpy as np
import pytest

import lamina
from lamina.models import op_node_config
from tests.testing_utils import assert_close


@pytest.fixture(scope="module")
def keras():
    os.environ.setdefault("KERAS_BACKEND", "jax")
    keras = pytest.importorskip("keras")
    if keras.backend.backend() != "jax":
        pytest.skip("the Keras oracle needs KERAS_BACKEND=jax")
    return keras


# Keras's own jax code trips a NumPy 2 DeprecationWarning (`__array__` without `copy`).
keras_oracle = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")

# lamina ops that Keras records under no Operation class of its op modules.
_NOT_IN_KERAS = {"copysign", "mish"}


def _lamina_ops():
    """Every lamina op that becomes a graph node on symbolic tensors: name -> eager function."""
    namespaces = [lamina.ops, lamina.ops.image, lamina.ops.linalg, lamina.ops.math, lamina.ops.nn]
    found = {}
    for namespace in namespaces:
        for name in dir(namespace):
            op = getattr(namespace, name)
            if callable(op) and hasattr(op, "shape_rule") and hasattr(op, "__wrapped__"):
                found[op.__wrapped__.__name__] = op.__wrapped__
    return found


def _parameter_names(function, skip=("self",)):
    return [
        name
        for name, parameter in inspect.signature(function).parameters.items()
        if name not in skip and parameter.kind is not inspect.Parameter.VAR_KEYWORD
    ]


@keras_oracle
def test_every_op_matches_keras_class_and_argument_split(keras):
    from keras.src.ops.operation import Operation

    checked = []
    for name, function in sorted(_lamina_ops().items()):
        module = op_node_config.keras_module(function)
        if module is None:
            assert name in _NOT_IN_KERAS, f"{name} ({function.__module__}) has no Keras module"
            continue
        class_name = op_node_config.keras_class_name(name)
        keras_class = getattr(importlib.import_module(module), class_name, None)
        assert keras_class is not None and issubclass(keras_class, Operation), (name, module, class_name)
        assert op_node_config.function_name(class_name) == name
        constructor = _parameter_names(keras_class.__init__, skip=("self", "name", "args"))
        call = _parameter_names(keras_class.call)
        lamina_constructor, _, _ = op_node_config.split_arguments(function, *_placeholder_call(function))
        assert list(lamina_constructor) == constructor, name
        assert [p for p in _parameter_names(function) if p not in constructor] == call, name
        checked.append(name)
    assert len(checked) > 150
    for name in _NOT_IN_KERAS:
        class_name = op_node_config.keras_class_name(name)
        for family in ("numpy", "nn", "math", "core"):
            assert not hasattr(importlib.import_module(f"keras.src.ops.{family}"), class_name)


def _placeholder_call(function):
    """Arguments that bind every parameter of `function` (values are irrelevant to the split)."""
    args = []
    kwargs = {}
    for name, parameter in inspect.signature(function).parameters.items():
        if parameter.kind is inspect.Parameter.VAR_POSITIONAL:
            args.append("operand")
        elif parameter.kind is inspect.Parameter.KEYWORD_ONLY:
            kwargs[name] = name
        elif parameter.kind is not inspect.Parameter.VAR_KEYWORD:
            args.append(name)
    return tuple(args), kwargs


def _arithmetic(K, x):
    o = K.ops
    y = 2.0 - x / 255.0
    return [
        y * 3.0 + 1.0,
        y**2,
        -y,
        x @ o.transpose(x, (0, 2, 1)),
        y // 0.5,
        o.mod(y, 0.7),
        y > 0.5,
        y <= 0.1,
    ]


def _reductions_and_shapes(K, x):
    o = K.ops
    total = o.sum(x, axis=1)
    joined = o.concatenate([total, total], axis=-1)
    return [
        o.squeeze(o.expand_dims(joined, 1), axis=1),
        o.reshape(x, (-1, 3, 4)),
        o.mean(x, axis=-1),
        o.max(x, axis=1, keepdims=True),
        o.prod(x, axis=2),
        o.stack([total, total], axis=1),
        o.matmul(o.transpose(x, (0, 2, 1)), x),
        o.tile(total, (1, 2)),
        o.repeat(total, 2, axis=1),
        o.flip(x, axis=1),
        o.swapaxes(x, 1, 2),
        o.moveaxis(x, 1, 2),
        o.argmax(x, axis=-1),
        o.cumsum(x, axis=1),
    ]


def _casting_and_logic(K, x):
    o = K.ops
    total = o.sum(x, axis=1)
    rounded = o.cast(o.cast(total, "float16"), "float32")
    mask = o.not_equal(rounded, 0.0)
    return [
        o.where(mask, rounded, 1.0),
        o.logical_and(mask, o.greater(rounded, 0.2)),
        o.maximum(x, 0.3),
        o.minimum(x, 0.6),
        o.clip(x, 0.2, 0.8),
        o.equal(x, x),
    ]


def _indexing(K, x):
    o = K.ops
    return [
        x[:, 0],
        x[:, 1:3, ...],
        x[:, ::2, 1],
        o.take(x, [0, 2], axis=1),
        o.take_along_axis(x, o.argsort(x, axis=-1), axis=-1),
        o.pad(x, [[0, 0], [1, 1], [0, 0]], constant_values=3.0),
        o.einsum("bij,bkj->bik", x, x),
    ]


def _elementwise_and_activations(K, x):
    o = K.ops
    return [
        o.sqrt(x),
        o.exp(x),
        o.log1p(x),
        o.tanh(x),
        o.abs(x - 0.5),
        o.square(x),
        o.relu(x - 0.5),
        o.sigmoid(x),
        o.softmax(x, axis=1),
        o.gelu(x),
        o.leaky_relu(x, negative_slope=0.3),
        o.log_softmax(x),
        o.silu(x),
        o.erf(x),
        o.logsumexp(x, axis=1),
        o.normalize(x, axis=-1),
        o.rms_normalization(x, axis=-1),
    ]


def _with_layers(K, x):
    o = K.ops
    hidden = K.layers.Dense(5, kernel_initializer="glorot_uniform")(x / 2.0)
    return [K.layers.Dense(2)(o.relu(hidden) + o.mean(hidden, axis=-1, keepdims=True))]


MODELS = {
    "arithmetic": _arithmetic,
    "reductions_and_shapes": _reductions_and_shapes,
    "casting_and_logic": _casting_and_logic,
    "indexing": _indexing,
    "elementwise_and_activations": _elementwise_and_activations,
    "with_layers": _with_layers,
}


def _build(K, builder):
    inputs = K.Input((4, 3))
    return K.Model(inputs, builder(K, inputs))


def _normalized(config):
    """The config with layer names replaced by their position (auto names come from global counters)."""
    config = json.loads(json.dumps(config))
    positions = {entry["name"]: str(index) for index, entry in enumerate(config["layers"])}

    def rename(value):
        if isinstance(value, dict):
            value = {key: rename(item) for key, item in value.items()}
            if "keras_history" in value:
                value["keras_history"] = [positions[value["keras_history"][0]], *value["keras_history"][1:]]
            return value
        if isinstance(value, list):
            return [rename(item) for item in value]
        return value

    layers = []
    for entry in rename(config["layers"]):
        entry["name"] = positions[entry["name"]]
        entry["config"].pop("name", None)
        # Keras names op nodes from its class name (`is_in`), lamina from the function (`isin`).
        layers.append(entry)
    return layers


def _inputs():
    return np.random.default_rng(0).uniform(0.05, 1.0, size=(2, 4, 3)).astype("float32")


def _keras_outputs(model, inputs):
    outputs = model(inputs)
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    return [np.asarray(output) for output in outputs]


def _lamina_outputs(model, inputs):
    outputs = model(inputs)
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    return [lamina.ops.convert_to_numpy(output) for output in outputs]


def _assert_same(actual, expected):
    assert len(actual) == len(expected)
    for got, want in zip(actual, expected):
        assert got.shape == want.shape
        if want.dtype == bool:
            np.testing.assert_array_equal(got, want)
        else:
            assert_close(got, want, atol=1e-5, rtol=1e-5)


@keras_oracle
@pytest.mark.parametrize("architecture", sorted(MODELS))
def test_config_is_keras_config_and_loads_both_ways(keras, architecture):
    builder = MODELS[architecture]
    keras_model = _build(keras, builder)
    lamina_model = _build(lamina, builder)
    lamina_config = json.loads(json.dumps(lamina_model.get_config()))
    keras_config = json.loads(json.dumps(keras_model.get_config()))
    assert _normalized(lamina_config) == _normalized(keras_config)

    inputs = _inputs()
    lamina_model.set_weights([np.asarray(w) for w in keras_model.get_weights()])
    expected = _keras_outputs(keras_model, inputs)
    _assert_same(_lamina_outputs(lamina_model, inputs), expected)

    in_keras = keras.Model.from_config(copy.deepcopy(lamina_config))
    in_keras.set_weights(keras_model.get_weights())
    _assert_same(_keras_outputs(in_keras, inputs), expected)

    in_lamina = lamina.Model.from_config(copy.deepcopy(keras_config))
    in_lamina.set_weights([np.asarray(w) for w in keras_model.get_weights()])
    _assert_same(_lamina_outputs(in_lamina, inputs), expected)
    # And lamina's reading of its own entries.
    again = lamina.Model.from_config(copy.deepcopy(lamina_config))
    again.set_weights([np.asarray(w) for w in keras_model.get_weights()])
    _assert_same(_lamina_outputs(again, inputs), expected)


@keras_oracle
@pytest.mark.parametrize("architecture", ["with_layers", "indexing", "casting_and_logic"])
def test_keras_files_both_ways(keras, architecture, tmp_path):
    builder = MODELS[architecture]
    inputs = _inputs()

    lamina_model = _build(lamina, builder)
    expected = _lamina_outputs(lamina_model, inputs)
    lamina_model.save(str(tmp_path / "lamina.keras"))
    loaded_in_keras = keras.saving.load_model(str(tmp_path / "lamina.keras"))
    _assert_same(_keras_outputs(loaded_in_keras, inputs), expected)

    keras_model = _build(keras, builder)
    expected = _keras_outputs(keras_model, inputs)
    keras_model.save(str(tmp_path / "keras.keras"))
    loaded_in_lamina = lamina.saving.load_model(str(tmp_path / "keras.keras"))
    _assert_same(_lamina_outputs(loaded_in_lamina, inputs), expected)


def test_ops_without_keras_class_keep_lamina_form_and_reload():
    inputs = lamina.Input((3,))
    model = lamina.Model(inputs, lamina.ops.mish(inputs) + lamina.ops.copysign(inputs, -1.0))
    entries = {entry["class_name"]: entry for entry in model.get_config()["layers"]}
    assert entries["mish"]["module"] == "keras.ops"
    assert entries["Add"]["module"] == "keras.src.ops.numpy"
    values = np.array([[-1.0, 0.5, 2.0]], "float32")
    restored = lamina.Model.from_config(json.loads(json.dumps(model.get_config())))
    assert_close(_lamina_outputs(restored, values)[0], _lamina_outputs(model, values)[0])


def test_unknown_constructor_argument_is_a_clear_error():
    inputs = lamina.Input((4, 3))
    config = json.loads(json.dumps(lamina.Model(inputs, lamina.ops.sum(inputs, axis=1)).get_config()))
    entry = next(entry for entry in config["layers"] if entry["class_name"] == "Sum")
    entry["config"]["bogus"] = 1
    with pytest.raises(ValueError, match="sum.*bogus"):
        lamina.Model.from_config(config)
