"""Model and training configs of legacy `.h5` files, in both directions.

Reading turns a Keras 2 (or Keras 3 legacy) `model_config` into the Keras 3 form
lamina's `from_config` expects: list-form `inbound_nodes`
(`[[["dense", 0, 0, {}], ...], ...]`) become `{"args", "kwargs"}` nodes with
`__keras_tensor__` references, `batch_input_shape` becomes `batch_shape`,
one-element `axis` lists collapse, Keras 2 dtype policies become names, and
list-encoded Lambda functions become `__lambda__` dicts (which safe mode then
refuses). Writing produces the legacy form Keras 3's `.h5` writer uses: layer
entries carry `class_name` and `config` but no `module`, `registered_name` or
`build_config`.
"""

import copy

_LAMBDA_LEGACY_KEYS = ("module", "function_type", "output_shape_type", "output_shape_module")
_MODEL_CLASSES = ("Sequential", "Functional", "Model")
_DROPPED_OPTIMIZER_KEYS = ("is_legacy_optimizer", "jit_compile")


# -- reading -----------------------------------------------------------------------------


def convert_model_config(config):
    """Returns a copy of a legacy `{"class_name", "config"}` model config in Keras 3 form.

    Args:
        config: The decoded `model_config` attribute of an `.h5` file.

    Returns:
        The converted config dict.

    Example:

    >>> old = {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 3], "name": "x"}}
    >>> convert_model_config(old)["config"]["batch_shape"]
    [None, 3]
    """
    if not isinstance(config, dict) or not isinstance(config.get("config"), dict):
        raise ValueError(
            "load_model: the file's `model_config` is not a Keras model config (expected a dict "
            f"with 'class_name' and 'config'). Received: {str(config)[:200]}"
        )
    return _convert_entry(copy.deepcopy(config))


def _convert_entry(entry):
    class_name = entry.get("class_name")
    inner = entry.get("config")
    if not isinstance(inner, dict):
        return entry
    batch_input_shape = inner.pop("batch_input_shape", None)
    if batch_input_shape is not None:
        inner["batch_shape" if class_name == "InputLayer" else "batch_input_shape"] = batch_input_shape
    axis = inner.get("axis")
    if isinstance(axis, list) and len(axis) == 1:
        inner["axis"] = int(axis[0])
    dtype = inner.get("dtype")
    if (
        isinstance(dtype, dict)
        and dtype.get("class_name") in ("Policy", "DTypePolicy")
        and "module" not in dtype
    ):
        # Keras 2 mixed-precision policy: {"class_name": "Policy", "config": {"name": ...}}.
        inner["dtype"] = dtype.get("config", {}).get("name", "float32")
    if class_name == "Model" and "input_layers" in inner:
        # Keras 2 before 2.4 named Functional models "Model".
        entry["class_name"] = class_name = "Functional"
    if class_name == "Lambda":
        _convert_lambda(inner)
    for key in ("layer", "forward_layer", "backward_layer", "cell"):
        if isinstance(inner.get(key), dict):
            inner[key] = _convert_entry(inner[key])
    if isinstance(inner.get("cells"), list):
        inner["cells"] = [_convert_entry(cell) if isinstance(cell, dict) else cell for cell in inner["cells"]]
    if isinstance(inner.get("layers"), list):
        inner["layers"] = [_convert_entry(layer) for layer in inner["layers"]]
        if class_name == "Sequential":
            _add_input_layer(inner)
        else:
            _convert_functional(inner)
    return entry


def _convert_lambda(inner):
    for key in _LAMBDA_LEGACY_KEYS:
        inner.pop(key, None)
    for key in ("function", "output_shape", "mask"):
        value = inner.get(key)
        if isinstance(value, (list, tuple)) and len(value) == 3 and isinstance(value[0], str):
            # Keras 2: [base64 marshalled code, defaults, closure].
            inner[key] = {
                "class_name": "__lambda__",
                "config": {"code": value[0], "defaults": value[1], "closure": value[2]},
            }


