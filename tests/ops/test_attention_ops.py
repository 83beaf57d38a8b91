"""`dot_product_attention` against a NumPy reference, finite differences and Keras 3."""

import os

import numpy as np
import pytest
from testing_utils import assert_close
from testing_utils import gradient
from testing_utils import numerical_gradient

from lamina import ops
from lamina.backend.common.keras_tensor import KerasTensor


def reference_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False):
    """Loops over query heads; head n reads key/value head n // (N // K)."""
    batch, query_length, num_heads, head_dim = query.shape
    key_length, num_key_heads = key.shape[1], key.shape[2]
    scale = 1.0 / np.sqrt(head_dim) if scale is None else scale
    full_mask = np.ones((batch, num_heads, query_length, key_length), dtype=bool)
    if mask is not None:
        full_mask = full_mask & np.broadcast_to(mask, full_mask.shape)
    if is_causal:
        full_mask = full_mask & (np.arange(query_length)[:, None] >= np.arange(key_length)[None, :])
    output = np.zeros((batch, query_length, num_heads, value.shape[-1]))
    for head in range(num_heads):
        key_head = head // (num_heads // num_key_heads)
        logits = np.einsum("bth,bsh->bts", query[:, :, head], key[:, :, key_head]) * scale
        if bias is not None:
            logits = logits + np.broadcast_to(bias, full_mask.shape)[:, head]
        logits = np.where(full_mask[:, head], logits, -1e30)
        weights = np.exp(logits - logits.max(-1, keepdims=True))
        weights = weights / weights.sum(-1, keepdims=True)
        output[:, :, head] = np.einsum("bts,bsh->bth", weights, value[:, :, key_head])
    return output


def _inputs(num_heads=4, num_key_heads=4, query_length=3, key_length=5, head_dim=8, value_dim=None, seed=0):
    rng = np.random.default_rng(seed)
    query = rng.normal(size=(2, query_length, num_heads, head_dim)).astype("float32")
    key = rng.normal(size=(2, key_length, num_key_heads, head_dim)).astype("float32")
    value = rng.normal(size=(2, key_length, num_key_heads, value_dim or head_dim)).astype("float32")
    return query, key, value


RNG = np.random.default_rng(1)
CASES = [
    ("multi_head", {}, {}),
    ("grouped_query", {"num_key_heads": 2}, {}),
    ("multi_query", {"num_key_heads": 1}, {}),
    ("causal", {"num_key_heads": 2}, {"is_causal": True}),
    ("causal_square", {"key_length": 3}, {"is_causal": True}),
    ("mask_b1ts", {}, {"mask": RNG.random((2, 1, 3, 5)) > 0.3}),
    ("mask_ts", {"num_key_heads": 2}, {"mask": RNG.random((3, 5)) > 0.3}),
    ("mask_bnts_causal", {}, {"mask": RNG.random((2, 4, 3, 5)) > 0.3, "is_causal": True}),
    ("bias", {"num_key_heads": 2}, {"bias": RNG.normal(size=(1, 4, 3, 5)).astype("float32")}),
    (
        "bias_and_mask",
        {},
        {"bias": RNG.normal(size=(3, 5)).astype("float32"), "mask": RNG.random((3, 5)) > 0.3},
    ),
    ("scale", {}, {"scale": 0.5}),
    ("value_dim", {"value_dim": 6}, {}),
    ("value_dim_masked", {"value_dim": 6, "num_key_heads": 2}, {"mask": RNG.random((2, 1, 3, 5)) > 0.3}),
]


@pytest.mark.parametrize("name, shape_kwargs, kwargs", CASES, ids=[case[0] for case in CASES])
def test_matches_numpy_reference(name, shape_kwargs, kwargs):
    query, key, value = _inputs(**shape_kwargs)
    output = ops.dot_product_attention(query, key, value, **kwargs)
    assert tuple(output.shape) == query.shape[:-1] + (value.shape[-1],)
    assert ops.dtype(output) == "float32"
    assert_close(output, reference_attention(query, key, value, **kwargs), atol=1e-5)


@pytest.mark.parametrize("name, shape_kwargs, kwargs", CASES[:10], ids=[case[0] for case in CASES[:10]])
def test_matches_keras(name, shape_kwargs, kwargs):
    os.environ.setdefault("KERAS_BACKEND", "jax")
    keras = pytest.importorskip("keras")
    query, key, value = _inputs(**shape_kwargs)
    expected = keras.ops.dot_product_attention(query, key, value, **kwargs)
    assert_close(ops.dot_product_attention(query, key, value, **kwargs), np.asarray(expected), atol=1e-5)


def test_fully_masked_rows_average_the_values():
    query, key, value = _inputs()
    mask = np.ones((3, 5), dtype=bool)
    mask[1] = False
    output = ops.convert_to_numpy(ops.dot_product_attention(query, key, value, mask=mask))
    assert_close(output[:, 1], value.mean(axis=1), atol=1e-5)


def test_symbolic_shape_and_dtype():
    output = ops.dot_product_attention(
        KerasTensor((None, 3, 4, 8)), KerasTensor((None, 5, 2, 8)), KerasTensor((None, 5, 2, 6))
    )
    assert output.shape == (None, 3, 4, 6)
    assert output.dtype == "float32"


@pytest.mark.parametrize(
    "shapes, match",
    [
        (((2, 3, 8), (2, 5, 8), (2, 5, 8)), "of rank 4"),
        (((2, 3, 4, 8), (2, 5, 3, 8), (2, 5, 3, 8)), "multiple of the number of key/value heads"),
        (((2, 3, 4, 8), (2, 5, 4, 8), (2, 6, 4, 8)), "same shape as key"),
        (((2, 3, 4, 8), (2, 5, 4, 7), (2, 5, 4, 7)), "head size"),
    ],
)
def test_bad_shapes_raise(shapes, match):
    for make in (np.zeros, KerasTensor):
        tensors = [make(shape) for shape in shapes]
        with pytest.raises(ValueError, match=f"dot_product_attention expects .*{match}"):
            ops.dot_product_attention(*tensors)


def test_soft_cap_off_tpu_raises():
    query, key, value = _inputs()
    with pytest.raises(ValueError, match="attn_logits_soft_cap"):
        ops.dot_product_attention(query, key, value, attn_logits_soft_cap=20.0)


def test_flash_attention_on_cpu_float32_raises():
    query, key, value = _inputs()
    with pytest.raises(ValueError, match="flash_attention=True"):
        ops.dot_product_attention(query, key, value, flash_attention=True)


@pytest.mark.requires_trainable_backend
@pytest.mark.parametrize("kwargs", [{}, {"is_causal": True, "mask": RNG.random((2, 1, 3, 5)) > 0.2}])
def test_gradients_match_finite_differences(kwargs):
    query, key, value = (x.astype("float64") for x in _inputs(num_heads=2, num_key_heads=1, head_dim=3))
    weights = np.random.default_rng(3).normal(size=query.shape[:-1] + (3,))

    def our_loss(q, k, v):
        return ops.multiply(ops.dot_product_attention(q, k, v, **kwargs), weights)

    def reference_loss(q, k, v):
        return reference_attention(q, k, v, **kwargs) * weights

    analytic = gradient(our_loss, query, key, value)
    numeric = numerical_gradient(reference_loss, query, key, value)
    for actual, expected in zip(analytic, numeric):
        assert_close(actual, expected, atol=1e-5, rtol=1e-4)
