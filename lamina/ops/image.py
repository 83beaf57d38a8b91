"""Image ops: `resize`, `affine_transform`, `crop_images`, `pad_images`, `rgb_to_grayscale`.

Images are rank 3 (one image) or rank 4 (a batch), `"channels_last"`
(`(batch, height, width, channels)`) or `"channels_first"`. The ops are written
once against `lamina.ops`, so every backend gives the same numbers: resizing
contracts the images with host-computed weight matrices (see
`lamina.ops.image_resize`), and `affine_transform` samples pixels with the
backend's `gather_pixels`, following `jax.scipy.ndimage.map_coordinates` (what
Keras uses on JAX).
"""

import numpy as np

from lamina import config
from lamina.backend import current
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.ops import core
from lamina.ops import image_resize
from lamina.ops import numpy as lnp
from lamina.ops import shape_rules
from lamina.ops.dispatch import symbolic
from lamina.ops.image_affine import AFFINE_FILL_MODES
from lamina.ops.image_affine import AFFINE_INTERPOLATIONS
from lamina.ops.image_affine import sample_affine
from lamina.ops.image_crop import crop_images
from lamina.ops.image_crop import image_axes
from lamina.ops.image_crop import pad_images

__all__ = [
    "affine_transform",
    "crop_images",
    "pad_images",
    "resize",
    "rgb_to_grayscale",
]

GRAYSCALE_WEIGHTS = (0.2989, 0.5870, 0.1140)


def _float_dtype(dtype):
    dtype = str(dtype)
    return dtype if dtype.startswith(("float", "bfloat")) else config.floatx()


def _resize_arguments(shape, size, interpolation, crop_to_aspect_ratio, pad_to_aspect_ratio, fill_mode):
    if interpolation not in image_resize.RESIZE_INTERPOLATIONS:
        raise ValueError(
            f"resize expects interpolation to be one of {image_resize.RESIZE_INTERPOLATIONS}. "
            f"Received: interpolation={interpolation!r}"
        )
    if fill_mode != "constant":
        raise ValueError(f"resize supports only fill_mode='constant'. Received: fill_mode={fill_mode!r}")
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError(
            "resize accepts only one of crop_to_aspect_ratio and pad_to_aspect_ratio set to True. "
            "Received both True."
        )
    try:
        size = tuple(size)
    except TypeError:
        size = None
    if size is None or len(size) != 2 or not all(isinstance(item, int) and item > 0 for item in size):
        raise ValueError(
            f"resize expects size to be a tuple of two positive ints (height, width). Received: size={size!r}"
        )
    return size


def _resize_rule(
    images,
    size,
    interpolation="bilinear",
    antialias=False,
    crop_to_aspect_ratio=False,
    pad_to_aspect_ratio=False,
    fill_mode="constant",
    fill_value=0.0,
    data_format=None,
):
    shape = shape_rules.shape_of(images)
    data_format = config.standardize_data_format(data_format)
    height_axis, width_axis, _ = image_axes(shape, data_format, "resize")
    size = _resize_arguments(shape, size, interpolation, crop_to_aspect_ratio, pad_to_aspect_ratio, fill_mode)
    output_shape = list(shape)
    output_shape[height_axis], output_shape[width_axis] = size
    dtype = shape_rules.dtype_of(images)
    if interpolation != "nearest":
        dtype = _float_dtype(dtype)
    return KerasTensor(tuple(output_shape), dtype=dtype)


def _resample_axis(images, axis, output_size, interpolation, antialias):
    input_size = images.shape[axis]
    if input_size == output_size:
        return images
    if interpolation == "nearest":
        indices = image_resize.nearest_indices(input_size, output_size)
        return lnp.take(images, core.convert_to_tensor(indices), axis=axis)
    weights = image_resize.resize_weights(input_size, output_size, interpolation, antialias)
    weights = core.convert_to_tensor(weights.astype(np.float32), dtype=core.dtype(images))
    letters = "abcd"[: len(images.shape)]
    output_letters = letters[:axis] + "z" + letters[axis + 1 :]
    return lnp.einsum(f"{letters},{letters[axis]}z->{output_letters}", images, weights)


