"""PyTorch random ops. Each call seeds a fresh `torch.Generator` from the seed state."""

import torch

from lamina.backend.torch.core import DEFAULT_DEVICE
from lamina.backend.torch.core import convert_to_tensor
from lamina.backend.torch.core import to_torch_dtype

TRACES_FUNCTIONS = False


def _generator(seed):
    state = convert_to_tensor(seed).tolist()
    generator = torch.Generator(device=DEFAULT_DEVICE)
    generator.manual_seed((int(state[0]) * 1_000_003 + int(state[1])) & 0xFFFFFFFF)
    return generator


def seed_backend(seed):
    torch.manual_seed(seed)


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    sample = torch.randn(
        tuple(shape), generator=_generator(seed), dtype=to_torch_dtype(dtype), device=DEFAULT_DEVICE
    )
    return sample * stddev + mean


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    sample = torch.rand(
        tuple(shape), generator=_generator(seed), dtype=to_torch_dtype(dtype), device=DEFAULT_DEVICE
    )
    return sample * (maxval - minval) + minval


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    sample = torch.empty(tuple(shape), dtype=to_torch_dtype(dtype), device=DEFAULT_DEVICE)
    torch.nn.init.trunc_normal_(sample, mean=0.0, std=1.0, a=-2.0, b=2.0, generator=_generator(seed))
    return sample * stddev + mean


def randint(shape, minval, maxval, dtype="int32", seed=None):
    sample = torch.randint(
        int(minval), int(maxval), tuple(shape), generator=_generator(seed), device=DEFAULT_DEVICE
    )
    return sample.to(to_torch_dtype(dtype))


def categorical(logits, num_samples, dtype="int32", seed=None):
    logits = convert_to_tensor(logits)
    probabilities = torch.softmax(logits, dim=-1)
    flat = probabilities.reshape(-1, probabilities.shape[-1])
    samples = torch.multinomial(flat, num_samples, replacement=True, generator=_generator(seed))
    return samples.reshape(tuple(logits.shape[:-1]) + (num_samples,)).to(to_torch_dtype(dtype))


def dropout(inputs, rate, noise_shape=None, seed=None):
    inputs = convert_to_tensor(inputs)
    noise_shape = (
        tuple(inputs.shape)
        if noise_shape is None
        else tuple(inputs.shape[i] if dim is None else dim for i, dim in enumerate(noise_shape))
    )
    keep = torch.rand(noise_shape, generator=_generator(seed), device=inputs.device) >= rate
    return torch.where(keep, inputs / (1.0 - rate), torch.zeros_like(inputs))


def shuffle(x, axis=0, seed=None):
    x = convert_to_tensor(x)
    order = torch.randperm(x.shape[axis], generator=_generator(seed), device=x.device)
    return torch.index_select(x, axis, order)
