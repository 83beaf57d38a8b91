"""Image preprocessing layers: the layer harness, NumPy references, errors and a tiny fit."""

import numpy as np
import pytest
from layers.layer_test_case import run_layer_test
from testing_utils import assert_close

import lamina
from lamina import layers
from lamina import ops

RNG = np.random.default_rng(1)
IMAGES = RNG.random((2, 6, 7, 3)).astype("float32")

HARNESS_CASES = [
    (layers.Rescaling, {"scale": 0.5, "offset": -1.0}, (2, 6, 7, 3), IMAGES * 0.5 - 1.0),
    (layers.Resizing, {"height": 3, "width": 4}, (2, 3, 4, 3), None),
    (
        layers.Resizing,
        {"height": 3, "width": 4, "interpolation": "nearest", "crop_to_aspect_ratio": True},
        (2, 3, 4, 3),
        None,
    ),
    (layers.CenterCrop, {"height": 4, "width": 3}, (2, 4, 3, 3), IMAGES[:, 1:5, 2:5]),
    (layers.RandomFlip, {"mode": "horizontal", "seed": 1}, (2, 6, 7, 3), None),
    (layers.RandomRotation, {"factor": 0.2, "seed": 1}, (2, 6, 7, 3), None),
    (layers.RandomZoom, {"height_factor": 0.2, "width_factor": (-0.1, 0.3), "seed": 1}, (2, 6, 7, 3), None),
    (layers.RandomTranslation, {"height_factor": 0.2, "width_factor": 0.1, "seed": 1}, (2, 6, 7, 3), None),
    (layers.RandomCrop, {"height": 3, "width": 4, "seed": 1}, (2, 3, 4, 3), None),
    (layers.RandomContrast, {"factor": 0.3, "value_range": (0, 1), "seed": 1}, (2, 6, 7, 3), None),
    (layers.RandomBrightness, {"factor": 0.3, "value_range": (0, 1), "seed": 1}, (2, 6, 7, 3), None),
]


@pytest.mark.parametrize(
    "layer_class, kwargs, output_shape, expected",
    HARNESS_CASES,
    ids=[case[0].__name__ for case in HARNESS_CASES],
)
def test_layer_harness(layer_class, kwargs, output_shape, expected):
    random_layer = layer_class.__name__.startswith("Random")
    run_layer_test(
        layer_class,
        init_kwargs=kwargs,
        input_data=IMAGES,
        call_kwargs={"training": True} if random_layer else None,
        expected_output_shape=output_shape,
        expected_output_dtype="float32",
        expected_output=expected,
        expected_num_trainable_weights=0,
        expected_num_seed_generators=1 if random_layer else 0,
        assert_built_after_instantiation=True,
    )


@pytest.mark.parametrize(
    "layer",
    [
        lambda: layers.RandomFlip(seed=2),
        lambda: layers.RandomRotation(0.3, seed=2),
        lambda: layers.RandomZoom(0.3, seed=2),
        lambda: layers.RandomTranslation(0.3, 0.3, seed=2),
        lambda: layers.RandomContrast(0.5, seed=2),
        lambda: layers.RandomBrightness(0.5, seed=2),
    ],
)
def test_random_layers_are_identity_at_inference_and_random_in_training(layer):
    layer = layer()
    images = IMAGES * 255
    assert_close(ops.convert_to_numpy(layer(images, training=False)), images)
    batch = np.repeat(images[:1], 8, axis=0)
    outputs = ops.convert_to_numpy(layer(batch, training=True))
    assert not np.allclose(outputs, batch), "a random layer left every image unchanged in training"
    assert not all(np.allclose(outputs[0], output) for output in outputs[1:]), "every image drew the same"


def test_random_flip_numpy_reference():
    layer = layers.RandomFlip("horizontal_and_vertical")
    flips = {"flips": ops.convert_to_tensor(np.array([True, False]).reshape(2, 1, 1, 1))}
    outputs = ops.convert_to_numpy(layer.transform_images(IMAGES, flips))
    assert_close(outputs[0], IMAGES[0, ::-1, ::-1])
    assert_close(outputs[1], IMAGES[1])


def test_random_rotation_half_turn_numpy_reference():
    layer = layers.RandomRotation(0.5)
    transformation = {
        "rotation_matrix": lamina.layers.preprocessing.image.random_rotation.rotation_matrix(
            ops.convert_to_tensor(np.array([180.0, 180.0], "float32")), 6, 7
        )
    }
    outputs = ops.convert_to_numpy(layer.transform_images(IMAGES, transformation))
    assert_close(outputs, IMAGES[:, ::-1, ::-1], atol=1e-4, rtol=1e-4)


def test_random_crop_window_and_inference_resize():
    layer = layers.RandomCrop(3, 4, seed=3)
    outputs = ops.convert_to_numpy(layer.transform_images(IMAGES, (2, 1)))
    assert_close(outputs, IMAGES[:, 2:5, 1:5])
    inference = ops.convert_to_numpy(layer(IMAGES, training=False))
    expected = ops.convert_to_numpy(ops.image.resize(IMAGES, (3, 4), crop_to_aspect_ratio=True))
    assert_close(inference, expected)


