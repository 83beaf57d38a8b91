"""AdamW, Adagrad, Adadelta, Adamax, Nadam, Ftrl, Lion, Lamb and Adafactor against Keras 3 (the oracle).

Same starting weights and gradients on both sides; every weight and every
optimizer variable (value and path) must agree after each step.
"""

import numpy as np
import pytest
from testing_utils import assert_close

import lamina
from lamina import optimizers
from lamina.backend.common.scopes import NameScope

RNG = np.random.default_rng(11)
SHAPES = [(3, 2), (2,), (2, 2, 3)]
INITIAL = [RNG.normal(size=shape).astype("float32") for shape in SHAPES]
GRADIENTS = [[RNG.normal(size=shape).astype("float32") * 2 for shape in SHAPES] for _ in range(4)]
NAMES = ["AdamW", "Adagrad", "Adadelta", "Adamax", "Nadam", "Ftrl", "Lion", "Lamb", "Adafactor"]

SETTINGS = {
    "adamw": ("AdamW", {}),
    "adamw_custom": ("AdamW", {"learning_rate": 0.05, "weight_decay": 0.1, "beta_1": 0.8, "epsilon": 1e-5}),
    "adamw_amsgrad": ("AdamW", {"amsgrad": True, "learning_rate": 0.01}),
    "adamw_clipnorm": ("AdamW", {"clipnorm": 0.5, "learning_rate": 0.01}),
    "adamw_global_clipnorm": ("AdamW", {"global_clipnorm": 1.0, "learning_rate": 0.1}),
    "adamw_clipvalue": ("AdamW", {"clipvalue": 0.3, "learning_rate": 0.1}),
    "adamw_ema": ("AdamW", {"use_ema": True, "ema_momentum": 0.9, "ema_overwrite_frequency": 3}),
    "adamw_accumulation": ("AdamW", {"gradient_accumulation_steps": 2, "learning_rate": 0.1}),
    "adagrad": ("Adagrad", {"learning_rate": 0.1}),
    "adagrad_custom": ("Adagrad", {"initial_accumulator_value": 0.5, "epsilon": 1e-3, "weight_decay": 0.1}),
    "adadelta": ("Adadelta", {"learning_rate": 1.0}),
    "adadelta_custom": ("Adadelta", {"learning_rate": 0.5, "rho": 0.8, "epsilon": 1e-4, "clipnorm": 1.0}),
    "adamax": ("Adamax", {"learning_rate": 0.05}),
    "adamax_custom": ("Adamax", {"beta_1": 0.7, "beta_2": 0.9, "global_clipnorm": 2.0}),
    "nadam": ("Nadam", {"learning_rate": 0.05}),
    "nadam_weight_decay": ("Nadam", {"weight_decay": 0.1, "learning_rate": 0.05}),
    "nadam_clipnorm": ("Nadam", {"clipnorm": 0.5, "learning_rate": 0.05}),
    "nadam_global_clipnorm": ("Nadam", {"global_clipnorm": 1.0, "learning_rate": 0.05}),
    "nadam_clipvalue": ("Nadam", {"clipvalue": 0.3, "learning_rate": 0.05}),
    "nadam_ema": ("Nadam", {"use_ema": True, "ema_momentum": 0.8, "ema_overwrite_frequency": 2}),
    "nadam_accumulation": ("Nadam", {"gradient_accumulation_steps": 2, "learning_rate": 0.05}),
    "ftrl": ("Ftrl", {"learning_rate": 0.1}),
    "ftrl_regularized": (
        "Ftrl",
        {
            "learning_rate": 0.2,
            "learning_rate_power": -0.7,
            "initial_accumulator_value": 0.3,
            "l1_regularization_strength": 0.05,
            "l2_regularization_strength": 0.1,
            "l2_shrinkage_regularization_strength": 0.02,
            "beta": 0.5,
        },
    ),
    "lion": ("Lion", {"learning_rate": 0.01}),
    "lion_custom": ("Lion", {"beta_1": 0.5, "beta_2": 0.9, "weight_decay": 0.1, "clipvalue": 1.0}),
    "lamb": ("Lamb", {"learning_rate": 0.05}),
    "lamb_custom": ("Lamb", {"beta_1": 0.8, "beta_2": 0.95, "epsilon": 1e-4, "weight_decay": 0.01}),
    "adafactor": ("Adafactor", {"learning_rate": 0.1}),
    "adafactor_custom": (
        "Adafactor",
        {"beta_2_decay": -0.6, "epsilon_2": 1e-2, "clip_threshold": 0.5, "relative_step": False},
    ),
}

# Keras 3.15's Variable.numpy() (used by its get_config) trips NumPy 2's `copy` deprecation.
keras_oracle = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")


@pytest.fixture
def fresh_keras(keras):
    # Fresh automatic names (`adam_w`, not `adam_w_3`), as lamina's conftest gives lamina.
    keras.backend.clear_session()
    return keras


