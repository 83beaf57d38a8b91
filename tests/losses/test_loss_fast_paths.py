"""The eager shortcuts of the loss path give the general path's values, dtypes and errors."""

import numpy as np
import pytest

import lamina
from lamina import ops
from lamina.losses import probabilistic
from lamina.trainers.compile_utils import CompileLoss
from lamina.trainers.compile_utils import CompileMetrics


def _data(seed=0, batch=6, classes=4):
    rng = np.random.default_rng(seed)
    output = rng.uniform(0.05, 1.0, size=(batch, classes)).astype("float32")
    output /= output.sum(axis=-1, keepdims=True)
    labels = rng.integers(0, classes, size=(batch,))
    return np.eye(classes, dtype="float32")[labels], output, labels


@pytest.mark.parametrize("loss", ["categorical_crossentropy", "mean_squared_error", "binary_crossentropy"])
@pytest.mark.parametrize("weighted", [False, True])
def test_single_output_shortcut_equals_the_structured_path(loss, weighted):
    target, output, _ = _data()
    target_tensor, output_tensor = ops.convert_to_tensor(target), ops.convert_to_tensor(output)
    sample_weight = ops.convert_to_tensor(np.linspace(0.5, 1.5, 6).astype("float32")) if weighted else None
    single = CompileLoss(loss, loss_weights=0.5)
    structured = CompileLoss(loss, loss_weights=0.5)
    total, parts = single(target_tensor, output_tensor, sample_weight)
    weights = [sample_weight] if weighted else None
    expected_total, expected_parts = structured([target_tensor], [output_tensor], weights)
    assert len(parts) == len(expected_parts) == 1
    for got, expected in ((total, expected_total), (parts[0], expected_parts[0])):
        assert ops.convert_to_numpy(got).dtype == ops.convert_to_numpy(expected).dtype
        np.testing.assert_array_equal(ops.convert_to_numpy(got), ops.convert_to_numpy(expected))


def test_single_output_total_matches_numpy():
    target, output, _ = _data(1)
    total, _ = CompileLoss("categorical_crossentropy", loss_weights=2.0)(
        ops.convert_to_tensor(target), ops.convert_to_tensor(output)
    )
    expected = -(target * np.log(np.clip(output, 1e-7, 1 - 1e-7))).sum(axis=-1).mean() * 2.0
    np.testing.assert_allclose(float(ops.convert_to_numpy(total)), expected, rtol=1e-5)


def test_compile_metrics_without_metrics_is_a_no_op():
    target, output, _ = _data()
    metrics = CompileMetrics(None)
    metrics.update_state(ops.convert_to_tensor(target), ops.convert_to_tensor(output))
    assert metrics.built and metrics.metrics == []


def test_crossentropy_shape_errors_repeat_after_good_calls():
    target, output, labels = _data()
    output_tensor = ops.convert_to_tensor(output)
    for _ in range(2):
        probabilistic.categorical_crossentropy(ops.convert_to_tensor(target), output_tensor)
        probabilistic.sparse_categorical_crossentropy(ops.convert_to_tensor(labels), output_tensor)
    for _ in range(2):  # the failing signature is not cached: it raises every time
        with pytest.raises(ValueError, match="For integer class labels use sparse_categorical_crossentropy"):
            probabilistic.categorical_crossentropy(ops.convert_to_tensor(labels), output_tensor)
        with pytest.raises(ValueError, match="For one-hot targets use categorical_crossentropy"):
            probabilistic.sparse_categorical_crossentropy(ops.convert_to_tensor(target), output_tensor)


@pytest.mark.parametrize("label_dtype", ["float32", "int32", "float16"])
def test_categorical_crossentropy_casts_targets_to_the_prediction_dtype(label_dtype):
    target, output, _ = _data(2)
    values = probabilistic.categorical_crossentropy(ops.convert_to_tensor(target, dtype=label_dtype), output)
    assert lamina.backend.standardize_dtype(values.dtype) == "float32"
    expected = -(target * np.log(np.clip(output, 1e-7, 1 - 1e-7))).sum(axis=-1)
    np.testing.assert_allclose(ops.convert_to_numpy(values), expected, rtol=1e-5)


@pytest.mark.requires_trainable_backend
def test_added_losses_and_regularizers_still_reach_the_total():
    inputs = lamina.Input((3,))
    hidden = lamina.layers.Dense(2, kernel_regularizer=lamina.regularizers.L2(0.5), use_bias=False)(inputs)
    model = lamina.Model(inputs, hidden)
    model.compile(loss="mean_squared_error")
    x = ops.convert_to_tensor(np.ones((2, 3), "float32"))
    y = ops.convert_to_tensor(np.zeros((2, 2), "float32"))
    y_pred = model(x)
    total, _ = model._compute_loss_parts(x, y, y_pred, None)
    kernel = ops.convert_to_numpy(model.layers[-1].kernel.value)
    prediction = np.ones((2, 3), "float32") @ kernel
    expected = np.mean(prediction**2) + 0.5 * np.sum(kernel**2)
    np.testing.assert_allclose(float(ops.convert_to_numpy(total)), expected, rtol=1e-5)
    model.layers[-1].add_loss(ops.convert_to_tensor(3.0))
    total, _ = model._compute_loss_parts(x, y, y_pred, None)
    np.testing.assert_allclose(float(ops.convert_to_numpy(total)), expected + 3.0, rtol=1e-5)