def test_contrast_and_brightness_numpy_reference():
    contrast = layers.RandomContrast(0.5, value_range=(0, 1))
    factor = np.array([0.5, 1.5], "float32").reshape(2, 1, 1, 1)
    outputs = contrast.transform_images(IMAGES, {"contrast_factor": ops.convert_to_tensor(factor)})
    mean = IMAGES.mean(axis=(1, 2), keepdims=True)
    assert_close(ops.convert_to_numpy(outputs), np.clip((IMAGES - mean) * factor + mean, 0, 1), atol=1e-6)
    brightness = layers.RandomBrightness(0.5, value_range=(0, 1))
    delta = np.array([0.25, -0.5], "float32").reshape(2, 1, 1, 1)
    outputs = brightness.transform_images(IMAGES, {"rgb_delta": ops.convert_to_tensor(delta)})
    assert_close(ops.convert_to_numpy(outputs), np.clip(IMAGES + delta, 0, 1), atol=1e-6)


def test_channels_first_and_unbatched_inputs():
    images = np.transpose(IMAGES, (0, 3, 1, 2))
    layer = layers.CenterCrop(4, 3, data_format="channels_first")
    assert_close(ops.convert_to_numpy(layer(images)), images[:, :, 1:5, 2:5])
    assert_close(ops.convert_to_numpy(layer(images[0])), images[0, :, 1:5, 2:5])
    assert layers.Resizing(3, 2, data_format="channels_first").compute_output_shape((None, 3, 6, 7)) == (
        None,
        3,
        3,
        2,
    )
    flip = layers.RandomFlip("vertical", data_format="channels_first")
    flips = {"flips": ops.convert_to_tensor(np.array(True).reshape(1, 1, 1))}
    assert_close(ops.convert_to_numpy(flip.transform_images(images[0], flips)), images[0, :, ::-1, :])


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: layers.RandomRotation(1.5), "RandomRotation layer 'random_rotation.*' expects factor"),
        (lambda: layers.RandomRotation(0.1, fill_mode="mirror"), "RandomRotation layer .* expects fill_mode"),
        (lambda: layers.RandomZoom(-1.0), "RandomZoom layer .* expects height_factor"),
        (
            lambda: layers.RandomZoom(0.1, interpolation="bicubic"),
            "RandomZoom layer .* expects interpolation",
        ),
        (
            lambda: layers.RandomTranslation(0.1, (0.1, 0.2, 0.3)),
            "RandomTranslation layer .* expects width_factor",
        ),
        (lambda: layers.RandomFlip("diagonal"), "RandomFlip layer .* expects mode"),
        (lambda: layers.RandomContrast(-0.5), "RandomContrast layer .* expects factor"),
        (
            lambda: layers.RandomBrightness(0.1, value_range=5),
            "RandomBrightness layer .* expects value_range",
        ),
        (lambda: layers.Resizing(0, 4), "Resizing layer .* expects height"),
        (lambda: layers.Resizing(2, 4, interpolation="area"), "Resizing layer .* expects interpolation"),
        (lambda: layers.CenterCrop(2, "4"), "CenterCrop layer .* expects width"),
        (lambda: layers.RandomCrop(2, -1), "RandomCrop layer .* expects width"),
    ],
)
def test_bad_arguments_name_the_layer(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_bad_rank_names_the_layer():
    with pytest.raises(ValueError, match="RandomFlip layer .* rank 3"):
        layers.RandomFlip()(IMAGES[0, 0])


@pytest.mark.requires_trainable_backend
def test_fit_with_augmentation_layers():
    model = lamina.Sequential(
        [
            lamina.Input((6, 7, 3)),
            layers.RandomFlip(seed=1),
            layers.RandomRotation(0.1, seed=2),
            layers.RandomCrop(5, 6, seed=3),
            layers.Flatten(),
            layers.Dense(2),
        ]
    )
    model.compile(optimizer="sgd", loss="mse")
    targets = RNG.random((8, 2)).astype("float32")
    inputs = RNG.random((8, 6, 7, 3)).astype("float32")
    flip = model.layers[0]
    state_before = ops.convert_to_numpy(flip.generator.state.value).copy()
    history = model.fit(inputs, targets, batch_size=4, epochs=2, verbose=0)
    # The compiled step threads the RNG state: every step draws fresh flips.
    assert not np.array_equal(ops.convert_to_numpy(flip.generator.state.value), state_before)
    assert len(history.history["loss"]) == 2
    assert np.isfinite(history.history["loss"]).all()
    predictions = model.predict(inputs, verbose=0)
    assert predictions.shape == (8, 2)
    # At inference flips and rotations are the identity and the crop is a center resize.
    cropped = ops.image.resize(inputs, (5, 6), crop_to_aspect_ratio=True)
    dense_only = ops.convert_to_numpy(model.layers[-1](model.layers[-2](cropped)))
    assert_close(predictions, dense_only, atol=1e-5, rtol=1e-5)
