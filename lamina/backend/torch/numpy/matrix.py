"""PyTorch matrix structure and products."""

import torch

from lamina.backend.torch.core import cast
from lamina.backend.torch.core import convert_to_tensor
from lamina.backend.torch.core import to_torch_dtype
from lamina.backend.torch.numpy._casting import accumulation_dtype
from lamina.backend.torch.numpy._casting import promote
from lamina.backend.torch.numpy._casting import promote_pair_fast


def triu(x, k=0):
    return torch.triu(convert_to_tensor(x), diagonal=k)


def tril(x, k=0):
    return torch.tril(convert_to_tensor(x), diagonal=k)


def diag(x, k=0):
    return torch.diag(convert_to_tensor(x), diagonal=k)


def diagonal(x, offset=0, axis1=0, axis2=1):
    return torch.diagonal(convert_to_tensor(x), offset=offset, dim1=axis1, dim2=axis2)


def trace(x, offset=0, axis1=0, axis2=1):
    x = convert_to_tensor(x)
    values = torch.diagonal(x, offset=offset, dim1=axis1, dim2=axis2)
    return torch.sum(values, dim=-1, dtype=to_torch_dtype(accumulation_dtype(x.dtype)))


def _product_promote(x1, x2):
    """Promotes; bools multiply as int32 (torch has no bool matmul) and are cast back."""
    x1, x2 = promote(x1, x2)
    dtype = x1.dtype
    if dtype == torch.bool:
        x1, x2 = cast(x1, "int32"), cast(x2, "int32")
    return x1, x2, dtype


def _restore(result, dtype):
    if dtype == torch.bool:
        return result != 0
    return result if result.dtype == dtype else result.to(dtype)


def matmul(x1, x2):
    fast = promote_pair_fast(x1, x2)
    if fast is not None:
        return torch.matmul(*fast)  # one float dtype: nothing to promote or restore
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    if x1.dtype == torch.int8 and x2.dtype == torch.int8:
        # int8 x int8 products accumulate in int32, as in Keras.
        x1, x2 = cast(x1, "int32"), cast(x2, "int32")
    x1, x2, dtype = _product_promote(x1, x2)
    return _restore(torch.matmul(x1, x2), dtype)


def tensordot(x1, x2, axes=2):
    x1, x2, dtype = _product_promote(x1, x2)
    return _restore(torch.tensordot(x1, x2, dims=axes), dtype)


def dot(x1, x2):
    x1, x2, dtype = _product_promote(x1, x2)
    if x1.ndim == 0 or x2.ndim == 0:
        result = x1 * x2
    elif x2.ndim == 1:
        result = torch.tensordot(x1, x2, dims=([x1.ndim - 1], [0]))
    else:
        result = torch.tensordot(x1, x2, dims=([x1.ndim - 1], [x2.ndim - 2]))
    return _restore(result, dtype)


def outer(x1, x2):
    x1, x2, dtype = _product_promote(x1, x2)
    return _restore(torch.outer(x1.reshape(-1), x2.reshape(-1)), dtype)


def inner(x1, x2):
    x1, x2, dtype = _product_promote(x1, x2)
    if x1.ndim == 0 or x2.ndim == 0:
        return _restore(x1 * x2, dtype)
    return _restore(torch.tensordot(x1, x2, dims=([x1.ndim - 1], [x2.ndim - 1])), dtype)


def vdot(x1, x2):
    x1, x2, dtype = _product_promote(x1, x2)
    return _restore(torch.vdot(x1.reshape(-1), x2.reshape(-1)), dtype)


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1):
    x1, x2 = promote(x1, x2)
    x1, x2 = torch.movedim(x1, axisa, -1), torch.movedim(x2, axisb, -1)
    both_planar = x1.shape[-1] == 2 and x2.shape[-1] == 2
    if x1.shape[-1] == 2:
        x1 = torch.nn.functional.pad(x1, (0, 1))
    if x2.shape[-1] == 2:
        x2 = torch.nn.functional.pad(x2, (0, 1))
    x1, x2 = torch.broadcast_tensors(x1, x2)
    result = torch.linalg.cross(x1, x2, dim=-1)
    if both_planar:
        return result[..., 2]
    return torch.movedim(result, -1, axisc)


def einsum(subscripts, *operands, dtype=None):
    operands = promote(*operands, dtype=dtype)
    result_dtype = operands[0].dtype
    if result_dtype == torch.bool:
        operands = [cast(operand, "int32") for operand in operands]
    return _restore(torch.einsum(subscripts, *operands), result_dtype)
