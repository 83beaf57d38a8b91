"""The normalization layers through `run_layer_test`, NumPy references and argument errors."""

import numpy as np
import pytest
from layers.layer_test_case import run_layer_test
from testing_utils import assert_close

import lamina
from lamina import layers
from lamina import ops


@pytest.mark.parametrize("training", [False, True])
def test_batch_normalization_basics(training):
    run_layer_test(
        layers.BatchNormalization,
        init_kwargs={"momentum": 0.9},
        input_shape=(4, 3),
        call_kwargs={"training": training},
        expected_output_shape=(4, 3),
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=2,
        supports_masking=True,
    )


def test_batch_normalization_channels_first_and_renorm():
    run_layer_test(
        layers.BatchNormalization,
        init_kwargs={"axis": 1, "center": False},
        input_shape=(2, 3, 4, 4),
        call_kwargs={"training": True},
        expected_output_shape=(2, 3, 4, 4),
        expected_num_trainable_weights=1,
        expected_num_non_trainable_weights=2,
    )
    run_layer_test(
        layers.BatchNormalization,
        init_kwargs={"renorm": True, "renorm_clipping": {"rmax": 2.0}},
        input_shape=(4, 3),
        call_kwargs={"training": True},
        expected_output_shape=(4, 3),
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=5,
    )


def test_batch_normalization_numpy_reference():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((8, 2, 3)).astype("float32")
    layer = layers.BatchNormalization(momentum=0.8, epsilon=1e-4)
    outputs = layer(ops.convert_to_tensor(x), training=True)
    mean, variance = x.mean(axis=(0, 1)), x.var(axis=(0, 1))
    assert_close(outputs, (x - mean) / np.sqrt(variance + 1e-4), rtol=1e-5, atol=1e-5)
    assert_close(layer.moving_mean, 0.2 * mean, rtol=1e-5, atol=1e-6)
    assert_close(layer.moving_variance, 0.8 + 0.2 * variance, rtol=1e-5, atol=1e-6)
    inference = layer(ops.convert_to_tensor(x))
    expected = (x - 0.2 * mean) / np.sqrt(0.8 + 0.2 * variance + 1e-4)
    assert_close(inference, expected, rtol=1e-5, atol=1e-5)


def test_batch_normalization_stateless_call_returns_new_statistics():
    layer = layers.BatchNormalization(momentum=0.5)
    x = ops.convert_to_tensor(np.arange(8, dtype="float32").reshape(4, 2))
    layer.build((4, 2))
    trainable = [v.value for v in layer.trainable_variables]
    non_trainable = [v.value for v in layer.non_trainable_variables]
    _, new_non_trainable = layer.stateless_call(trainable, non_trainable, x, training=True)
    assert_close(new_non_trainable[0], [1.5, 2.0])
    assert_close(layer.moving_mean, [0.0, 0.0])


def test_batch_normalization_errors():
    with pytest.raises(ValueError, match="BatchNormalization layer 'bn'.*synchronized"):
        layers.BatchNormalization(synchronized=True, name="bn")
    with pytest.raises(ValueError, match="renorm_clipping"):
        layers.BatchNormalization(renorm=True, renorm_clipping={"rmax": 1.0, "rmin": 2.0})
    with pytest.raises(ValueError, match="renorm_clipping"):
        layers.BatchNormalization(renorm=True, renorm_clipping={"max": 1.0})
    with pytest.raises(TypeError, match="BatchNormalization layer 'bn'.*axis"):
        layers.BatchNormalization(axis="channels", name="bn")
    with pytest.raises(ValueError, match="BatchNormalization layer 'bn'.*axis=3"):
        layers.BatchNormalization(axis=3, name="bn")(ops.ones((2, 3)))
    with pytest.raises(ValueError, match="mask"):
        layers.BatchNormalization()(ops.ones((2, 3)), mask=ops.ones((2, 3), dtype="bool"))


@pytest.mark.parametrize("kwargs, trainable", [({}, 2), ({"center": False}, 1), ({"axis": [1, 2]}, 2)])
def test_layer_normalization_basics(kwargs, trainable):
    run_layer_test(
        layers.LayerNormalization,
        init_kwargs=kwargs,
        input_shape=(2, 3, 4),
        expected_output_shape=(2, 3, 4),
        expected_num_trainable_weights=trainable,
        expected_num_non_trainable_weights=0,
        supports_masking=True,
    )


