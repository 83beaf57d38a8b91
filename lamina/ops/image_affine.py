"""Pixel sampling for `lamina.ops.image.affine_transform`.

Follows `jax.scipy.ndimage.map_coordinates` (Keras's JAX implementation): order
0 rounds coordinates half away from zero; order 1 blends the two neighbours of
each axis; indices outside the image are remapped by the fill mode, and in
`"constant"` mode each out-of-image neighbour contributes `fill_value`.
"""

from lamina import config
from lamina.ops import core
from lamina.ops import numpy as lnp

AFFINE_INTERPOLATIONS = {"nearest": 0, "bilinear": 1}
AFFINE_FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


def _mirror(index, size):
    if size == 1:
        return lnp.zeros_like(index)
    period = size - 1
    return lnp.abs(lnp.mod(index + period, 2 * period) - period)


def _fix_index(index, size, fill_mode):
    """Maps integer `index` into `[0, size)` as the fill mode says (constant: clipped, masked later)."""
    if fill_mode in ("constant", "nearest"):
        return lnp.clip(index, 0, size - 1)
    if fill_mode == "wrap":
        return lnp.mod(index, size)
    if fill_mode == "mirror":
        return _mirror(index, size)
    # "reflect": the edge pixel repeats (half-sample symmetric).
    return lnp.floor_divide(_mirror(2 * index + 1, 2 * size + 1) - 1, 2)


def _round_half_away_from_zero(values):
    return lnp.where(values >= 0, lnp.floor(values + 0.5), -lnp.floor(0.5 - values))


def _nodes(coordinates, order):
    """`[(integer index, weight)]` of the neighbours that interpolate at `coordinates`."""
    if order == 0:
        return [(core.cast(_round_half_away_from_zero(coordinates), "int32"), None)]
    lower = lnp.floor(coordinates)
    upper_weight = coordinates - lower
    lower_index = core.cast(lower, "int32")
    return [(lower_index, 1 - upper_weight), (lower_index + 1, upper_weight)]


def sample_affine(images, transform, order, fill_mode, fill_value, backend_image):
    """Samples batched channels-last `images` through per-image affine `transform`s.

    Args:
        images: Tensor `(batch, height, width, channels)`.
        transform: Tensor `(batch or 1, 8)`: `[a0, a1, a2, b0, b1, b2, c0, c1]`.
        order: 0 (nearest) or 1 (bilinear).
        fill_mode: One of `AFFINE_FILL_MODES`.
        fill_value: The constant outside the image in `"constant"` mode.
        backend_image: The active backend's image module (for `gather_pixels`).

    Returns:
        Tensor shaped like `images`, in its dtype.
    """
    batch, height, width, _ = images.shape
    dtype = str(core.dtype(images))
    compute_dtype = dtype if dtype.startswith(("float", "bfloat")) else config.floatx()
    transform = core.cast(transform, compute_dtype)
    if transform.shape[0] != batch:
        transform = lnp.broadcast_to(transform, (batch, 8))
    rows = lnp.reshape(lnp.arange(height, dtype=compute_dtype), (1, height, 1))
    cols = lnp.reshape(lnp.arange(width, dtype=compute_dtype), (1, 1, width))
    a0, a1, a2, b0, b1, b2 = (lnp.reshape(transform[:, index], (batch, 1, 1)) for index in range(6))
    row_coordinates = rows * b1 + cols * b0 + b2
    col_coordinates = rows * a1 + cols * a0 + a2
    values = core.cast(images, compute_dtype)
    fill = core.convert_to_tensor(fill_value, dtype=dtype)
    fill = core.cast(fill, compute_dtype)
    result = None
    for row_index, row_weight in _nodes(row_coordinates, order):
        for col_index, col_weight in _nodes(col_coordinates, order):
            pixels = backend_image.gather_pixels(
                values, _fix_index(row_index, height, fill_mode), _fix_index(col_index, width, fill_mode)
            )
            if fill_mode == "constant":
                inside = (row_index >= 0) & (row_index < height) & (col_index >= 0) & (col_index < width)
                pixels = lnp.where(lnp.expand_dims(inside, -1), pixels, fill)
            if row_weight is not None:
                pixels = lnp.expand_dims(row_weight * col_weight, -1) * pixels
            result = pixels if result is None else result + pixels
    if compute_dtype != dtype:
        result = core.cast(_round_half_away_from_zero(result), dtype)
    return result
