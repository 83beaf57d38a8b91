"""Image ops `crop_images` and `pad_images` (re-exported by `lamina.ops.image`)."""

from lamina import config
from lamina.backend.common.keras_tensor import KerasTensor
from lamina.ops import core
from lamina.ops import numpy as lnp
from lamina.ops import shape_rules
from lamina.ops.dispatch import symbolic


def image_axes(shape, data_format, op_name, argument="images"):
    """Validates an image rank; returns `(height_axis, width_axis, channels_axis)`.

    Example:

    >>> image_axes((2, 8, 8, 3), "channels_first", "resize")
    (2, 3, 1)
    """
    if len(shape) not in (3, 4):
        raise ValueError(
            f"{op_name} expects {argument} of rank 3 (one image) or 4 (a batch of images). "
            f"Received: {argument}.shape={tuple(shape)}"
        )
    offset = len(shape) - 3
    if data_format == "channels_last":
        return offset, offset + 1, offset + 2
    return offset + 1, offset + 2, offset


def _resolve_box(size, before, after, target, op_name, names):
    """Fills in the one missing value of `before + target + after == size` (crop) or similar."""
    given = sum(value is not None for value in (before, after, target))
    if given < 2:
        raise ValueError(
            f"{op_name} needs two of {names[0]}, {names[1]} and {names[2]}. "
            f"Received: {names[0]}={before}, {names[1]}={after}, {names[2]}={target}"
        )
    return before, after, target


def _crop_box(shape, data_format, top, left, bottom, right, target_height, target_width):
    height_axis, width_axis, _ = image_axes(shape, data_format, "crop_images")
    box = []
    for axis, before, after, target, names in (
        (height_axis, top, bottom, target_height, ("top_cropping", "bottom_cropping", "target_height")),
        (width_axis, left, right, target_width, ("left_cropping", "right_cropping", "target_width")),
    ):
        before, after, target = _resolve_box(shape[axis], before, after, target, "crop_images", names)
        size = shape[axis]
        if before is None:
            before = size - target - after
        if target is None:
            target = size - before - after
        if before < 0 or target < 0 or (size is not None and before + target > size):
            raise ValueError(
                f"crop_images: cropping {names[0]}={before}, {names[2]}={target} does not fit an "
                f"axis of size {size}. Received: images.shape={tuple(shape)}"
            )
        box.append((axis, before, target))
    return box


def _crop_rule(
    images,
    top_cropping=None,
    left_cropping=None,
    bottom_cropping=None,
    right_cropping=None,
    target_height=None,
    target_width=None,
    data_format=None,
):
    shape = shape_rules.shape_of(images)
    data_format = config.standardize_data_format(data_format)
    box = _crop_box(
        shape,
        data_format,
        top_cropping,
        left_cropping,
        bottom_cropping,
        right_cropping,
        target_height,
        target_width,
    )
    output_shape = list(shape)
    for axis, _, target in box:
        output_shape[axis] = target
    return KerasTensor(tuple(output_shape), dtype=shape_rules.dtype_of(images))


@symbolic(_crop_rule)
def crop_images(
    images,
    top_cropping=None,
    left_cropping=None,
    bottom_cropping=None,
    right_cropping=None,
    target_height=None,
    target_width=None,
    data_format=None,
):
    """Crops images to a box, as `keras.ops.image.crop_images`.

    Give, per axis, two of the three: the cropping before (`top_cropping` /
    `left_cropping`), the cropping after, and the target size.

    Args:
        images: Rank-3 or rank-4 tensor.
        top_cropping: Rows removed at the top.
        left_cropping: Columns removed on the left.
        bottom_cropping: Rows removed at the bottom.
        right_cropping: Columns removed on the right.
        target_height: Height of the output.
        target_width: Width of the output.
        data_format: `"channels_last"`, `"channels_first"` or None (the global default).

    Returns:
        The cropped images.

    Example:

    >>> import lamina
    >>> x = lamina.ops.zeros((4, 5, 3))
    >>> lamina.ops.image.crop_images(x, 1, 2, target_height=2, target_width=2).shape
    (2, 2, 3)
    """
    data_format = config.standardize_data_format(data_format)
    images = core.convert_to_tensor(images)
    box = _crop_box(
        tuple(images.shape),
        data_format,
        top_cropping,
        left_cropping,
        bottom_cropping,
        right_cropping,
        target_height,
        target_width,
    )
    slices = [slice(None)] * len(images.shape)
    for axis, start, target in box:
        slices[axis] = slice(start, start + target)
    return images[tuple(slices)]


def _pad_widths(shape, data_format, top, left, bottom, right, target_height, target_width):
    height_axis, width_axis, _ = image_axes(shape, data_format, "pad_images")
    pad_width = [[0, 0] for _ in shape]
    for axis, before, after, target, names in (
        (height_axis, top, bottom, target_height, ("top_padding", "bottom_padding", "target_height")),
        (width_axis, left, right, target_width, ("left_padding", "right_padding", "target_width")),
    ):
        before, after, target = _resolve_box(shape[axis], before, after, target, "pad_images", names)
        if before is None:
            before = target - after - shape[axis]
        if after is None:
            after = target - before - shape[axis]
        if before < 0 or after < 0:
            raise ValueError(
                f"pad_images: {names[0]}={before} and {names[1]}={after} must be >= 0 "
                f"(is {names[2]}={target} smaller than the image?). Received: images.shape={tuple(shape)}"
            )
        pad_width[axis] = [before, after]
    return pad_width


def _pad_rule(
    images,
    top_padding=None,
    left_padding=None,
    bottom_padding=None,
    right_padding=None,
    target_height=None,
    target_width=None,
    data_format=None,
):
    shape = shape_rules.shape_of(images)
    data_format = config.standardize_data_format(data_format)
    pad_width = _pad_widths(
        shape,
        data_format,
        top_padding,
        left_padding,
        bottom_padding,
        right_padding,
        target_height,
        target_width,
    )
    output_shape = [None if size is None else size + sum(pads) for size, pads in zip(shape, pad_width)]
    return KerasTensor(tuple(output_shape), dtype=shape_rules.dtype_of(images))


@symbolic(_pad_rule)
def pad_images(
    images,
    top_padding=None,
    left_padding=None,
    bottom_padding=None,
    right_padding=None,
    target_height=None,
    target_width=None,
    data_format=None,
):
    """Pads images with zeros, as `keras.ops.image.pad_images`.

    Give, per axis, two of the three: the padding before, the padding after,
    and the target size.

    Args:
        images: Rank-3 or rank-4 tensor.
        top_padding: Rows added at the top.
        left_padding: Columns added on the left.
        bottom_padding: Rows added at the bottom.
        right_padding: Columns added on the right.
        target_height: Height of the output.
        target_width: Width of the output.
        data_format: `"channels_last"`, `"channels_first"` or None (the global default).

    Returns:
        The padded images.

    Example:

    >>> import lamina
    >>> x = lamina.ops.ones((2, 2, 1))
    >>> lamina.ops.image.pad_images(x, 1, 0, target_height=4, target_width=3).shape
    (4, 3, 1)
    """
    data_format = config.standardize_data_format(data_format)
    images = core.convert_to_tensor(images)
    pad_width = _pad_widths(
        tuple(images.shape),
        data_format,
        top_padding,
        left_padding,
        bottom_padding,
        right_padding,
        target_height,
        target_width,
    )
    return lnp.pad(images, pad_width)
