"""Lambda and Identity layers."""

import numpy as np
import pytest
from layers.layer_test_case import run_layer_test
from testing_utils import assert_close

import lamina
from lamina import layers
from lamina import ops
from lamina.backend.common import masking


def scale_and_shift(x, factor=1.0, shift=0.0):
    return x * factor + shift


@lamina.saving.register_keras_serializable(package="lambda_tests")
def registered_scale_and_shift(x, factor=1.0, shift=0.0):
    return x * factor + shift


def test_lambda_basics_with_named_function():
    data = np.arange(6, dtype="float32").reshape(2, 3)
    run_layer_test(
        layers.Lambda,
        init_kwargs={"function": registered_scale_and_shift, "arguments": {"factor": 2.0, "shift": 1.0}},
        input_data=data,
        expected_output_shape=(2, 3),
        expected_output=data * 2.0 + 1.0,
        expected_num_trainable_weights=0,
        assert_built_after_instantiation=True,
        supports_masking=False,
    )


def test_lambda_with_lamina_function_and_output_shape():
    run_layer_test(
        layers.Lambda,
        init_kwargs={"function": ops.square, "output_shape": (3,)},
        input_shape=(2, 3),
        expected_output_shape=(2, 3),
    )


def test_lambda_infers_output_shape():
    layer = layers.Lambda(lambda x: ops.concatenate([x, x], axis=-1))
    outputs = layer(lamina.KerasTensor((None, 3)))
    assert outputs.shape == (None, 6)
    assert layer.compute_output_shape((4, 3)) == (4, 6)
    assert layers.Lambda(lambda x: ops.cast(x, "int32"))(lamina.KerasTensor((None, 3))).dtype == "int32"


def test_lambda_callable_output_shape_and_mask():
    layer = layers.Lambda(
        lambda x: x[:, :2],
        output_shape=lambda shape: (shape[0], 2),
        mask=lambda inputs, previous_mask: ops.greater(inputs[:, :2], 0.0),
    )
    assert layer.supports_masking
    assert layer.compute_output_shape((5, 4)) == (5, 2)
    outputs = layer(ops.convert_to_tensor(np.array([[1.0, -1.0, 3.0]], dtype="float32")))
    assert ops.convert_to_numpy(masking.get_keras_mask(outputs)).tolist() == [[True, False]]


def test_lambda_passes_mask_and_training():
    seen = {}

    def function(x, mask=None, training=None):
        seen["mask"] = mask
        seen["training"] = training
        return x

    embedded = layers.Embedding(3, 2, mask_zero=True)(
        ops.convert_to_tensor(np.array([[0, 1]], dtype="int32"))
    )
    layers.Lambda(function)(embedded, training=True)
    assert ops.convert_to_numpy(seen["mask"]).tolist() == [[False, True]]
    assert seen["training"] is True


def test_lambda_in_functional_model():
    inputs = lamina.Input((3,))
    outputs = layers.Lambda(lambda x: ops.concatenate([x, 2.0 * x], axis=-1))(inputs)
    model = lamina.Model(inputs, outputs)
    assert outputs.shape == (None, 6)
    data = np.arange(3, dtype="float32").reshape(1, 3)
    assert_close(model(ops.convert_to_tensor(data)), np.concatenate([data, 2 * data], axis=-1))


def test_lambda_python_lambda_needs_unsafe_mode():
    offset = 3.0
    layer = layers.Lambda(lambda x: x + offset, name="shift")
    config = layer.get_config()
    assert config["function"]["class_name"] == "__lambda__"
    with pytest.raises(ValueError, match="safe_mode=False"):
        layers.Lambda.from_config(config)
    revived = layers.Lambda.from_config(config, safe_mode=False)
    assert_close(revived(ops.convert_to_tensor(np.ones((1, 2), "float32"))), np.full((1, 2), 4.0))


def test_lambda_rejects_non_callable():
    with pytest.raises(TypeError, match="Lambda layer .* callable"):
        layers.Lambda(3)


def test_lambda_config_matches_keras(keras):
    config = keras.layers.Lambda(
        scale_and_shift, output_shape=(3,), arguments={"factor": 2.0}, name="lam"
    ).get_config()
    ours = layers.Lambda(
        scale_and_shift, output_shape=(3,), arguments={"factor": 2.0}, name="lam"
    ).get_config()
    assert ours == config
    lambda_config = keras.layers.Lambda(lambda x: x * 2.0, name="lam").get_config()
    revived = layers.Lambda.from_config(lambda_config, safe_mode=False)
    assert_close(revived(ops.convert_to_tensor(np.ones((2,), "float32"))), np.full((2,), 2.0))


def test_identity_basics():
    run_layer_test(
        layers.Identity,
        init_kwargs={},
        input_shape=(2, 3),
        expected_output_shape=(2, 3),
        expected_num_trainable_weights=0,
        supports_masking=True,
        assert_built_after_instantiation=True,
    )


def test_identity_nest_and_keras_config(keras):
    x = lamina.KerasTensor((None, 2))
    y = lamina.KerasTensor((None, 3))
    outputs = layers.Identity()([x, y])
    assert [t.shape for t in outputs] == [(None, 2), (None, 3)]
    assert (
        layers.Identity(name="identity").get_config() == keras.layers.Identity(name="identity").get_config()
    )
