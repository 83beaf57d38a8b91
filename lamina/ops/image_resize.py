"""Resampling weights for `lamina.ops.image.resize`, computed on the host with NumPy.

A resize is separable: each spatial axis is resampled by a matrix of shape
`(input_size, output_size)` that depends only on the two sizes, the kernel and
whether to antialias. Computing it with NumPy and contracting it with the
images (`einsum`) gives every backend the same numbers. The matrices follow
`jax.image.resize` (what Keras uses on JAX): half-pixel centers, weights
normalized to sum to one, samples outside the image dropped, and, with
antialiasing, the kernel widened by the downsampling factor.
"""

import numpy as np

RESIZE_INTERPOLATIONS = ("bilinear", "nearest", "lanczos3", "lanczos5", "bicubic")


def _triangle_kernel(x):
    return np.maximum(0.0, 1.0 - np.abs(x))


def _keys_cubic_kernel(x):
    inner = ((1.5 * x - 2.5) * x) * x + 1.0
    outer = ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0
    return np.where(x >= 2.0, 0.0, np.where(x >= 1.0, outer, inner))


def _lanczos_kernel(radius):
    def kernel(x):
        with np.errstate(divide="ignore", invalid="ignore"):
            y = radius * np.sin(np.pi * x) * np.sin(np.pi * x / radius) / (np.pi**2 * x**2)
        y = np.where(x > 1e-3, y, 1.0)
        return np.where(x > radius, 0.0, y)

    return kernel


_KERNELS = {
    "bilinear": _triangle_kernel,
    "bicubic": _keys_cubic_kernel,
    "lanczos3": _lanczos_kernel(3.0),
    "lanczos5": _lanczos_kernel(5.0),
}


def resize_weights(input_size, output_size, interpolation, antialias):
    """The `(input_size, output_size)` float64 matrix that resamples one axis.

    Args:
        input_size: Length of the axis before resizing.
        output_size: Length of the axis after resizing.
        interpolation: One of `"bilinear"`, `"bicubic"`, `"lanczos3"`, `"lanczos5"`.
        antialias: Whether to widen the kernel when downsampling.

    Returns:
        A NumPy array; column `j` holds the weights of output sample `j`.

    Example:

    >>> resize_weights(2, 4, "bilinear", False).T.round(2).tolist()
    [[1.0, 0.0], [0.75, 0.25], [0.25, 0.75], [0.0, 1.0]]
    """
    kernel = _KERNELS[interpolation]
    inverse_scale = input_size / output_size
    kernel_scale = max(inverse_scale, 1.0) if antialias else 1.0
    sample_positions = (np.arange(output_size) + 0.5) * inverse_scale - 0.5
    distances = np.abs(sample_positions[np.newaxis, :] - np.arange(input_size)[:, np.newaxis])
    weights = kernel(distances / kernel_scale)
    totals = np.sum(weights, axis=0, keepdims=True)
    safe_totals = np.where(totals != 0, totals, 1.0)
    weights = np.where(np.abs(totals) > 1000.0 * float(np.finfo(np.float32).eps), weights / safe_totals, 0.0)
    inside = (sample_positions >= -0.5) & (sample_positions <= input_size - 0.5)
    return np.where(inside[np.newaxis, :], weights, 0.0)


def nearest_indices(input_size, output_size):
    """The input index each of the `output_size` samples copies (half-pixel centers).

    Example:

    >>> nearest_indices(4, 2).tolist()
    [1, 3]
    """
    positions = (np.arange(output_size, dtype=np.float32) + np.float32(0.5)) * np.float32(input_size)
    positions = positions / np.float32(output_size)
    return np.floor(positions).astype(np.int32)


def aspect_ratio_crop(height, width, target_height, target_width):
    """The `(top, left, crop_height, crop_width)` box of the largest centered crop with the target's ratio.

    Example:

    >>> aspect_ratio_crop(4, 8, 2, 2)
    (0, 2, 4, 4)
    """
    crop_height = int(float(width * target_height) / target_width)
    crop_height = max(min(height, crop_height), 1)
    crop_width = int(float(height * target_width) / target_height)
    crop_width = max(min(width, crop_width), 1)
    top = int(float(height - crop_height) / 2)
    left = int(float(width - crop_width) / 2)
    return top, left, crop_height, crop_width


def aspect_ratio_padding(height, width, target_height, target_width):
    """The `(vertical, horizontal)` padding on each side that gives the target's aspect ratio.

    Only one of the two is non-zero, as in Keras (the vertical padding wins).

    Example:

    >>> aspect_ratio_padding(2, 4, 4, 4)
    (1, 0)
    """
    padded_height = max(height, int(float(width * target_height) / target_width))
    padded_width = max(width, int(float(height * target_width) / target_height))
    vertical = int(float(padded_height - height) / 2)
    horizontal = int(float(padded_width - width) / 2)
    if vertical > 0:
        return vertical, 0
    return 0, horizontal
