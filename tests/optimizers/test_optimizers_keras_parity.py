"""Optimizers against Keras 3 (the oracle): same weights, same gradients, same values at every step."""

import os

import numpy as np
import pytest
from testing_utils import assert_close

import lamina
from lamina import optimizers
from lamina.backend.common.scopes import NameScope

RNG = np.random.default_rng(6)
SHAPES = [(3, 2), (2,)]
INITIAL = [RNG.normal(size=shape).astype("float32") for shape in SHAPES]
GRADIENTS = [[RNG.normal(size=shape).astype("float32") * 3 for shape in SHAPES] for _ in range(5)]

SETTINGS = {
    "sgd": ("SGD", {}),
    "sgd_lr": ("SGD", {"learning_rate": 0.2}),
    "sgd_momentum": ("SGD", {"momentum": 0.9}),
    "sgd_nesterov": ("SGD", {"momentum": 0.9, "nesterov": True}),
    "sgd_clipvalue": ("SGD", {"clipvalue": 0.5, "momentum": 0.5}),
    "sgd_weight_decay": ("SGD", {"weight_decay": 0.05, "learning_rate": 0.1}),
    "adam": ("Adam", {}),
    "adam_lr": ("Adam", {"learning_rate": 0.05, "beta_1": 0.8, "beta_2": 0.99, "epsilon": 1e-5}),
    "adam_amsgrad": ("Adam", {"amsgrad": True, "learning_rate": 0.01}),
    "adam_clipnorm": ("Adam", {"clipnorm": 0.5}),
    "adam_global_clipnorm": ("Adam", {"global_clipnorm": 1.0, "learning_rate": 0.1}),
    "adam_weight_decay": ("Adam", {"weight_decay": 0.1, "learning_rate": 0.01}),
    "adam_ema": ("Adam", {"use_ema": True, "ema_momentum": 0.9, "ema_overwrite_frequency": 3}),
    # Keras's eager gradient accumulation compiles a lax.cond per call (slow), so one short case.
    "sgd_accumulation": ("SGD", {"momentum": 0.9, "gradient_accumulation_steps": 2}),
    "adam_loss_scale": ("Adam", {"loss_scale_factor": 4.0}),
    "rmsprop": ("RMSprop", {}),
    "rmsprop_momentum": ("RMSprop", {"momentum": 0.9, "learning_rate": 0.01}),
    "rmsprop_centered": ("RMSprop", {"centered": True, "rho": 0.8, "momentum": 0.5}),
}


# Keras 3.15's Variable.numpy() (used by its get_config) trips NumPy 2's `copy` deprecation.
KERAS_NUMPY_WARNING = "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"


@pytest.fixture
def keras():
    os.environ["KERAS_BACKEND"] = "jax"
    keras = pytest.importorskip("keras")
    # Fresh automatic names (`adam`, not `adam_3`), as lamina's conftest gives lamina.
    keras.backend.clear_session()
    return keras


@pytest.mark.parametrize("setting", sorted(SETTINGS))
def test_every_step_matches_keras(keras, setting):
    class_name, kwargs = SETTINGS[setting]
    ours = getattr(optimizers, class_name)(**kwargs)
    theirs = getattr(keras.optimizers, class_name)(**kwargs)
    our_weights = [lamina.Variable(value, name=f"w{index}") for index, value in enumerate(INITIAL)]
    their_weights = [keras.Variable(value, name=f"w{index}") for index, value in enumerate(INITIAL)]
    for step, grads in enumerate(GRADIENTS):
        ours.apply([lamina.ops.convert_to_tensor(g) for g in grads], our_weights)
        theirs.apply(grads, their_weights)
        for our_weight, their_weight in zip(our_weights, their_weights):
            assert_close(our_weight.numpy(), np.asarray(their_weight.value), rtol=1e-6, atol=1e-7)
        assert len(ours.variables) == len(theirs.variables)
        for our_variable, their_variable in zip(ours.variables, theirs.variables):
            assert our_variable.path == their_variable.path, f"step {step}"
            assert_close(our_variable.numpy(), np.asarray(their_variable.value), rtol=1e-6, atol=1e-7)
    assert int(lamina.ops.convert_to_numpy(ours.iterations)) == int(np.asarray(theirs.iterations))


def test_weight_decay_exclusions_match_keras(keras):
    ours = optimizers.Adam(weight_decay=0.5, learning_rate=0.1)
    theirs = keras.optimizers.Adam(weight_decay=0.5, learning_rate=0.1)
    ours.exclude_from_weight_decay(var_names=["bias"])
    theirs.exclude_from_weight_decay(var_names=["bias"])
    our_weights = [lamina.Variable(INITIAL[0], name="kernel"), lamina.Variable(INITIAL[1], name="bias")]
    their_weights = [keras.Variable(INITIAL[0], name="kernel"), keras.Variable(INITIAL[1], name="bias")]
    for grads in GRADIENTS[:3]:
        ours.apply([lamina.ops.convert_to_tensor(g) for g in grads], our_weights)
        theirs.apply(grads, their_weights)
    for our_weight, their_weight in zip(our_weights, their_weights):
        assert_close(our_weight.numpy(), np.asarray(their_weight.value), rtol=1e-6, atol=1e-7)


def test_variable_names_and_order_match_keras(keras):
    for class_name, kwargs in [
        ("Adam", {"amsgrad": True}),
        ("SGD", {"momentum": 0.9}),
        ("SGD", {}),
        ("Adam", {"use_ema": True, "gradient_accumulation_steps": 2}),
    ]:
        with NameScope("dense"):
            our_weights = [
                lamina.Variable(INITIAL[0], name="kernel"),
                lamina.Variable(INITIAL[1], name="bias"),
            ]
        with keras.name_scope("dense"):
            their_weights = [
                keras.Variable(INITIAL[0], name="kernel"),
                keras.Variable(INITIAL[1], name="bias"),
            ]
        ours = getattr(optimizers, class_name)(**kwargs)
        theirs = getattr(keras.optimizers, class_name)(**kwargs)
        ours.build(our_weights)
        theirs.build(their_weights)
        assert [v.path for v in ours.variables] == [v.path for v in theirs.variables]
        assert [v.dtype for v in ours.variables] == [v.dtype for v in theirs.variables]
        lamina.backend.clear_session()
        keras.backend.clear_session()
    assert [v.path for v in ours.variables][:3] == [
        "adam/iteration",
        "adam/learning_rate",
        "adam/dense_kernel_average",
    ]


@pytest.mark.filterwarnings(KERAS_NUMPY_WARNING)
@pytest.mark.parametrize("class_name", ["SGD", "Adam"])
def test_configs_match_keras(keras, class_name):
    for kwargs in [{}, {"learning_rate": 0.05, "clipnorm": 1.0, "weight_decay": 0.01}]:
        ours = getattr(optimizers, class_name)(**kwargs)
        theirs = getattr(keras.optimizers, class_name)(**kwargs)
        assert ours.get_config() == theirs.get_config()
        assert optimizers.serialize(ours) == keras.optimizers.serialize(theirs)
        lamina.backend.clear_session()
        keras.backend.clear_session()
