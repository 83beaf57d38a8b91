"""Attention layers: harness, symbolic shapes, masks, gradients and errors on every backend."""

import numpy as np
import pytest
from layers.layer_test_case import run_layer_test
from testing_utils import assert_close
from testing_utils import gradient

import lamina
from lamina import layers
from lamina import ops
from lamina.backend.common import masking

RNG = np.random.default_rng(0)
QUERY = RNG.normal(size=(2, 3, 4)).astype("float32")
VALUE = RNG.normal(size=(2, 5, 4)).astype("float32")


@pytest.mark.parametrize(
    "init_kwargs, call_kwargs, num_weights, output_shape",
    [
        ({}, {}, 0, (2, 3, 4)),
        ({"use_scale": True, "score_mode": "concat"}, {}, 2, (2, 3, 4)),
        ({"use_scale": True}, {"return_attention_scores": True}, 1, None),
    ],
)
def test_attention_harness(init_kwargs, call_kwargs, num_weights, output_shape):
    run_layer_test(
        layers.Attention,
        init_kwargs=init_kwargs,
        input_data=[QUERY, VALUE],
        call_kwargs=call_kwargs,
        expected_output_shape=output_shape,
        expected_num_trainable_weights=num_weights,
        expected_num_non_trainable_weights=0,
        run_gradient_check=num_weights > 0,
    )


def test_attention_dropout_harness():
    run_layer_test(
        layers.Attention,
        init_kwargs={"dropout": 0.5, "seed": 1},
        input_data=[QUERY, VALUE, VALUE],
        call_kwargs={"training": True},
        expected_output_shape=(2, 3, 4),
        expected_num_seed_generators=1,
        run_gradient_check=False,
    )


def test_additive_attention_harness():
    run_layer_test(
        layers.AdditiveAttention,
        init_kwargs={},
        input_data=[QUERY, VALUE],
        expected_output_shape=(2, 3, 4),
        expected_num_trainable_weights=1,
    )


@pytest.mark.parametrize(
    "init_kwargs, call_kwargs, num_weights, output_shape, gradient_check",
    [
        ({"num_heads": 2, "key_dim": 3, "value_dim": 2}, {}, 8, (2, 3, 4), True),
        (
            {"num_heads": 1, "key_dim": 2, "use_gate": True, "use_bias": False},
            {"use_causal_mask": True},
            5,
            (2, 3, 4),
            False,
        ),
    ],
)
def test_multi_head_attention_harness(init_kwargs, call_kwargs, num_weights, output_shape, gradient_check):
    run_layer_test(
        layers.MultiHeadAttention,
        init_kwargs=init_kwargs,
        input_data=QUERY,
        call_kwargs={"value": VALUE[:, :3] if call_kwargs.get("use_causal_mask") else VALUE, **call_kwargs},
        expected_output_shape=output_shape,
        expected_num_trainable_weights=num_weights,
        expected_num_non_trainable_weights=0,
        supports_masking=True,
        run_gradient_check=gradient_check,
    )


def test_group_query_attention_harness():
    run_layer_test(
        layers.GroupQueryAttention,
        init_kwargs={"head_dim": 2, "num_query_heads": 4, "num_key_value_heads": 2},
        input_data=QUERY,
        call_kwargs={"value": VALUE},
        expected_output_shape=(2, 3, 4),
        expected_num_trainable_weights=8,
        supports_masking=True,
    )


def test_auto_names_and_alias():
    assert layers.MultiHeadAttention(1, 2).name.startswith("multi_head_attention")
    assert layers.GroupQueryAttention(2, 2, 1).name.startswith("grouped_query_attention")
    assert layers.GroupQueryAttention is layers.GroupedQueryAttention
    assert layers.AdditiveAttention().name.startswith("additive_attention")
    assert layers.Attention().name.startswith("attention")


def test_multi_head_attention_weight_paths_and_shapes():
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=4, value_dim=3, name="mha")
    layer(QUERY, VALUE)
    assert [(weight.path, tuple(weight.shape)) for weight in layer.weights] == [
        ("mha/query/kernel", (4, 2, 4)),
        ("mha/query/bias", (2, 4)),
        ("mha/key/kernel", (4, 2, 4)),
        ("mha/key/bias", (2, 4)),
        ("mha/value/kernel", (4, 2, 3)),
        ("mha/value/bias", (2, 3)),
        ("mha/attention_output/kernel", (2, 3, 4)),
        ("mha/attention_output/bias", (4,)),
    ]
    assert layer._output_dense.name == "attention_output"
    assert layer._softmax is not None and layer._dropout_layer is not None


def test_symbolic_calls():
    query = lamina.KerasTensor((None, 3, 4))
    value = lamina.KerasTensor((None, 5, 4))
    output, scores = layers.MultiHeadAttention(2, 3)(query, value, return_attention_scores=True)
    assert output.shape == (None, 3, 4) and scores.shape == (None, 2, 3, 5)
    output, scores = layers.GroupQueryAttention(2, 4, 2)(query, value, return_attention_scores=True)
    assert output.shape == (None, 3, 4) and scores.shape == (None, 4, 3, 5)
    output, scores = layers.Attention()([query, value], return_attention_scores=True)
    assert output.shape == (None, 3, 4) and scores.shape == (None, 3, 5)