def _pair(keras, class_name, kwargs):
    return getattr(optimizers, class_name)(**kwargs), getattr(keras.optimizers, class_name)(**kwargs)


# The bar is 1e-6 relative. One exception off JAX: torch's and NumPy's float32
# `pow(x, -0.7)` differ from XLA's by an ulp, and Ftrl's `linear` slot subtracts nearly
# equal terms, which amplifies that to 2e-6 after a few steps.
NON_JAX_RELATIVE_TOLERANCE = {"ftrl_regularized": 5e-6}


@keras_oracle
@pytest.mark.parametrize("setting", sorted(SETTINGS))
def test_every_step_matches_keras(fresh_keras, setting):
    rtol = 1e-6 if lamina.backend.backend() == "jax" else NON_JAX_RELATIVE_TOLERANCE.get(setting, 1e-6)
    ours, theirs = _pair(fresh_keras, *SETTINGS[setting])
    our_weights = [lamina.Variable(value, name=f"w{index}") for index, value in enumerate(INITIAL)]
    their_weights = [fresh_keras.Variable(value, name=f"w{index}") for index, value in enumerate(INITIAL)]
    for step, grads in enumerate(GRADIENTS):
        ours.apply([lamina.ops.convert_to_tensor(g) for g in grads], our_weights)
        theirs.apply(grads, their_weights)
        for our_weight, their_weight in zip(our_weights, their_weights):
            assert_close(our_weight.numpy(), np.asarray(their_weight.value), rtol=rtol, atol=1e-7)
        assert [v.path for v in ours.variables] == [v.path for v in theirs.variables], f"step {step}"
        for our_variable, their_variable in zip(ours.variables, theirs.variables):
            assert_close(our_variable.numpy(), np.asarray(their_variable.value), rtol=rtol, atol=1e-7)
    assert int(lamina.ops.convert_to_numpy(ours.iterations)) == int(np.asarray(theirs.iterations))


@pytest.mark.parametrize("class_name", NAMES)
@pytest.mark.parametrize("kwargs", [{}, {"use_ema": True, "gradient_accumulation_steps": 2}])
def test_variable_names_order_and_dtypes_match_keras(fresh_keras, class_name, kwargs):
    with NameScope("dense"):
        our_weights = [lamina.Variable(INITIAL[0], name="kernel"), lamina.Variable(INITIAL[1], name="bias")]
    with fresh_keras.name_scope("dense"):
        their_weights = [
            fresh_keras.Variable(INITIAL[0], name="kernel"),
            fresh_keras.Variable(INITIAL[1], name="bias"),
        ]
    ours, theirs = _pair(fresh_keras, class_name, kwargs)
    ours.build(our_weights)
    theirs.build(their_weights)
    assert [v.path for v in ours.variables] == [v.path for v in theirs.variables]
    assert [v.dtype for v in ours.variables] == [v.dtype for v in theirs.variables]
    assert [tuple(v.shape) for v in ours.variables] == [tuple(v.shape) for v in theirs.variables]


@keras_oracle
@pytest.mark.parametrize("class_name", NAMES)
def test_configs_and_serialization_match_keras(fresh_keras, class_name):
    non_default = {"learning_rate": 0.05, "clipnorm": 1.0, "weight_decay": 0.01, "name": "custom"}
    for kwargs in [{}, non_default]:
        ours, theirs = _pair(fresh_keras, class_name, kwargs)
        assert ours.get_config() == theirs.get_config()
        assert optimizers.serialize(ours) == fresh_keras.optimizers.serialize(theirs)
        their_dict = fresh_keras.saving.serialize_keras_object(theirs)
        assert lamina.saving.serialize_keras_object(ours) == their_dict
        rebuilt = lamina.saving.deserialize_keras_object(their_dict)
        assert type(rebuilt) is type(ours)
        assert rebuilt.get_config() == theirs.get_config()
        assert optimizers.deserialize(optimizers.serialize(ours)).get_config() == ours.get_config()


@pytest.mark.parametrize("class_name", NAMES)
def test_string_names_resolve(class_name):
    for identifier in (class_name, class_name.lower()):
        optimizer = optimizers.get(identifier)
        assert type(optimizer) is getattr(optimizers, class_name)
    assert optimizers.get("adamw").get_config()["weight_decay"] == 0.004


def test_argument_checks():
    with pytest.raises(ValueError, match="weight_decay"):
        optimizers.AdamW(weight_decay=None)
    with pytest.raises(ValueError, match="beta_1"):
        optimizers.Lion(beta_1=0.0)
    with pytest.raises(ValueError, match="learning_rate_power"):
        optimizers.Ftrl(learning_rate_power=0.5)
    with pytest.raises(ValueError, match="l1_regularization_strength"):
        optimizers.Ftrl(l1_regularization_strength=-1.0)
    with pytest.raises(ValueError, match="initial_accumulator_value"):
        optimizers.Ftrl(initial_accumulator_value=-0.1)
    with pytest.raises(ValueError, match="not recognized"):
        optimizers.Nadam(amsgrad=True)