@symbolic(_resize_rule)
def resize(
    images,
    size,
    interpolation="bilinear",
    antialias=False,
    crop_to_aspect_ratio=False,
    pad_to_aspect_ratio=False,
    fill_mode="constant",
    fill_value=0.0,
    data_format=None,
):
    """Resizes images to `size`, as `keras.ops.image.resize`.

    Pixel centers sit at half-integer positions. Downsampling with
    `antialias=True` widens the kernel so every input pixel contributes.

    Args:
        images: Rank-3 or rank-4 tensor.
        size: `(height, width)` of the output.
        interpolation: `"bilinear"`, `"nearest"`, `"bicubic"`, `"lanczos3"` or `"lanczos5"`.
        antialias: Whether to filter when downsampling (not for `"nearest"`).
        crop_to_aspect_ratio: Whether to first crop the largest centered box with the
            output's aspect ratio.
        pad_to_aspect_ratio: Whether to first pad (with `fill_value`) to the output's
            aspect ratio.
        fill_mode: Only `"constant"`.
        fill_value: Value of the padding when `pad_to_aspect_ratio=True`.
        data_format: `"channels_last"`, `"channels_first"` or None (the global default).

    Returns:
        The resized images; float unless `interpolation="nearest"`.

    Example:

    >>> import lamina
    >>> x = lamina.ops.reshape(lamina.ops.arange(4, dtype="float32"), (1, 2, 2, 1))
    >>> y = lamina.ops.image.resize(x, (1, 1))
    >>> lamina.ops.convert_to_numpy(y).ravel().tolist()
    [1.5]
    """
    data_format = config.standardize_data_format(data_format)
    images = core.convert_to_tensor(images)
    shape = tuple(images.shape)
    height_axis, width_axis, _ = image_axes(shape, data_format, "resize")
    size = _resize_arguments(shape, size, interpolation, crop_to_aspect_ratio, pad_to_aspect_ratio, fill_mode)
    height, width = shape[height_axis], shape[width_axis]
    if crop_to_aspect_ratio:
        top, left, crop_height, crop_width = image_resize.aspect_ratio_crop(height, width, *size)
        images = crop_images(
            images, top, left, target_height=crop_height, target_width=crop_width, data_format=data_format
        )
    elif pad_to_aspect_ratio:
        vertical, horizontal = image_resize.aspect_ratio_padding(height, width, *size)
        pad_width = [[0, 0]] * len(shape)
        pad_width[height_axis] = [vertical, vertical]
        pad_width[width_axis] = [horizontal, horizontal]
        if vertical or horizontal:
            images = lnp.pad(images, pad_width, constant_values=fill_value)
    if interpolation != "nearest":
        images = core.cast(images, _float_dtype(core.dtype(images)))
    images = _resample_axis(images, height_axis, size[0], interpolation, antialias)
    return _resample_axis(images, width_axis, size[1], interpolation, antialias)


def _affine_arguments(shape, transform_shape, interpolation, fill_mode):
    image_axes(shape, "channels_last", "affine_transform")
    if len(transform_shape) not in (1, 2) or transform_shape[-1] != 8:
        raise ValueError(
            "affine_transform expects transform of shape (8,) or (batch, 8) "
            f"([a0, a1, a2, b0, b1, b2, c0, c1]). Received: transform.shape={tuple(transform_shape)}"
        )
    if interpolation not in AFFINE_INTERPOLATIONS:
        raise ValueError(
            f"affine_transform expects interpolation to be one of {AFFINE_INTERPOLATIONS}. "
            f"Received: interpolation={interpolation!r}"
        )
    if fill_mode not in AFFINE_FILL_MODES:
        raise ValueError(
            f"affine_transform expects fill_mode to be one of {AFFINE_FILL_MODES}. "
            f"Received: fill_mode={fill_mode!r}"
        )


def _affine_rule(
    images, transform, interpolation="bilinear", fill_mode="constant", fill_value=0, data_format=None
):
    shape = shape_rules.shape_of(images)
    _affine_arguments(shape, shape_rules.shape_of(transform), interpolation, fill_mode)
    return KerasTensor(shape, dtype=shape_rules.dtype_of(images))