def _add_input_layer(inner):
    """A Keras 2 Sequential may give its input shape on the first layer only."""
    layers = inner["layers"]
    if not layers or layers[0].get("class_name") == "InputLayer":
        return
    first = layers[0].get("config", {})
    batch_shape = first.pop("batch_input_shape", None)
    if batch_shape is None:
        return
    dtype = first.get("dtype")
    layers.insert(
        0,
        {
            "class_name": "InputLayer",
            "config": {"batch_shape": batch_shape, "dtype": _input_dtype(dtype)},
        },
    )


def _input_dtype(dtype):
    # A policy name ("mixed_float16") is not a tensor dtype; such layers take float32 inputs.
    if isinstance(dtype, str) and not dtype.startswith("mixed"):
        return dtype
    return "float32"


def _is_reference(value):
    return (
        isinstance(value, list)
        and len(value) in (3, 4)
        and isinstance(value[0], str)
        and isinstance(value[1], int)
        and isinstance(value[2], int)
    )


def _tensor(reference):
    return {
        "class_name": "__keras_tensor__",
        "config": {"shape": None, "dtype": None, "keras_history": [reference[0], reference[1], reference[2]]},
    }


def _convert_node(node):
    if isinstance(node, dict):
        return node
    if not isinstance(node, list) or not all(_is_reference(item) for item in node):
        raise ValueError(f"load_model: cannot read the inbound node {str(node)[:200]} of a Functional model.")
    tensors = [_tensor(item) for item in node]
    kwargs = {}
    for item in node:
        if len(item) == 4 and isinstance(item[3], dict):
            kwargs = item[3]
    return {"args": [tensors[0] if len(tensors) == 1 else tensors], "kwargs": kwargs}


def _convert_functional(inner):
    for layer in inner["layers"]:
        if "name" not in layer and isinstance(layer.get("config"), dict):
            layer["name"] = layer["config"].get("name")
        layer["inbound_nodes"] = [_convert_node(node) for node in layer.get("inbound_nodes", [])]
    for key in ("input_layers", "output_layers"):
        value = inner.get(key)
        # Keras 2 lists even a single input as [[name, node, tensor]].
        if isinstance(value, list) and len(value) == 1 and _is_reference(value[0]):
            inner[key] = value[0]


def find_python_lambdas(config, path="model"):
    """Returns the names of layers whose config holds a `__lambda__` (marshalled bytecode).

    Example:

    >>> entry = {"class_name": "Lambda", "config": {"name": "double",
    ...     "function": {"class_name": "__lambda__", "config": {"code": ""}}}}
    >>> find_python_lambdas({"class_name": "Sequential", "config": {"layers": [entry]}})
    ['double']
    """
    found = []
    if isinstance(config, dict):
        if config.get("class_name") == "__lambda__":
            return [path]
        inner = config.get("config")
        name = inner.get("name", path) if isinstance(inner, dict) else path
        for key, value in config.items():
            for hit in find_python_lambdas(value, name if key == "config" else path):
                if hit not in found:
                    found.append(hit)
    elif isinstance(config, list):
        for value in config:
            for hit in find_python_lambdas(value, path):
                if hit not in found:
                    found.append(hit)
    return found


def convert_optimizer_config(config):
    """Returns a Keras 3 optimizer config from a Keras 2 or Keras 3 `optimizer_config`.

    Example:

    >>> convert_optimizer_config({"class_name": "Adam", "config": {"lr": 0.01, "decay": 0.0}})
    {'class_name': 'Adam', 'config': {'learning_rate': 0.01}}
    """
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"load_model: cannot read the optimizer config {str(config)[:200]}.")
    inner = dict(config.get("config") or {})
    if "lr" in inner:
        inner.setdefault("learning_rate", inner.pop("lr"))
        inner.pop("lr", None)
    if not inner.get("decay"):
        inner.pop("decay", None)
    for key in _DROPPED_OPTIMIZER_KEYS:
        inner.pop(key, None)
    class_name = config["class_name"]
    if isinstance(class_name, str) and class_name.startswith("Custom>"):
        class_name = class_name[len("Custom>") :]
    return {"class_name": class_name, "config": inner}


