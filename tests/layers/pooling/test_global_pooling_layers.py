"""GlobalMaxPooling*/GlobalAveragePooling* layers: the layer harness, shapes, masks."""

import numpy as np
import pytest
from layers.layer_test_case import run_layer_test
from testing_utils import assert_close

from lamina import layers
from lamina import ops
from lamina.backend.common import masking


@pytest.mark.parametrize("mode", ["Max", "Average"])
@pytest.mark.parametrize(
    "dimensions, init_kwargs, input_shape, expected_output_shape",
    [
        (1, {}, (2, 5, 3), (2, 3)),
        (1, {"keepdims": True, "data_format": "channels_first"}, (2, 3, 5), (2, 3, 1)),
        (2, {}, (2, 4, 5, 3), (2, 3)),
        (2, {"keepdims": True}, (2, 4, 5, 3), (2, 1, 1, 3)),
        (3, {"data_format": "channels_first"}, (1, 2, 3, 4, 5), (1, 2)),
        (3, {"keepdims": True}, (1, 2, 3, 4, 5), (1, 1, 1, 1, 5)),
    ],
)
def test_layer_basics(mode, dimensions, init_kwargs, input_shape, expected_output_shape):
    run_layer_test(
        getattr(layers, f"Global{mode}Pooling{dimensions}D"),
        init_kwargs=init_kwargs,
        input_shape=input_shape,
        expected_output_shape=expected_output_shape,
        expected_output_dtype="float32",
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
        supports_masking=(mode == "Average" and dimensions == 1),
        assert_built_after_instantiation=True,
    )


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_values_against_numpy(data_format):
    x = np.random.default_rng(0).standard_normal((2, 3, 4, 5)).astype("float32")
    axes = (1, 2) if data_format == "channels_last" else (2, 3)
    assert_close(layers.GlobalMaxPooling2D(data_format=data_format)(x), x.max(axis=axes))
    assert_close(layers.GlobalAveragePooling2D(data_format=data_format)(x), x.mean(axis=axes))


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_global_average_pooling1d_mask(data_format):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 4, 3)).astype("float32")
    mask = np.array([[True, True, False, False], [True, True, True, False]])
    expected = np.stack([x[0, :2].mean(axis=0), x[1, :3].mean(axis=0)])
    if data_format == "channels_first":
        x = np.transpose(x, (0, 2, 1))
    layer = layers.GlobalAveragePooling1D(data_format=data_format)
    assert_close(layer(x, mask=mask), expected)
    keepdims = layers.GlobalAveragePooling1D(data_format=data_format, keepdims=True)(x, mask=mask)
    assert tuple(keepdims.shape) == ((2, 1, 3) if data_format == "channels_last" else (2, 3, 1))


def test_mask_carried_by_the_inputs():
    x = np.random.default_rng(2).standard_normal((2, 4, 3)).astype("float32")
    mask = np.array([[True, False, True, False], [True, True, True, True]])
    tensor = ops.convert_to_tensor(x)
    masking.set_keras_mask(tensor, ops.convert_to_tensor(mask))
    outputs = layers.GlobalAveragePooling1D()(tensor)
    assert_close(outputs, np.stack([x[0, [0, 2]].mean(axis=0), x[1].mean(axis=0)]))
    assert masking.get_keras_mask(outputs) is None


def test_names_aliases_and_errors():
    assert layers.GlobalMaxPooling3D().name.startswith("global_max_pooling3d")
    assert layers.GlobalAveragePooling1D().name.startswith("global_average_pooling1d")
    assert layers.GlobalAvgPool2D is layers.GlobalAveragePooling2D
    assert layers.GlobalMaxPool1D is layers.GlobalMaxPooling1D
    with pytest.raises(ValueError, match="GlobalMaxPooling2D.*keepdims"):
        layers.GlobalMaxPooling2D(keepdims="yes")
    with pytest.raises(ValueError, match="global_average_pooling2d"):
        layers.GlobalAveragePooling2D()(np.zeros((2, 3), dtype="float32"))
