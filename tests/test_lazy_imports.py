"""Making one layer imports only what that layer needs; every public name stays reachable.

`lamina.layers` imports each layer module on the first use of one of its names,
`lamina.saving` its file formats on the first save or load, and the torch
backend ml_dtypes on the first bfloat16 read-back: `import lamina;
lamina.layers.Dense(1)` stays close to `import torch` alone. Each probe runs in a
fresh interpreter.
"""

import pytest

from lamina import layers
from tests.test_import import _run_probe

# Modules a bare Dense(1) must not import, now loaded on first use.
_LAZY_MODULES = (
    "lamina.layers.convolutional.conv2d",
    "lamina.layers.rnn.lstm",
    "lamina.layers.attention.multi_head_attention",
    "lamina.layers.preprocessing.text_vectorization",
    "lamina.saving.saving_api",
    "lamina.saving.saving_lib",
    "ml_dtypes",
)
_PROBE = f"""
import json
import sys

import lamina

layer = lamina.layers.Dense(1)
loaded = [name for name in {_LAZY_MODULES!r} if name in sys.modules]
layer_modules = sorted(name for name in sys.modules if name.startswith("lamina.layers."))
print(json.dumps({{"loaded": loaded, "layer_modules": len(layer_modules)}}))
"""


def _probe(backend_name):
    return _run_probe(_PROBE, backend_name)


@pytest.mark.parametrize("backend_name", ["torch", "jax"])
def test_making_a_dense_layer_does_not_import_the_other_layers(backend_name):
    if backend_name == "torch":
        pytest.importorskip("torch")
    stages = _probe(backend_name)
    assert stages["loaded"] == []
    # Dense's own modules and the Layer machinery, not the 140-odd layer modules.
    assert stages["layer_modules"] < 40


def test_every_public_layer_name_resolves_and_is_listed():
    names = list(layers._NAMES)
    assert len(names) > 130
    listed = dir(layers)
    for name in names:
        assert name in listed
        value = getattr(layers, name)
        assert value is not None
    assert layers.Convolution2D is layers.Conv2D
    assert layers.GroupQueryAttention is layers.GroupedQueryAttention
    from lamina.layers import MaxPool2D
    from lamina.layers import MaxPooling2D

    assert MaxPool2D is MaxPooling2D
    assert issubclass(layers.Dense, layers.Layer)
    with pytest.raises(AttributeError, match="NoSuchLayer"):
        layers.NoSuchLayer  # noqa: B018


def test_a_layer_not_yet_imported_deserializes_by_name():
    # Name-based deserialization finds layers through dir(): a fresh interpreter
    # that never named GaussianNoise must still find it.
    probe = """
import json

import lamina
config = {"module": "keras.layers", "class_name": "GaussianNoise",
          "config": {"stddev": 0.1, "name": "noise"}, "registered_name": None}
layer = lamina.layers.deserialize(config)
print(json.dumps([type(layer).__name__, layer.name, layer.stddev]))
"""
    assert _run_probe(probe, "numpy") == ["GaussianNoise", "noise", 0.1]


def test_lazy_saving_names_resolve():
    from lamina import saving
    from lamina.saving import saving_api

    for name in ("load_model", "load_weights", "save_model", "save_weights"):
        assert name in dir(saving)
        assert getattr(saving, name) is getattr(saving_api, name)
    assert saving.serialize_keras_object is not None
    with pytest.raises(AttributeError, match="no_such_name"):
        saving.no_such_name  # noqa: B018
