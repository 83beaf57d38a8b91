"""PyTorch image primitives. The image ops themselves live in `lamina.ops.image`."""

import torch

from lamina.backend.torch.core import convert_to_tensor


def gather_pixels(images, rows, cols):
    """Pixels `images[b, rows[b, i, j], cols[b, i, j], :]` of channels-last batched images.

    Args:
        images: Tensor of shape `(batch, height, width, channels)`.
        rows: Integer tensor of shape `(batch, out_height, out_width)`, in range.
        cols: Integer tensor of the same shape as `rows`, in range.

    Returns:
        Tensor of shape `(batch, out_height, out_width, channels)`.
    """
    images = convert_to_tensor(images)
    rows = convert_to_tensor(rows).to(torch.int64)
    cols = convert_to_tensor(cols).to(torch.int64)
    batch_indices = torch.arange(images.shape[0], device=images.device)[:, None, None]
    return images[batch_indices, rows, cols]
