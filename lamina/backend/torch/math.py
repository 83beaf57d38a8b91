"""PyTorch math ops: segment reductions, top-k, logsumexp, special functions."""

import torch

from lamina import config
from lamina.backend.torch.core import convert_to_tensor
from lamina.backend.torch.core import to_torch_dtype


def _float(x):
    x = convert_to_tensor(x)
    if not x.is_floating_point():
        x = x.to(to_torch_dtype(config.floatx()))
    return x


def _segment_inputs(data, segment_ids, num_segments):
    data = convert_to_tensor(data)
    segment_ids = convert_to_tensor(segment_ids).to(torch.int64)
    if num_segments is None:
        num_segments = int(segment_ids.max()) + 1 if segment_ids.numel() else 0
    # Ids outside [0, num_segments) are dropped, as jax.ops.segment_* does.
    valid = (segment_ids >= 0) & (segment_ids < num_segments)
    valid = valid.reshape(valid.shape + (1,) * (data.ndim - 1))
    return data, torch.clamp(segment_ids, 0, max(int(num_segments) - 1, 0)), valid, int(num_segments)


def _lowest(dtype):
    if dtype.is_floating_point:
        return -float("inf")
    if dtype == torch.bool:
        return False
    return torch.iinfo(dtype).min


def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    data, segment_ids, valid, count = _segment_inputs(data, segment_ids, num_segments)
    data = torch.where(valid, data, torch.zeros((), dtype=data.dtype, device=data.device))
    result = torch.zeros((count,) + tuple(data.shape[1:]), dtype=data.dtype, device=data.device)
    return result.index_add(0, segment_ids, data)


def segment_max(data, segment_ids, num_segments=None, sorted=False):
    data, segment_ids, valid, count = _segment_inputs(data, segment_ids, num_segments)
    lowest = _lowest(data.dtype)
    data = torch.where(valid, data, torch.full((), lowest, dtype=data.dtype, device=data.device))
    result = torch.full((count,) + tuple(data.shape[1:]), lowest, dtype=data.dtype, device=data.device)
    index = segment_ids.reshape((-1,) + (1,) * (data.ndim - 1)).expand(data.shape)
    return result.scatter_reduce(0, index, data, reduce="amax", include_self=True)


def top_k(x, k, sorted=True):
    values, indices = torch.topk(convert_to_tensor(x), k, sorted=True)
    return values, indices.to(torch.int32)


def in_top_k(targets, predictions, k):
    targets = convert_to_tensor(targets).to(torch.int64)
    predictions = convert_to_tensor(predictions)
    at_target = torch.take_along_dim(predictions, targets.unsqueeze(-1), dim=-1)
    # A NaN prediction for the target must not count as a high score.
    at_target = torch.where(torch.isnan(at_target), -float("inf"), at_target)
    rank = 1 + torch.sum(predictions > at_target, dim=-1)
    return rank <= k


def logsumexp(x, axis=None, keepdims=False):
    x = _float(x)
    dims = tuple(range(x.ndim)) if axis is None else axis
    return torch.logsumexp(x, dim=dims, keepdim=keepdims)


def erf(x):
    return torch.erf(_float(x))


def erfinv(x):
    return torch.erfinv(_float(x))


def rsqrt(x):
    return torch.rsqrt(_float(x))


def logdet(x):
    return torch.linalg.slogdet(_float(x))[1]


def extract_sequences(x, sequence_length, sequence_stride):
    x = convert_to_tensor(x)
    return x.unfold(-1, sequence_length, sequence_stride)
