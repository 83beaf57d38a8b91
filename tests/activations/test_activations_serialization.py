"""activations.get / serialize / deserialize."""

import pytest

from lamina import activations
from lamina.saving import object_registration
from lamina.saving import serialization

BUILT_INS = [
    "relu",
    "sigmoid",
    "softmax",
    "tanh",
    "linear",
    "elu",
    "selu",
    "softplus",
    "softsign",
    "silu",
    "gelu",
    "leaky_relu",
    "relu6",
    "hard_sigmoid",
    "hard_silu",
    "exponential",
    "log_softmax",
    "mish",
    "log_sigmoid",
    "celu",
    "glu",
    "hard_tanh",
    "tanh_shrink",
    "hard_shrink",
    "soft_shrink",
    "squareplus",
    "sparse_plus",
    "sparse_sigmoid",
    "sparsemax",
    "threshold",
]


@pytest.mark.parametrize("name", BUILT_INS)
def test_built_ins_serialize_to_their_bare_name(name):
    function = getattr(activations, name)
    assert activations.serialize(function) == name
    assert activations.deserialize(name) is function
    assert activations.get(name) is function
    assert activations.get(function) is function


def test_aliases_serialize_to_the_canonical_name():
    assert activations.get("swish") is activations.silu
    assert activations.serialize(activations.get("swish")) == "silu"
    assert activations.serialize(activations.get("hard_swish")) == "hard_silu"


def test_get_none_is_linear():
    assert activations.get(None) is activations.linear


def test_get_accepts_a_function_config_dict():
    config = {"module": "builtins", "class_name": "function", "config": "relu", "registered_name": "function"}
    assert activations.get(config) is activations.relu


def test_unknown_name_raises_a_clear_error():
    with pytest.raises(ValueError, match="Unknown activation function: 'relu_typo'.*'relu'"):
        activations.get("relu_typo")


def test_get_rejects_non_callables():
    with pytest.raises(ValueError, match="Could not interpret activation function identifier: 3"):
        activations.get(3)


def test_custom_functions_round_trip_through_the_registry():
    def scaled_tanh(x):
        return activations.tanh(x) * 2.0

    registered = object_registration.register_keras_serializable(package="tests")(scaled_tanh)
    try:
        config = activations.serialize(registered)
        assert config == {
            "module": "builtins",
            "class_name": "function",
            "config": "tests>scaled_tanh",
            "registered_name": "function",
        }
        assert activations.deserialize(config) is registered
        assert activations.get("tests>scaled_tanh") is registered
    finally:
        object_registration._GLOBAL_CUSTOM_OBJECTS.pop("tests>scaled_tanh", None)
        object_registration._GLOBAL_CUSTOM_NAMES.pop(registered, None)


def test_unregistered_functions_serialize_by_name_and_load_with_custom_objects():
    def double(x):
        return x * 2

    config = activations.serialize(double)
    assert config["config"] == "double"
    with pytest.raises(ValueError, match="double"):
        activations.deserialize(config)
    assert activations.deserialize(config, custom_objects={"double": double}) is double
    with object_registration.custom_object_scope({"double": double}):
        assert activations.get("double") is double


def test_lambdas_cannot_be_serialized():
    with pytest.raises(ValueError, match="lambda"):
        activations.serialize(lambda x: x)


def test_layer_config_form_matches_keras():
    # Keras writes built-in activations into layer configs as bare strings.
    assert serialization.serialize_keras_object(activations.serialize(activations.gelu)) == "gelu"
