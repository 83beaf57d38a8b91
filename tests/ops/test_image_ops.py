"""lamina.ops.image: NumPy references, shape rules, errors and parity with keras.ops.image (JAX)."""

import numpy as np
import pytest
from testing_utils import assert_close

import lamina
from lamina import ops

RNG = np.random.default_rng(0)
IMAGES = RNG.random((2, 7, 9, 3)).astype("float32")
TRANSFORMS = np.array(
    [[0.9, -0.3, 1.2, 0.25, 1.1, -0.7, 0, 0], [1.05, 0.1, -2.3, -0.2, 0.95, 3.1, 0, 0]], "float32"
)


def _numpy(x):
    return ops.convert_to_numpy(x)


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest", "bicubic", "lanczos3", "lanczos5"])
@pytest.mark.parametrize("size", [(4, 5), (11, 13)])
@pytest.mark.parametrize("antialias", [False, True])
def test_resize_matches_keras(keras, interpolation, size, antialias):
    expected = np.asarray(
        keras.ops.image.resize(IMAGES, size, interpolation=interpolation, antialias=antialias)
    )
    outputs = ops.image.resize(IMAGES, size, interpolation=interpolation, antialias=antialias)
    assert_close(_numpy(outputs), expected, atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("crop, pad", [(True, False), (False, True)])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_resize_aspect_ratio_matches_keras(keras, crop, pad, data_format):
    images = IMAGES if data_format == "channels_last" else np.transpose(IMAGES, (0, 3, 1, 2))
    kwargs = dict(crop_to_aspect_ratio=crop, pad_to_aspect_ratio=pad, fill_value=0.5, data_format=data_format)
    expected = np.asarray(keras.ops.image.resize(images, (5, 3), **kwargs))
    assert_close(_numpy(ops.image.resize(images, (5, 3), **kwargs)), expected, atol=1e-5, rtol=1e-5)
    expected = np.asarray(keras.ops.image.resize(images[0], (5, 3), **kwargs))
    assert_close(_numpy(ops.image.resize(images[0], (5, 3), **kwargs)), expected, atol=1e-5, rtol=1e-5)


def test_resize_bilinear_numpy_reference():
    # Upsampling 2 -> 4 with half-pixel centers samples at -0.25, 0.25, 0.75, 1.25 (edges clamp).
    image = np.array([[0.0, 4.0]], "float32").reshape(1, 2, 1)
    outputs = _numpy(ops.image.resize(image, (1, 4)))
    assert_close(outputs.ravel(), np.array([0.0, 1.0, 3.0, 4.0]))


def test_resize_nearest_keeps_integer_dtype_and_bilinear_gives_float():
    images = (IMAGES * 255).astype("uint8")
    assert ops.dtype(ops.image.resize(images, (3, 3), interpolation="nearest")) == "uint8"
    assert ops.dtype(ops.image.resize(images, (3, 3))) == "float32"


def test_resize_symbolic_shape():
    inputs = lamina.KerasTensor((None, 8, 8, 3))
    outputs = ops.image.resize(inputs, (4, 2))
    assert outputs.shape == (None, 4, 2, 3)
    outputs = ops.image.resize(lamina.KerasTensor((None, 3, 8, 8)), (4, 2), data_format="channels_first")
    assert outputs.shape == (None, 3, 4, 2)


def test_resize_errors():
    with pytest.raises(ValueError, match="resize expects interpolation"):
        ops.image.resize(IMAGES, (2, 2), interpolation="cubic-ish")
    with pytest.raises(ValueError, match="resize expects size"):
        ops.image.resize(IMAGES, (2, 2, 2))
    with pytest.raises(ValueError, match="rank 3"):
        ops.image.resize(IMAGES[0, 0], (2, 2))
    with pytest.raises(ValueError, match="only one of crop_to_aspect_ratio"):
        ops.image.resize(IMAGES, (2, 2), crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)


@pytest.mark.parametrize("interpolation", ["nearest", "bilinear"])
@pytest.mark.parametrize("fill_mode", ["constant", "nearest", "wrap", "mirror", "reflect"])
def test_affine_transform_matches_keras(keras, interpolation, fill_mode):
    expected = np.asarray(keras.ops.image.affine_transform(IMAGES, TRANSFORMS, interpolation, fill_mode, 0.3))
    outputs = ops.image.affine_transform(IMAGES, TRANSFORMS, interpolation, fill_mode, 0.3)
    assert_close(_numpy(outputs), expected, atol=1e-5, rtol=1e-5)


def test_affine_transform_channels_first_and_unbatched(keras):
    images = np.transpose(IMAGES, (0, 3, 1, 2))
    expected = np.asarray(keras.ops.image.affine_transform(images, TRANSFORMS, data_format="channels_first"))
    outputs = ops.image.affine_transform(images, TRANSFORMS, data_format="channels_first")
    assert_close(_numpy(outputs), expected, atol=1e-5, rtol=1e-5)
    expected = np.asarray(keras.ops.image.affine_transform(IMAGES[1], TRANSFORMS[1]))
    assert_close(_numpy(ops.image.affine_transform(IMAGES[1], TRANSFORMS[1])), expected, atol=1e-5, rtol=1e-5)


def test_affine_transform_integer_images_round_like_keras(keras):
    images = (IMAGES * 255).astype("uint8")
    expected = np.asarray(keras.ops.image.affine_transform(images, TRANSFORMS, "bilinear", "reflect"))
    outputs = _numpy(ops.image.affine_transform(images, TRANSFORMS, "bilinear", "reflect"))
    assert outputs.dtype == np.uint8
    # Half-way values may round either way after float32 noise.
    assert np.abs(outputs.astype(int) - expected.astype(int)).max() <= 1


def test_affine_transform_integer_shift_numpy_reference():
    image = np.arange(12, dtype="float32").reshape(3, 4, 1)
    shift_down_right = [1, 0, -1, 0, 1, -1, 0, 0]
    outputs = _numpy(ops.image.affine_transform(image, shift_down_right, "nearest", "constant", -1.0))
    expected = np.full((3, 4), -1.0, "float32")
    expected[1:, 1:] = image[:-1, :-1, 0]
    assert_close(outputs[..., 0], expected)


@pytest.mark.requires_trainable_backend
def test_affine_transform_gradient_is_the_bilinear_weights():
    from testing_utils import gradient

    image = np.arange(4, dtype="float32").reshape(1, 2, 2, 1)
    transform = np.array([[1, 0, 0.25, 0, 1, 0, 0, 0]], "float32")

    def total(x):
        return ops.sum(ops.image.affine_transform(x, transform, fill_mode="nearest"))

    (grads,) = gradient(total, image)
    # Output column 0 blends columns 0 and 1 (0.75 / 0.25); column 1 samples 1.25 -> clamped column 1.
    assert_close(grads[0, :, :, 0], np.array([[0.75, 1.25], [0.75, 1.25]], "float32"))


def test_affine_transform_errors():
    with pytest.raises(ValueError, match="affine_transform expects interpolation"):
        ops.image.affine_transform(IMAGES, TRANSFORMS, interpolation="bicubic")
    with pytest.raises(ValueError, match="affine_transform expects fill_mode"):
        ops.image.affine_transform(IMAGES, TRANSFORMS, fill_mode="zeros")
    with pytest.raises(ValueError, match="transform of shape"):
        ops.image.affine_transform(IMAGES, TRANSFORMS[:, :6])


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_crop_and_pad_images_numpy_reference(data_format):
    images = IMAGES if data_format == "channels_last" else np.transpose(IMAGES, (0, 3, 1, 2))
    cropped = _numpy(
        ops.image.crop_images(images, 1, 2, target_height=4, target_width=5, data_format=data_format)
    )
    padded = _numpy(
        ops.image.pad_images(images[0], 1, 0, bottom_padding=2, right_padding=3, data_format=data_format)
    )
    if data_format == "channels_last":
        assert_close(cropped, IMAGES[:, 1:5, 2:7])
        assert_close(padded, np.pad(IMAGES[0], ((1, 2), (0, 3), (0, 0))))
    else:
        assert_close(cropped, images[:, :, 1:5, 2:7])
        assert_close(padded, np.pad(images[0], ((0, 0), (1, 2), (0, 3))))
    from_bottom = ops.image.crop_images(
        images, bottom_cropping=2, right_cropping=1, top_cropping=0, left_cropping=0, data_format=data_format
    )
    assert tuple(from_bottom.shape)[-3:] == ((5, 8, 3) if data_format == "channels_last" else (3, 5, 8))


def test_crop_and_pad_symbolic_and_errors():
    inputs = lamina.KerasTensor((None, 8, 8, 3))
    assert ops.image.crop_images(inputs, 1, 1, target_height=3, target_width=4).shape == (None, 3, 4, 3)
    assert ops.image.pad_images(inputs, 1, 1, target_height=12, target_width=10).shape == (None, 12, 10, 3)
    with pytest.raises(ValueError, match="crop_images needs two of"):
        ops.image.crop_images(IMAGES, top_cropping=1)
    with pytest.raises(ValueError, match="does not fit"):
        ops.image.crop_images(IMAGES, 5, 0, target_height=5, target_width=9)
    with pytest.raises(ValueError, match="must be >= 0"):
        ops.image.pad_images(IMAGES, 1, 1, target_height=3, target_width=3)


def test_rgb_to_grayscale_numpy_reference_and_keras(keras):
    expected = np.tensordot(IMAGES, np.array([0.2989, 0.5870, 0.1140]), axes=([3], [0]))[..., None]
    outputs = _numpy(ops.image.rgb_to_grayscale(IMAGES))
    assert_close(outputs, expected.astype("float32"), atol=1e-6, rtol=1e-6)
    images = np.transpose(IMAGES, (0, 3, 1, 2))
    expected = np.asarray(keras.ops.image.rgb_to_grayscale(images, data_format="channels_first"))
    assert_close(
        _numpy(ops.image.rgb_to_grayscale(images, data_format="channels_first")), expected, atol=1e-6
    )
    assert ops.image.rgb_to_grayscale(lamina.KerasTensor((None, 4, 4, 3))).shape == (None, 4, 4, 1)
    with pytest.raises(ValueError, match="3 \\(RGB\\) or 1"):
        ops.image.rgb_to_grayscale(IMAGES[..., :2])
