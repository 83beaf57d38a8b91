"""The Loss base class: reductions, masks, names, configs, get/serialize/deserialize."""

import os

import numpy as np
import pytest
from testing_utils import assert_close

from lamina import losses
from lamina import ops
from lamina.backend.common import masking
from lamina.losses import loss as loss_module

CLASSES = [
    "CategoricalCrossentropy",
    "SparseCategoricalCrossentropy",
    "BinaryCrossentropy",
    "MeanSquaredError",
    "MeanAbsoluteError",
    "MeanAbsolutePercentageError",
    "MeanSquaredLogarithmicError",
]


@pytest.fixture(scope="module")
def keras():
    os.environ["KERAS_BACKEND"] = "jax"
    return pytest.importorskip("keras")


class AbsoluteSum(losses.Loss):
    def call(self, y_true, y_pred):
        return ops.sum(ops.abs(ops.subtract(y_pred, y_true)), axis=-1)


def test_custom_loss_reductions():
    y_true = np.zeros((4, 2), "float32")
    y_pred = np.arange(8, dtype="float32").reshape(4, 2)
    per_sample = y_pred.sum(axis=-1)
    weights = np.array([1.0, 0.0, 2.0, 1.0], "float32")
    assert_close(AbsoluteSum(reduction="sum")(y_true, y_pred), per_sample.sum())
    assert_close(AbsoluteSum()(y_true, y_pred), per_sample.mean())
    assert_close(AbsoluteSum(reduction="none")(y_true, y_pred, sample_weight=weights), per_sample * weights)
    assert_close(
        AbsoluteSum(reduction="mean_with_sample_weight")(y_true, y_pred, sample_weight=weights),
        (per_sample * weights).sum() / weights.sum(),
    )


def test_auto_name_and_default_dtype():
    assert AbsoluteSum().name == "absolute_sum"
    assert AbsoluteSum().name == "absolute_sum_1"
    assert AbsoluteSum().dtype == "float32"


def test_invalid_reduction_is_rejected():
    with pytest.raises(ValueError, match="Invalid value for argument `reduction`"):
        losses.MeanSquaredError(reduction="average")


def test_mask_on_predictions_averages_over_valid_positions():
    y_true = np.zeros((2, 3, 1), "float32")
    y_pred = ops.convert_to_tensor(np.arange(6, dtype="float32").reshape(2, 3, 1))
    mask = ops.convert_to_tensor(np.array([[True, True, False], [True, False, False]]))
    masking.set_keras_mask(y_pred, mask)
    values = np.arange(6, dtype="float64").reshape(2, 3) ** 2
    valid = ops.convert_to_numpy(mask)
    assert_close(losses.MeanSquaredError()(y_true, y_pred), (values * valid).sum() / valid.sum())
    assert_close(losses.MeanSquaredError(reduction="sum")(y_true, y_pred), (values * valid).sum())


def test_empty_and_scalar_values_are_returned_unreduced():
    scalar = loss_module.reduce_weighted_values(ops.convert_to_tensor(3.0))
    assert float(ops.convert_to_numpy(scalar)) == 3.0
    empty = loss_module.reduce_weighted_values(ops.zeros((0,)))
    assert tuple(empty.shape) == (0,)


@pytest.mark.parametrize("name", CLASSES)
def test_default_names_and_configs_match_keras(keras, name):
    ours = getattr(losses, name)()
    theirs = getattr(keras.losses, name)()
    assert ours.name == theirs.name
    assert ours.get_config() == theirs.get_config()
    assert losses.serialize(ours) == keras.losses.serialize(theirs)


@pytest.mark.parametrize("name", CLASSES)
def test_config_round_trip(name):
    original = getattr(losses, name)(reduction="sum", name="custom")
    restored = losses.deserialize(losses.serialize(original))
    assert type(restored) is type(original)
    assert restored.get_config() == original.get_config()


def test_non_default_arguments_survive_the_round_trip():
    original = losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=255, axis=1)
    restored = losses.deserialize(losses.serialize(original))
    assert (restored.from_logits, restored.ignore_class, restored.axis) == (True, 255, 1)
    smoothed = losses.CategoricalCrossentropy(label_smoothing=0.2, from_logits=True)
    assert losses.get(losses.serialize(smoothed)).get_config() == smoothed.get_config()


@pytest.mark.parametrize(
    "identifier, expected",
    [
        ("mse", "mean_squared_error"),
        ("MSE", "mean_squared_error"),
        ("mae", "mean_absolute_error"),
        ("mape", "mean_absolute_percentage_error"),
        ("msle", "mean_squared_logarithmic_error"),
        ("bce", "binary_crossentropy"),
        ("mean_squared_error", "mean_squared_error"),
        ("categorical_crossentropy", "categorical_crossentropy"),
        ("sparse_categorical_crossentropy", "sparse_categorical_crossentropy"),
        ("binary_crossentropy", "binary_crossentropy"),
    ],
)
def test_get_names_give_the_functions_keras_gives(keras, identifier, expected):
    found = losses.get(identifier)
    assert found.__name__ == expected
    assert keras.losses.get(identifier).__name__ == expected


def test_get_classes_dicts_instances_and_callables():
    assert isinstance(losses.get("CategoricalCrossentropy"), losses.CategoricalCrossentropy)
    from_dict = losses.get({"class_name": "BinaryCrossentropy", "config": {"from_logits": True}})
    assert isinstance(from_dict, losses.BinaryCrossentropy) and from_dict.from_logits
    instance = losses.MeanAbsoluteError()
    assert losses.get(instance) is instance

    def custom(y_true, y_pred):
        return y_pred

    assert losses.get(custom) is custom
    assert losses.get(None) is None
    with pytest.raises(ValueError, match="Could not interpret loss identifier"):
        losses.get("not_a_loss")


def test_functions_serialize_like_keras(keras):
    for name in ["mean_squared_error", "categorical_crossentropy", "binary_crossentropy"]:
        ours = losses.serialize(getattr(losses, name))
        assert ours == keras.losses.serialize(getattr(keras.losses, name))
        assert losses.deserialize(ours) is getattr(losses, name)


def test_loss_function_wrapper_config_round_trip():
    wrapper = loss_module.LossFunctionWrapper(losses.mean_absolute_error, name="wrapped", reduction="sum")
    config = wrapper.get_config()
    assert config["fn"]["config"] == "mean_absolute_error"
    restored = loss_module.LossFunctionWrapper.from_config(config)
    assert restored.fn is losses.mean_absolute_error
    assert_close(restored([[1.0, 2.0]], [[2.0, 2.0]]), 0.5)