def test_layer_normalization_numpy_reference():
    x = np.random.default_rng(1).standard_normal((3, 4, 5)).astype("float32")
    outputs = layers.LayerNormalization(axis=[1, 2], epsilon=1e-5)(ops.convert_to_tensor(x))
    mean = x.mean(axis=(1, 2), keepdims=True)
    variance = x.var(axis=(1, 2), keepdims=True)
    assert_close(outputs, (x - mean) / np.sqrt(variance + 1e-5), rtol=1e-5, atol=1e-5)


def test_layer_normalization_mixed_precision_keeps_float32_weights():
    layer = layers.LayerNormalization(dtype="mixed_float16")
    outputs = layer(ops.ones((2, 3)))
    assert ops.dtype(outputs) == "float16"
    assert layer.gamma.dtype == "float32"


@pytest.mark.parametrize(
    "kwargs, input_shape", [({"groups": 2}, (2, 3, 4)), ({"groups": -1, "axis": 1}, (2, 4, 3))]
)
def test_group_normalization_basics(kwargs, input_shape):
    run_layer_test(
        layers.GroupNormalization,
        init_kwargs=kwargs,
        input_shape=input_shape,
        expected_output_shape=input_shape,
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=0,
    )


def test_group_normalization_numpy_reference():
    x = np.random.default_rng(2).standard_normal((2, 3, 6)).astype("float32")
    outputs = layers.GroupNormalization(groups=3, epsilon=1e-5)(ops.convert_to_tensor(x))
    grouped = x.reshape(2, 3, 3, 2)
    mean = grouped.mean(axis=(1, 3), keepdims=True)
    variance = grouped.var(axis=(1, 3), keepdims=True)
    expected = ((grouped - mean) / np.sqrt(variance + 1e-5)).reshape(2, 3, 6)
    assert_close(outputs, expected, rtol=1e-5, atol=1e-5)


def test_group_normalization_errors():
    with pytest.raises(ValueError, match="GroupNormalization layer 'gn'.*groups=4.*divide"):
        layers.GroupNormalization(groups=4, name="gn")(ops.ones((2, 6)))
    with pytest.raises(ValueError, match="GroupNormalization layer 'gn'.*groups"):
        layers.GroupNormalization(groups=0, name="gn")


def test_rms_normalization_basics_and_reference():
    run_layer_test(
        layers.RMSNormalization,
        init_kwargs={"axis": -1, "epsilon": 1e-5},
        input_shape=(2, 3, 4),
        expected_output_shape=(2, 3, 4),
        expected_num_trainable_weights=1,
        expected_num_non_trainable_weights=0,
    )
    x = np.random.default_rng(3).standard_normal((2, 3, 4)).astype("float32")
    outputs = layers.RMSNormalization(axis=[1, 2])(ops.convert_to_tensor(x))
    expected = x / np.sqrt(np.mean(np.square(x), axis=(1, 2), keepdims=True) + 1e-6)
    assert_close(outputs, expected, rtol=1e-5, atol=1e-5)


def test_unit_normalization_basics_and_reference():
    run_layer_test(
        layers.UnitNormalization,
        init_kwargs={"axis": [1, 2]},
        input_shape=(2, 3, 4),
        expected_output_shape=(2, 3, 4),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
        supports_masking=True,
        assert_built_after_instantiation=True,
    )
    x = np.random.default_rng(4).standard_normal((2, 5)).astype("float32")
    outputs = layers.UnitNormalization()(ops.convert_to_tensor(x))
    assert_close(outputs, x / np.linalg.norm(x, axis=-1, keepdims=True), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("class_name", ["LayerNormalization", "RMSNormalization", "UnitNormalization"])
def test_axis_errors_name_the_layer(class_name):
    with pytest.raises(TypeError, match=f"{class_name} layer 'norm'.*axis"):
        getattr(layers, class_name)(axis="last", name="norm")
    with pytest.raises(ValueError, match=f"{class_name} layer 'norm'.*axis=5"):
        getattr(layers, class_name)(axis=5, name="norm")(ops.ones((2, 3)))


def test_automatic_names():
    names = [
        cls().name
        for cls in (
            layers.BatchNormalization,
            layers.LayerNormalization,
            layers.GroupNormalization,
            layers.RMSNormalization,
            layers.UnitNormalization,
        )
    ]
    assert [name.rstrip("_0123456789") for name in names] == [
        "batch_normalization",
        "layer_normalization",
        "group_normalization",
        "rms_normalization",
        "unit_normalization",
    ]
    assert lamina.layers.BatchNormalization is layers.BatchNormalization