def _deserialize_compile_argument(config, deserialize, custom_objects):
    if config is None or isinstance(config, str):
        return config
    if isinstance(config, dict) and "class_name" in config:
        try:
            return deserialize(config, custom_objects=custom_objects)
        except (ValueError, TypeError):
            # Keras 2 wrapped built-ins (e.g. MeanMetricWrapper): fall back on the name.
            name = (config.get("config") or {}).get("name")
            if isinstance(name, str):
                return name
            raise
    if isinstance(config, dict):
        return {
            key: _deserialize_compile_argument(value, deserialize, custom_objects)
            for key, value in config.items()
        }
    if isinstance(config, (list, tuple)):
        return [_deserialize_compile_argument(value, deserialize, custom_objects) for value in config]
    raise ValueError(f"load_model: cannot read the compile argument {config!r}.")


def compile_from_training_config(model, training, custom_objects=None):
    """Compiles `model` with a legacy `training_config` (optimizer, loss, metrics, loss weights).

    Args:
        model: The model to compile.
        training: The decoded `training_config` attribute.
        custom_objects: Optional dict of custom losses, metrics and optimizers by name.

    Example:

    >>> import lamina
    >>> model = lamina.Sequential([lamina.Input((2,)), lamina.layers.Dense(1)])
    >>> compile_from_training_config(model, {"loss": "mse", "optimizer_config": {
    ...     "class_name": "SGD", "config": {"learning_rate": 0.1}}})
    >>> model.optimizer.__class__.__name__
    'SGD'
    """
    from lamina import losses
    from lamina import metrics
    from lamina import optimizers
    from lamina.saving import object_registration

    with object_registration.CustomObjectScope(custom_objects or {}):
        optimizer = optimizers.deserialize(
            convert_optimizer_config(training["optimizer_config"]),
            custom_objects=custom_objects,
        )
        model.compile(
            optimizer=optimizer,
            loss=_deserialize_compile_argument(training.get("loss"), losses.deserialize, custom_objects),
            metrics=_deserialize_compile_argument(
                training.get("metrics"), metrics.deserialize, custom_objects
            ),
            weighted_metrics=_deserialize_compile_argument(
                training.get("weighted_metrics"), metrics.deserialize, custom_objects
            ),
            loss_weights=training.get("loss_weights"),
        )


# -- writing -----------------------------------------------------------------------------


def legacy_model_config(model):
    """Returns `{"class_name", "config"}` for a model, with layers in the legacy form.

    Example:

    >>> import lamina
    >>> model = lamina.Sequential([lamina.Input((2,)), lamina.layers.Dense(1)])
    >>> sorted(legacy_model_config(model)["config"]["layers"][1])
    ['class_name', 'config']
    """
    from lamina.saving import object_registration

    config = model.get_config()
    return {
        "class_name": object_registration.get_registered_name(type(model)),
        "config": _strip_layers(copy.deepcopy(config)),
    }


def _strip_layers(inner):
    layers = inner.get("layers") if isinstance(inner, dict) else None
    if isinstance(layers, list):
        inner["layers"] = [_strip_entry(layer) for layer in layers]
    return inner


def _strip_entry(entry):
    if not isinstance(entry, dict):
        return entry
    registered = entry.get("registered_name")
    stripped = {"class_name": registered if registered else entry.get("class_name")}
    stripped["config"] = _strip_layers(entry.get("config"))
    for key, value in entry.items():
        if key not in ("module", "registered_name", "build_config", "compile_config", "class_name", "config"):
            stripped[key] = value
    return stripped


def legacy_object(value):
    """Serializes a compile argument (loss, metric) the way Keras's legacy serializer does.

    Example:

    >>> legacy_object(["mae", {"out": "mse"}])
    ['mae', {'out': 'mse'}]
    """
    from lamina.saving import object_registration

    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return [legacy_object(item) for item in value]
    if isinstance(value, dict):
        return {key: legacy_object(item) for key, item in value.items()}
    if hasattr(value, "get_config"):
        return {
            "class_name": object_registration.get_registered_name(type(value)),
            "config": value.get_config(),
        }
    if callable(value):
        return object_registration.get_registered_name(value)
    raise TypeError(f"save_model: cannot serialize the compile argument {value!r} to a legacy .h5 file.")
