"""Regularizers against NumPy, configs and lookup."""

import numpy as np
import pytest
from testing_utils import assert_close

from lamina import ops
from lamina import regularizers

W = np.array([[1.0, -2.0, 0.5], [-0.25, 3.0, -1.5]], dtype="float32")


def _orthogonal_reference(w, factor, mode):
    vectors = w if mode == "rows" else w.T
    vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    gram = vectors @ vectors.T
    size = gram.shape[0]
    off_diagonal = np.abs(gram - np.diag(np.diag(gram))).sum()
    return factor * 0.5 * off_diagonal / (size * (size - 1) / 2)


@pytest.mark.parametrize(
    "regularizer, expected",
    [
        (regularizers.L1(0.1), 0.1 * np.abs(W).sum()),
        (regularizers.L2(0.2), 0.2 * np.square(W).sum()),
        (regularizers.L1L2(l1=0.1, l2=0.2), 0.1 * np.abs(W).sum() + 0.2 * np.square(W).sum()),
        (regularizers.L1L2(), 0.0),
        (regularizers.OrthogonalRegularizer(0.3, "rows"), _orthogonal_reference(W, 0.3, "rows")),
        (regularizers.OrthogonalRegularizer(0.3, "columns"), _orthogonal_reference(W, 0.3, "columns")),
    ],
    ids=["l1", "l2", "l1l2", "l1l2_zero", "orthogonal_rows", "orthogonal_columns"],
)
def test_penalty_matches_numpy(regularizer, expected):
    penalty = regularizer(ops.convert_to_tensor(W))
    assert tuple(ops.shape(penalty)) == ()
    assert ops.dtype(penalty) == "float32"
    assert_close(penalty, expected)


def test_defaults_match_keras():
    assert regularizers.L1().get_config() == {"l1": 0.01}
    assert regularizers.L2().get_config() == {"l2": 0.01}
    assert regularizers.L1L2().get_config() == {"l1": 0.0, "l2": 0.0}
    assert regularizers.OrthogonalRegularizer().get_config() == {"factor": 0.01, "mode": "rows"}
    assert regularizers.L1(None).l1 == 0.01


@pytest.mark.parametrize(
    "regularizer",
    [
        regularizers.L1(0.3),
        regularizers.L2(0.4),
        regularizers.L1L2(0.1, 0.2),
        regularizers.OrthogonalRegularizer(0.5),
    ],
)
def test_config_round_trip(regularizer):
    cls = type(regularizer)
    config = regularizer.get_config()
    assert cls.from_config(config).get_config() == config
    serialized = regularizers.serialize(regularizer)
    assert serialized["module"] == "keras.regularizers"
    assert serialized["class_name"] == cls.__name__
    assert serialized["config"] == config
    assert regularizers.deserialize(serialized).get_config() == config
    assert regularizers.get(serialized).get_config() == config


@pytest.mark.parametrize(
    "name, cls",
    [
        ("l1", regularizers.L1),
        ("l2", regularizers.L2),
        ("l1_l2", regularizers.L1L2),
        ("L1L2", regularizers.L1L2),
        ("orthogonal_regularizer", regularizers.OrthogonalRegularizer),
        ("L2", regularizers.L2),
    ],
)
def test_get_by_name(name, cls):
    assert type(regularizers.get(name)) is cls


def test_aliases():
    assert regularizers.l1 is regularizers.L1
    assert regularizers.l2 is regularizers.L2
    assert regularizers.l1_l2 is regularizers.L1L2
    assert regularizers.orthogonal_regularizer is regularizers.OrthogonalRegularizer


def test_get_passes_callables_and_none():
    assert regularizers.get(None) is None
    regularizer = regularizers.L2()
    assert regularizers.get(regularizer) is regularizer

    def penalty(x):
        return ops.sum(x)

    assert regularizers.get(penalty) is penalty


def test_invalid_arguments_raise():
    with pytest.raises(ValueError, match="l2"):
        regularizers.L2(-1.0)
    with pytest.raises(ValueError, match="l1"):
        regularizers.L1L2(l1=float("nan"))
    with pytest.raises(ValueError, match="mode"):
        regularizers.OrthogonalRegularizer(mode="diagonal")
    with pytest.raises(ValueError, match="rank-2"):
        regularizers.OrthogonalRegularizer()(ops.ones((2, 2, 2)))
    with pytest.raises(ValueError, match="Unknown regularizer: 'l3'"):
        regularizers.get("l3")
    with pytest.raises(ValueError, match="Could not interpret regularizer identifier"):
        regularizers.get(1.0)


def test_base_regularizer_requires_get_config():
    with pytest.raises(NotImplementedError, match="get_config"):
        regularizers.Regularizer().get_config()


def test_penalties_and_configs_match_keras():
    import os

    os.environ.setdefault("KERAS_BACKEND", "jax")
    keras = pytest.importorskip("keras")
    pairs = [
        (regularizers.L1(0.25), keras.regularizers.L1(0.25)),
        (regularizers.L2(0.25), keras.regularizers.L2(0.25)),
        (regularizers.L1L2(0.25, 0.5), keras.regularizers.L1L2(0.25, 0.5)),
        (
            regularizers.OrthogonalRegularizer(0.25, "rows"),
            keras.regularizers.OrthogonalRegularizer(0.25, "rows"),
        ),
        (
            regularizers.OrthogonalRegularizer(0.25, "columns"),
            keras.regularizers.OrthogonalRegularizer(0.25, "columns"),
        ),
    ]
    for ours, theirs in pairs:
        assert_close(ours(ops.convert_to_tensor(W)), np.asarray(theirs(keras.ops.convert_to_tensor(W))))
        serialized = keras.regularizers.serialize(theirs)
        revived = regularizers.deserialize(serialized)
        assert type(revived) is type(ours)
        assert revived.get_config() == serialized["config"]
