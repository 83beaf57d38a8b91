"""Constraints against NumPy, configs and lookup."""

import numpy as np
import pytest
from testing_utils import assert_close

from lamina import constraints
from lamina import ops

EPSILON = 1e-7
W = np.array([[3.0, 0.1, -2.0], [4.0, 0.2, 2.0], [0.0, -0.1, 1.0]], dtype="float32")


def _norms(w, axis):
    return np.sqrt(np.sum(np.square(w), axis=axis, keepdims=True))


def _max_norm(w, max_value, axis):
    norms = _norms(w, axis)
    return w * np.clip(norms, 0, max_value) / (norms + EPSILON)


def _min_max_norm(w, min_value, max_value, rate, axis):
    norms = _norms(w, axis)
    desired = rate * np.clip(norms, min_value, max_value) + (1 - rate) * norms
    return w * desired / (norms + EPSILON)


@pytest.mark.parametrize("axis", [0, 1, [0, 1]])
def test_max_norm(axis):
    axis_tuple = tuple(axis) if isinstance(axis, list) else axis
    output = constraints.MaxNorm(max_value=2.0, axis=axis)(ops.convert_to_tensor(W))
    assert_close(output, _max_norm(W, 2.0, axis_tuple))
    assert np.all(_norms(ops.convert_to_numpy(output), axis_tuple) <= 2.0 + 1e-5)


@pytest.mark.parametrize("rate", [1.0, 0.5])
def test_min_max_norm(rate):
    output = constraints.MinMaxNorm(min_value=1.0, max_value=2.0, rate=rate, axis=0)(ops.convert_to_tensor(W))
    assert_close(output, _min_max_norm(W, 1.0, 2.0, rate, 0))


def test_non_neg():
    assert_close(constraints.NonNeg()(ops.convert_to_tensor(W)), np.maximum(W, 0))


@pytest.mark.parametrize("axis", [0, 1])
def test_unit_norm(axis):
    output = constraints.UnitNorm(axis=axis)(ops.convert_to_tensor(W))
    assert_close(output, W / (_norms(W, axis) + EPSILON))
    np.testing.assert_allclose(_norms(ops.convert_to_numpy(output), axis), 1.0, rtol=1e-5)


def test_base_constraint_is_identity():
    assert constraints.Constraint()(W) is W


@pytest.mark.parametrize(
    "constraint, expected_config",
    [
        (constraints.MaxNorm(), {"max_value": 2, "axis": 0}),
        (constraints.MaxNorm(3.0, axis=[0, 1, 2]), {"max_value": 3.0, "axis": [0, 1, 2]}),
        (constraints.MinMaxNorm(), {"min_value": 0.0, "max_value": 1.0, "rate": 1.0, "axis": 0}),
        (constraints.NonNeg(), {}),
        (constraints.UnitNorm(axis=1), {"axis": 1}),
    ],
)
def test_config_round_trip(constraint, expected_config):
    cls = type(constraint)
    assert constraint.get_config() == expected_config
    assert cls.from_config(expected_config).get_config() == expected_config
    serialized = constraints.serialize(constraint)
    assert serialized == {
        "module": "keras.constraints",
        "class_name": cls.__name__,
        "config": expected_config,
        "registered_name": None,
    }
    assert constraints.deserialize(serialized).get_config() == expected_config
    assert constraints.get(serialized).get_config() == expected_config


@pytest.mark.parametrize(
    "name, cls",
    [
        ("max_norm", constraints.MaxNorm),
        ("MaxNorm", constraints.MaxNorm),
        ("min_max_norm", constraints.MinMaxNorm),
        ("non_neg", constraints.NonNeg),
        ("NonNeg", constraints.NonNeg),
        ("unit_norm", constraints.UnitNorm),
    ],
)
def test_get_by_name(name, cls):
    assert type(constraints.get(name)) is cls
    assert getattr(constraints, cls.__name__) is cls


def test_aliases_and_pass_through():
    assert constraints.max_norm is constraints.MaxNorm
    assert constraints.min_max_norm is constraints.MinMaxNorm
    assert constraints.non_neg is constraints.NonNeg
    assert constraints.unit_norm is constraints.UnitNorm
    assert constraints.get(None) is None
    constraint = constraints.NonNeg()
    assert constraints.get(constraint) is constraint


def test_unknown_identifiers_raise():
    with pytest.raises(ValueError, match="Unknown constraint: 'max_nrom'"):
        constraints.get("max_nrom")
    with pytest.raises(ValueError, match="Could not interpret constraint identifier"):
        constraints.get(5)


def test_projections_and_configs_match_keras():
    import os

    os.environ.setdefault("KERAS_BACKEND", "jax")
    keras = pytest.importorskip("keras")
    pairs = [
        (constraints.MaxNorm(1.5, axis=1), keras.constraints.MaxNorm(1.5, axis=1)),
        (constraints.MinMaxNorm(0.5, 2.0, 0.7, axis=0), keras.constraints.MinMaxNorm(0.5, 2.0, 0.7, axis=0)),
        (constraints.NonNeg(), keras.constraints.NonNeg()),
        (constraints.UnitNorm(axis=1), keras.constraints.UnitNorm(axis=1)),
    ]
    for ours, theirs in pairs:
        assert_close(ours(ops.convert_to_tensor(W)), np.asarray(theirs(keras.ops.convert_to_tensor(W))))
        serialized = keras.constraints.serialize(theirs)
        assert constraints.deserialize(serialized).get_config() == serialized["config"]
