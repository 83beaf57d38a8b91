"""The crossentropy ops check each call signature once; new signatures are still checked."""

import numpy as np
import pytest

import lamina
from lamina import ops
from lamina.ops import nn_classification
from lamina.ops import plan_cache


def _probabilities(shape, seed=0):
    values = np.random.default_rng(seed).uniform(0.05, 1.0, size=shape).astype("float32")
    return values / values.sum(axis=-1, keepdims=True)


def _reference_categorical(target, output):
    output = np.clip(output / output.sum(axis=-1, keepdims=True), 1e-7, 1 - 1e-7)
    return -(target * np.log(output)).sum(axis=-1)


def test_repeated_calls_match_numpy():
    output = _probabilities((4, 3))
    target = np.eye(3, dtype="float32")[[0, 2, 1, 1]]
    first = ops.convert_to_numpy(ops.categorical_crossentropy(target, output))
    for _ in range(3):
        again = ops.convert_to_numpy(
            ops.categorical_crossentropy(ops.convert_to_tensor(target), ops.convert_to_tensor(output))
        )
        np.testing.assert_allclose(again, first, rtol=1e-6)
    np.testing.assert_allclose(first, _reference_categorical(target, output), rtol=1e-5)


def test_bad_shapes_raise_after_good_calls_of_the_same_op():
    output = ops.convert_to_tensor(_probabilities((4, 3)))
    target = ops.convert_to_tensor(np.eye(3, dtype="float32")[[0, 2, 1, 1]])
    for _ in range(2):
        ops.categorical_crossentropy(target, output)
    bad_target = ops.convert_to_tensor(np.eye(4, dtype="float32")[[0, 2, 1, 1]])
    for _ in range(2):  # a failing signature is never cached
        with pytest.raises(
            ValueError, match="categorical_crossentropy expects target and output of the same"
        ):
            ops.categorical_crossentropy(bad_target, output)


def test_bad_axis_raises_after_good_calls():
    output = ops.convert_to_tensor(_probabilities((2, 3)))
    target = ops.convert_to_tensor(np.eye(3, dtype="float32")[[0, 2]])
    ops.categorical_crossentropy(target, output, axis=-1)
    with pytest.raises(ValueError, match="categorical_crossentropy"):
        ops.categorical_crossentropy(target, output, axis=5)


def test_sparse_bad_labels_raise_after_good_calls():
    output = ops.convert_to_tensor(_probabilities((4, 3)))
    labels = ops.convert_to_tensor(np.array([0, 2, 1, 1], dtype="int32"))
    values = ops.convert_to_numpy(ops.sparse_categorical_crossentropy(labels, output))
    expected = -np.log(np.clip(ops.convert_to_numpy(output)[np.arange(4), [0, 2, 1, 1]], 1e-7, 1 - 1e-7))
    np.testing.assert_allclose(values, expected, rtol=1e-5)
    wrong = ops.convert_to_tensor(np.array([0, 2, 1], dtype="int32"))
    for _ in range(2):
        with pytest.raises(ValueError, match="sparse_categorical_crossentropy expects integer targets"):
            ops.sparse_categorical_crossentropy(wrong, output)


def test_binary_bad_shapes_raise_after_good_calls():
    output = ops.convert_to_tensor(np.array([[0.2, 0.7]], dtype="float32"))
    target = ops.convert_to_tensor(np.array([[0.0, 1.0]], dtype="float32"))
    values = ops.convert_to_numpy(ops.binary_crossentropy(target, output))
    np.testing.assert_allclose(values, -np.log([[0.8, 0.7]]), rtol=1e-5)
    with pytest.raises(ValueError, match="binary_crossentropy expects target and output of the same"):
        ops.binary_crossentropy(ops.convert_to_tensor(np.zeros((1, 3), "float32")), output)


def test_a_signature_is_checked_once(monkeypatch):
    calls = []
    original = nn_classification._categorical_rule
    monkeypatch.setattr(nn_classification, "_CHECKED", plan_cache.PlanCache())

    def counting_rule(*args):
        calls.append(1)
        return original(*args)

    counting_rule.__name__ = "counting_rule"
    output = ops.convert_to_tensor(_probabilities((2, 3)))
    target = ops.convert_to_tensor(np.eye(3, dtype="float32")[[0, 1]])
    for _ in range(3):
        nn_classification._check_once(counting_rule, target, output, False, -1)
    assert len(calls) == 1
    nn_classification._check_once(counting_rule, target, output, False, 0)  # a new axis: checked
    assert len(calls) == 2
    # Lists have no static signature: checked on every call.
    nn_classification._check_once(counting_rule, [[1.0, 0.0, 0.0]], [[0.5, 0.25, 0.25]], False, -1)
    nn_classification._check_once(counting_rule, [[1.0, 0.0, 0.0]], [[0.5, 0.25, 0.25]], False, -1)
    assert len(calls) == 4


def test_symbolic_calls_still_use_the_rule():
    target = lamina.KerasTensor((None, 3))
    output = lamina.KerasTensor((None, 3))
    assert ops.categorical_crossentropy(target, output).shape == (None,)
    with pytest.raises(ValueError, match="same shape"):
        ops.categorical_crossentropy(lamina.KerasTensor((None, 4)), output)


def test_tensor_signature_distinguishes_dtypes_and_shapes():
    a = ops.zeros((2, 3), dtype="float32")
    assert plan_cache.tensor_signature(a) == plan_cache.tensor_signature(ops.ones((2, 3), dtype="float32"))
    assert plan_cache.tensor_signature(a) != plan_cache.tensor_signature(ops.zeros((2, 3), dtype="float16"))
    assert plan_cache.tensor_signature(a) != plan_cache.tensor_signature(ops.zeros((3, 2), dtype="float32"))
    assert plan_cache.tensor_signature(1.0) is None
