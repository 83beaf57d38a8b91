"""The intersection-over-union metrics against a NumPy confusion matrix and Keras 3."""

import warnings

import numpy as np
import pytest
from testing_utils import assert_close

import lamina
from lamina import metrics
from lamina.metrics.iou_metrics import confusion_matrix

RNG = np.random.default_rng(5)
CLASSES = 3


def _reference_iou(labels, predictions, weights, target_class_ids, ignore_class=None):
    matrix = np.zeros((CLASSES, CLASSES))
    for label, prediction, weight in zip(labels, predictions, weights):
        in_range = 0 <= label < CLASSES and 0 <= prediction < CLASSES
        if in_range and label != ignore_class:
            matrix[label, prediction] += weight
    true_positives = np.diag(matrix)
    denominator = matrix.sum(0) + matrix.sum(1) - true_positives
    ids = list(target_class_ids)
    valid = denominator[ids] > 0
    return (true_positives[ids][valid] / denominator[ids][valid]).sum() / max(valid.sum(), 1e-7)


def _sparse_batch():
    labels = RNG.integers(0, CLASSES, size=(2, 4)).astype("int32")
    return labels, RNG.integers(0, CLASSES, size=(2, 4)).astype("int32")


def _one_hot_batch():
    labels = RNG.integers(0, CLASSES, size=(8,))
    return np.eye(CLASSES, dtype="float32")[labels], RNG.uniform(size=(8, CLASSES)).astype("float32")


CASES = {
    "IoU": (lambda: metrics.IoU(CLASSES, [0, 2], name="m"), "IoU", (CLASSES, [0, 2]), _sparse_batch),
    "IoU_ignore": (
        lambda: metrics.IoU(CLASSES, [1], name="m", ignore_class=2),
        "IoU",
        (CLASSES, [1]),
        _sparse_batch,
    ),
    "MeanIoU": (lambda: metrics.MeanIoU(CLASSES, name="m"), "MeanIoU", (CLASSES,), _sparse_batch),
    "MeanIoU_ignore": (
        lambda: metrics.MeanIoU(CLASSES, name="m", ignore_class=0),
        "MeanIoU",
        (CLASSES,),
        _sparse_batch,
    ),
    "OneHotIoU": (lambda: metrics.OneHotIoU(CLASSES, [0, 1], name="m"), "OneHotIoU", (CLASSES, [0, 1]), None),
    "OneHotMeanIoU": (lambda: metrics.OneHotMeanIoU(CLASSES, name="m"), "OneHotMeanIoU", (CLASSES,), None),
}


def _keras_update(metric, *args, **kwargs):
    # Keras's own IoU code asks JAX for int64 and warns about it.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        metric.update_state(*args, **kwargs)


def _keras_metric(keras, case):
    ours = CASES[case][0]()
    config = dict(ours.get_config())
    return getattr(keras.metrics, CASES[case][1]).from_config(config)


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("weighted", [False, True])
def test_iou_metrics_match_numpy_and_keras(keras, case, weighted):
    ours = CASES[case][0]()
    theirs = _keras_metric(keras, case)
    one_hot = CASES[case][3] is None
    all_labels, all_predictions, all_weights = [], [], []
    for step in range(3):
        y_true, y_pred = _one_hot_batch() if one_hot else _sparse_batch()
        weights = None
        if weighted and step != 1:
            # Integer weights: the default int32 confusion matrix truncates floats.
            weights = RNG.integers(0, 3, size=y_true.shape[:1] if one_hot else y_true.shape).astype("int32")
        ours.update_state(y_true, y_pred, sample_weight=weights)
        _keras_update(theirs, y_true, y_pred, sample_weight=weights)
        labels = y_true.argmax(-1) if one_hot else y_true.reshape(-1)
        predictions = y_pred.argmax(-1) if one_hot else y_pred.reshape(-1)
        all_labels.extend(labels)
        all_predictions.extend(predictions)
        all_weights.extend(np.ones(len(labels)) if weights is None else weights.reshape(-1))
    target_ids = ours.target_class_ids
    expected = _reference_iou(all_labels, all_predictions, all_weights, target_ids, ours.ignore_class)
    assert_close(ours.result(), expected, rtol=1e-5, atol=1e-6)
    assert_close(ours.result(), np.asarray(theirs.result()), rtol=1e-6, atol=1e-7)
    assert ours.get_config() == theirs.get_config()
    assert_close(ours.total_cm.value, np.asarray(theirs.total_cm.value))
    ours.reset_state()
    assert float(ours.result()) == 0.0


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.8])
@pytest.mark.parametrize("target_class_ids", [(0, 1), [0], [1]])
def test_binary_iou_matches_keras(keras, threshold, target_class_ids):
    ours = metrics.BinaryIoU(target_class_ids=target_class_ids, threshold=threshold, name="b")
    theirs = keras.metrics.BinaryIoU(target_class_ids=target_class_ids, threshold=threshold, name="b")
    for _ in range(2):
        y_true = RNG.integers(0, 2, size=(6, 1)).astype("int32")
        y_pred = RNG.uniform(size=(6, 1)).astype("float32")
        ours.update_state(y_true, y_pred)
        _keras_update(theirs, y_true, y_pred)
    assert_close(ours.result(), np.asarray(theirs.result()), rtol=1e-6, atol=1e-7)
    assert ours.get_config() == theirs.get_config()