@symbolic(_affine_rule)
def affine_transform(
    images, transform, interpolation="bilinear", fill_mode="constant", fill_value=0, data_format=None
):
    """Applies a projective-free affine transform to images, as `keras.ops.image.affine_transform`.

    `transform` is `[a0, a1, a2, b0, b1, b2, c0, c1]` (`c0`, `c1` are ignored): the
    output pixel at `(y, x)` samples the input at
    `(b0 * x + b1 * y + b2, a0 * x + a1 * y + a2)` (row, column).

    Args:
        images: Rank-3 or rank-4 tensor.
        transform: Tensor of shape `(8,)` or `(batch, 8)`.
        interpolation: `"nearest"` or `"bilinear"`.
        fill_mode: How samples outside the image are filled: `"constant"`
            (`fill_value`), `"nearest"`, `"wrap"`, `"mirror"` or `"reflect"`.
        fill_value: Value outside the image when `fill_mode="constant"`.
        data_format: `"channels_last"`, `"channels_first"` or None (the global default).

    Returns:
        The transformed images, same shape and dtype.

    Example:

    >>> import lamina
    >>> x = lamina.ops.reshape(lamina.ops.arange(4, dtype="float32"), (2, 2, 1))
    >>> shift_right = [1.0, 0.0, -1.0, 0.0, 1.0, 0.0, 0.0, 0.0]
    >>> y = lamina.ops.image.affine_transform(x, shift_right)
    >>> lamina.ops.convert_to_numpy(y)[..., 0].tolist()
    [[0.0, 0.0], [0.0, 2.0]]
    """
    data_format = config.standardize_data_format(data_format)
    images = core.convert_to_tensor(images)
    transform = core.convert_to_tensor(transform)
    _affine_arguments(tuple(images.shape), tuple(transform.shape), interpolation, fill_mode)
    unbatched = len(images.shape) == 3
    if unbatched:
        images = lnp.expand_dims(images, 0)
    if len(transform.shape) == 1:
        transform = lnp.expand_dims(transform, 0)
    if data_format == "channels_first":
        images = lnp.transpose(images, (0, 2, 3, 1))
    outputs = sample_affine(
        images, transform, AFFINE_INTERPOLATIONS[interpolation], fill_mode, fill_value, current.image
    )
    if data_format == "channels_first":
        outputs = lnp.transpose(outputs, (0, 3, 1, 2))
    if unbatched:
        outputs = lnp.squeeze(outputs, 0)
    return outputs


def _grayscale_rule(images, data_format=None):
    shape = shape_rules.shape_of(images)
    data_format = config.standardize_data_format(data_format)
    _, _, channels_axis = image_axes(shape, data_format, "rgb_to_grayscale")
    if shape[channels_axis] not in (1, 3, None):
        raise ValueError(
            "rgb_to_grayscale expects 3 (RGB) or 1 (grayscale) channels. "
            f"Received: images.shape={tuple(shape)}, data_format={data_format!r}"
        )
    output_shape = list(shape)
    output_shape[channels_axis] = 1
    return KerasTensor(tuple(output_shape), dtype=shape_rules.dtype_of(images))


@symbolic(_grayscale_rule)
def rgb_to_grayscale(images, data_format=None):
    """Converts RGB images to grayscale (weights 0.2989, 0.5870, 0.1140), as Keras.

    Args:
        images: Rank-3 or rank-4 tensor with 3 (or 1, returned as is) channels.
        data_format: `"channels_last"`, `"channels_first"` or None (the global default).

    Returns:
        Images with one channel, in the input's dtype.

    Example:

    >>> import lamina
    >>> x = lamina.ops.ones((1, 1, 3))
    >>> round(float(lamina.ops.image.rgb_to_grayscale(x)[0, 0, 0]), 4)
    0.9999
    """
    data_format = config.standardize_data_format(data_format)
    images = core.convert_to_tensor(images)
    _grayscale_rule(images, data_format)
    _, _, channels_axis = image_axes(tuple(images.shape), data_format, "rgb_to_grayscale")
    if images.shape[channels_axis] == 1:
        return images
    original_dtype = core.dtype(images)
    images = core.cast(images, _float_dtype(original_dtype))
    weights = core.convert_to_tensor(np.array(GRAYSCALE_WEIGHTS), dtype=core.dtype(images))
    gray = lnp.tensordot(images, weights, axes=([channels_axis], [0]))
    return core.cast(lnp.expand_dims(gray, channels_axis), original_dtype)