def _attention_reference(query, value, value_mask=None, query_mask=None, causal=False):
    scores = query @ value.transpose(0, 2, 1)
    mask = np.ones(scores.shape, dtype=bool)
    if value_mask is not None:
        mask &= value_mask[:, None, :]
    if causal:
        mask &= np.tril(np.ones(scores.shape[1:], dtype=bool))
    scores = np.where(mask, scores, scores - 1e9)
    weights = np.exp(scores - scores.max(-1, keepdims=True))
    weights /= weights.sum(-1, keepdims=True)
    output = weights @ value
    if query_mask is not None:
        output = np.where(query_mask[..., None], output, 0.0)
    return output


def test_attention_masks_from_inputs_keras_masks():
    query_mask = np.array([[True, True, False], [True, False, True]])
    value_mask = np.array([[True, True, False, False, True], [False, True, True, True, True]])
    # Copies: on NumPy, convert_to_tensor returns the shared arrays themselves.
    query = ops.convert_to_tensor(QUERY.copy())
    value = ops.convert_to_tensor(VALUE.copy())
    masking.set_keras_mask(query, ops.convert_to_tensor(query_mask))
    masking.set_keras_mask(value, ops.convert_to_tensor(value_mask))
    layer = layers.Attention()
    output = layer([query, value])
    expected = _attention_reference(QUERY, VALUE, value_mask, query_mask)
    assert_close(output, expected, atol=1e-5)
    assert_close(layer([QUERY, VALUE], mask=[query_mask, value_mask]), expected, atol=1e-5)
    assert_close(masking.get_keras_mask(output), query_mask)


def test_attention_causal_mask():
    output = layers.Attention()([QUERY, VALUE[:, :3]], use_causal_mask=True)
    assert_close(output, _attention_reference(QUERY, VALUE[:, :3], causal=True), atol=1e-5)


def test_multi_head_attention_uses_value_keras_mask():
    value_mask = np.array([[True, True, False, False, True], [False, True, True, True, True]])
    value = ops.convert_to_tensor(VALUE.copy())
    masking.set_keras_mask(value, ops.convert_to_tensor(value_mask))
    layer = layers.MultiHeadAttention(2, 3)
    from_keras_mask = layer(QUERY, value, return_attention_scores=True)[1]
    explicit = layer(QUERY, VALUE, value_mask=value_mask, return_attention_scores=True)[1]
    scores = ops.convert_to_numpy(from_keras_mask)
    assert_close(scores, ops.convert_to_numpy(explicit))
    assert np.all(scores[:, :, :, ~value_mask[0]][0] == 0.0)
    assert_close(scores.sum(-1), np.ones((2, 2, 3)), atol=1e-5)


@pytest.mark.requires_trainable_backend
@pytest.mark.parametrize(
    "layer_class, init_kwargs",
    [
        (layers.MultiHeadAttention, {"num_heads": 2, "key_dim": 3}),
        (layers.GroupQueryAttention, {"head_dim": 2, "num_query_heads": 2, "num_key_value_heads": 1}),
    ],
)
def test_input_gradient_matches_finite_differences(layer_class, init_kwargs):
    layer = layer_class(**init_kwargs)
    query, value = QUERY[:1, :2], VALUE[:1]
    layer(query, value)

    def function(q):
        return layer(q, value, use_causal_mask=False)

    analytic = gradient(function, query)[0]
    # float32 (JAX runs without x64): a wide step keeps round-off below the tolerance.
    epsilon = 1e-2
    numeric = np.zeros_like(query)
    for position in np.ndindex(query.shape):
        plus, minus = query.copy(), query.copy()
        plus[position] += epsilon
        minus[position] -= epsilon
        difference = ops.convert_to_numpy(function(plus)).sum() - ops.convert_to_numpy(function(minus)).sum()
        numeric[position] = difference / (2 * epsilon)
    assert_close(analytic, numeric, atol=3e-3, rtol=1e-2)


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: layers.Attention(score_mode="sum"), "Attention layer .* score_mode"),
        (lambda: layers.Attention()([QUERY, VALUE[..., :3]]), "Attention layer .* same last axis size"),
        (lambda: layers.AdditiveAttention()([QUERY, VALUE[..., :3]]), "AdditiveAttention layer .* same last"),
        (lambda: layers.Attention()(QUERY), "Attention layer .* list of 2 or 3 inputs"),
        (lambda: layers.Attention()([QUERY, VALUE], mask=VALUE[..., 0] > 0), "expects mask to be a list"),
        (
            lambda: layers.GroupQueryAttention(2, 4, 3),
            "num_query_heads to be divisible by num_key_value_heads",
        ),
        (lambda: layers.GroupQueryAttention(2, 4, 2)(QUERY, VALUE[..., :3]), "same last axis size"),
        (lambda: layers.MultiHeadAttention(0, 2), "MultiHeadAttention expects num_heads"),
        (lambda: layers.MultiHeadAttention(2, 2, dropout=0.1, flash_attention=True), "dropout with flash"),
        (lambda: layers.MultiHeadAttention(2, 2)(QUERY, VALUE, key=QUERY), "value and key to have the same"),
        (lambda: layers.MultiHeadAttention(2, 2, attention_axes=3)(QUERY, VALUE), "attention_axes between"),
    ],
)
def test_errors_name_the_layer(make, match):
    with pytest.raises(ValueError, match=match):
        make()