def test_float_weights_are_truncated_like_keras(keras):
    y_true, y_pred = np.array([0, 1, 1, 2, 5, -1], "int32"), np.array([0, 1, 0, 2, 1, 0], "int32")
    weights = np.array([0.5, 1.7, 1.0, 2.9, 1.0, 1.0], "float32")
    for dtype in (None, "float32"):
        ours = metrics.MeanIoU(CLASSES, name="m", dtype=dtype)
        theirs = keras.metrics.MeanIoU(CLASSES, name="m", dtype=dtype)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ours.update_state(y_true, y_pred, sample_weight=weights)
            _keras_update(theirs, y_true, y_pred, sample_weight=weights)
        assert_close(ours.result(), np.asarray(theirs.result()), rtol=1e-6)
        assert lamina.backend.standardize_dtype(ours.total_cm.dtype) == ("int32" if dtype is None else dtype)


def test_dense_predictions_with_sparse_flags(keras):
    y_true = np.array([[0.1, 0.9, 0.0], [0.8, 0.1, 0.1]], "float32")
    y_pred = np.array([[0.2, 0.7, 0.1], [0.1, 0.1, 0.8]], "float32")
    ours = metrics.MeanIoU(CLASSES, sparse_y_true=False, sparse_y_pred=False, name="m")
    theirs = keras.metrics.MeanIoU(CLASSES, sparse_y_true=False, sparse_y_pred=False, name="m")
    ours.update_state(y_true, y_pred)
    _keras_update(theirs, y_true, y_pred)
    assert_close(ours.result(), np.asarray(theirs.result()))
    ours = metrics.OneHotIoU(CLASSES, [1], sparse_y_pred=True, name="m")
    theirs = keras.metrics.OneHotIoU(CLASSES, [1], sparse_y_pred=True, name="m")
    ours.update_state(y_true, np.array([1, 1], "int32"))
    _keras_update(theirs, y_true, np.array([1, 1], "int32"))
    assert_close(ours.result(), np.asarray(theirs.result()))


def test_confusion_matrix_and_errors():
    matrix = confusion_matrix([0, 2, 2, 1], [0, 2, 1, 1], 3, weights=[1, 2, 3, 4])
    assert lamina.ops.convert_to_numpy(matrix).tolist() == [[1, 0, 0], [0, 4, 0], [0, 3, 2]]
    with pytest.raises(ValueError, match="out of range"):
        metrics.IoU(num_classes=2, target_class_ids=[2])


@pytest.mark.parametrize(
    "name, args",
    [
        ("IoU", (3, [0, 1])),
        ("BinaryIoU", ()),
        ("MeanIoU", (3,)),
        ("OneHotIoU", (3, [2])),
        ("OneHotMeanIoU", (3,)),
    ],
)
def test_serialization_matches_keras(keras, name, args):
    ours = getattr(metrics, name)(*args, name="saved")
    theirs = getattr(keras.metrics, name)(*args, name="saved")
    assert lamina.saving.serialize_keras_object(ours) == keras.saving.serialize_keras_object(theirs)
    rebuilt = lamina.saving.deserialize_keras_object(keras.saving.serialize_keras_object(theirs))
    assert type(rebuilt) is type(ours)
    assert rebuilt.get_config() == ours.get_config()


def test_default_names_match_keras():
    assert metrics.IoU(2, [0]).name == "io_u"
    assert metrics.BinaryIoU().name == "binary_io_u"
    assert metrics.MeanIoU(2).name == "mean_io_u"
    assert metrics.OneHotIoU(2, [0]).name == "one_hot_io_u"
    assert metrics.OneHotMeanIoU(2).name == "one_hot_mean_io_u"
