"""NumPy image primitives. The image ops themselves live in `lamina.ops.image`."""

import numpy as np

from lamina.backend.numpy.core import convert_to_tensor


def gather_pixels(images, rows, cols):
    """Pixels `images[b, rows[b, i, j], cols[b, i, j], :]` of channels-last batched images.

    Args:
        images: Array of shape `(batch, height, width, channels)`.
        rows: Integer array of shape `(batch, out_height, out_width)`, in range.
        cols: Integer array of the same shape as `rows`, in range.

    Returns:
        Array of shape `(batch, out_height, out_width, channels)`.
    """
    images = convert_to_tensor(images)
    batch_indices = np.arange(images.shape[0])[:, None, None]
    return images[batch_indices, np.asarray(rows), np.asarray(cols)]
