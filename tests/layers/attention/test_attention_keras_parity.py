"""Attention layers against Keras 3 (JAX backend) given the same weights: outputs, scores,
weight paths, configs and weight gradients."""

import numpy as np
import pytest
from testing_utils import assert_close
from testing_utils import gradient

import lamina
from lamina import layers
from lamina import ops

RNG = np.random.default_rng(0)
QUERY = RNG.normal(size=(2, 5, 6)).astype("float32")
VALUE = RNG.normal(size=(2, 7, 6)).astype("float32")
KEY = RNG.normal(size=(2, 7, 6)).astype("float32")
IMAGE = RNG.normal(size=(2, 3, 4, 6)).astype("float32")
QUERY_MASK = RNG.random((2, 5)) > 0.3
VALUE_MASK = RNG.random((2, 7)) > 0.3
ATTENTION_MASK = RNG.random((2, 5, 7)) > 0.2
SELF_MASK = RNG.random((2, 5, 5)) > 0.2

GQA = {"head_dim": 3, "num_query_heads": 4, "num_key_value_heads": 2}
MHA = {"num_heads": 2, "key_dim": 3}
SCORES = {"return_attention_scores": True}
CASES = [
    ("Attention", {}, ([QUERY, VALUE],), {}),
    (
        "Attention",
        {"use_scale": True, "score_mode": "concat"},
        ([QUERY, VALUE, KEY],),
        {"mask": [QUERY_MASK, VALUE_MASK], **SCORES},
    ),
    (
        "Attention",
        {"use_scale": True},
        ([QUERY, QUERY],),
        {"mask": [QUERY_MASK, QUERY_MASK], "use_causal_mask": True},
    ),
    ("AdditiveAttention", {}, ([QUERY, VALUE, KEY],), {"mask": [QUERY_MASK, VALUE_MASK], **SCORES}),
    ("AdditiveAttention", {"use_scale": False}, ([QUERY, QUERY],), {"use_causal_mask": True}),
    (
        "MultiHeadAttention",
        MHA,
        (QUERY, VALUE, KEY),
        {"value_mask": VALUE_MASK, "key_mask": VALUE_MASK, **SCORES},
    ),
    ("MultiHeadAttention", MHA, (QUERY, VALUE), {"attention_mask": ATTENTION_MASK}),
    ("MultiHeadAttention", MHA, (QUERY, QUERY), {"use_causal_mask": True}),
    (
        "MultiHeadAttention",
        MHA,
        (QUERY, QUERY),
        {"use_causal_mask": True, "attention_mask": SELF_MASK, **SCORES},
    ),
    ("MultiHeadAttention", {**MHA, "use_bias": False, "use_gate": True}, (QUERY, VALUE), {}),
    ("MultiHeadAttention", {**MHA, "sliding_window": 2}, (QUERY, QUERY), SCORES),
    ("MultiHeadAttention", {**MHA, "value_dim": 5, "output_shape": (2, 4)}, (QUERY, VALUE), SCORES),
    ("MultiHeadAttention", {**MHA, "attention_axes": (2,)}, (IMAGE, IMAGE), SCORES),
    ("MultiHeadAttention", {**MHA, "attention_axes": (1, 2)}, (IMAGE, IMAGE), {}),
    ("GroupQueryAttention", GQA, (QUERY, VALUE, KEY), {}),
    (
        "GroupQueryAttention",
        GQA,
        (QUERY, VALUE),
        {"query_mask": QUERY_MASK, "value_mask": VALUE_MASK, **SCORES},
    ),
    ("GroupQueryAttention", {**GQA, "num_key_value_heads": 1}, (QUERY, QUERY), {"use_causal_mask": True}),
    (
        "GroupQueryAttention",
        {**GQA, "use_gate": True, "sliding_window": 2},
        (QUERY, VALUE),
        {"attention_mask": ATTENTION_MASK},
    ),
    ("GroupQueryAttention", {**GQA, "use_bias": False}, (QUERY, QUERY), {"use_causal_mask": True, **SCORES}),
]


def _pair(keras, class_name, init_kwargs):
    # One explicit name: the two libraries number automatic names separately.
    return (
        getattr(layers, class_name)(name="layer", **init_kwargs),
        getattr(keras.layers, class_name)(name="layer", **init_kwargs),
    )


def _their_weights(layer):
    # Keras's get_weights() warns under NumPy 2 (its __array__ lacks the copy keyword).
    return [np.asarray(weight.value) for weight in layer.weights]


def _leaves(outputs):
    return list(outputs) if isinstance(outputs, tuple) else [outputs]


@pytest.mark.parametrize("class_name, init_kwargs, args, call_kwargs", CASES)
def test_outputs_match_keras(keras, class_name, init_kwargs, args, call_kwargs):
    ours, theirs = _pair(keras, class_name, init_kwargs)
    expected = _leaves(theirs(*args, **call_kwargs))
    ours(*args, **call_kwargs)
    assert [weight.path for weight in ours.weights] == [weight.path for weight in theirs.weights]
    assert ours.get_config() == theirs.get_config()
    ours.set_weights(_their_weights(theirs))
    actual = _leaves(ours(*args, **call_kwargs))
    assert len(actual) == len(expected)
    for output, reference in zip(actual, expected):
        assert_close(output, np.asarray(reference), atol=1e-5)


@pytest.mark.parametrize(
    "class_name, init_kwargs", [("MultiHeadAttention", MHA), ("GroupQueryAttention", GQA)]
)
def test_keras_configs_load(keras, class_name, init_kwargs):
    config = getattr(keras.layers, class_name)(name="attention_layer", **init_kwargs).get_config()
    assert getattr(layers, class_name).from_config(config).get_config() == config


@pytest.mark.requires_trainable_backend
@pytest.mark.parametrize(
    "class_name, init_kwargs, call_kwargs",
    [
        ("MultiHeadAttention", MHA, {"use_causal_mask": True}),
        ("MultiHeadAttention", {**MHA, "value_dim": 2}, {"attention_mask": SELF_MASK, **SCORES}),
        ("Attention", {"use_scale": True, "score_mode": "concat"}, {"mask": [QUERY_MASK, QUERY_MASK]}),
        ("AdditiveAttention", {}, {"use_causal_mask": True}),
    ],
)
def test_weight_gradients_match_keras(keras, class_name, init_kwargs, call_kwargs):
    """The gradients of one training step's loss, i.e. the SGD update, match Keras's."""
    import jax

    ours, theirs = _pair(keras, class_name, init_kwargs)
    args = ([QUERY, QUERY],) if class_name in ("Attention", "AdditiveAttention") else (QUERY, QUERY)
    theirs(*args, **call_kwargs)
    ours(*args, **call_kwargs)
    ours.set_weights(_their_weights(theirs))
    weights = [np.asarray(value) for value in _their_weights(theirs)]
    target = RNG.normal(size=(2, 5, 6)).astype("float32")

    def their_loss(*values):
        outputs, _ = theirs.stateless_call(list(values), [], *args, **call_kwargs)
        return keras.ops.sum(_leaves(outputs)[0] * target)

    def our_loss(*values):
        outputs, _ = ours.stateless_call(list(values), [], *args, **call_kwargs)
        return ops.sum(ops.multiply(_leaves(outputs)[0], target))

    expected = jax.grad(their_loss, argnums=tuple(range(len(weights))))(*weights)
    actual = gradient(our_loss, *weights)
    for ours_gradient, their_gradient in zip(actual, expected):
        assert_close(ours_gradient, np.asarray(their_gradient), atol=1e-4, rtol=1e-4)


# Keras's GroupedQueryAttention warns that its own projections drop the masks it was handed.
@pytest.mark.filterwarnings("ignore:.*does not support masking:UserWarning")
def test_functional_model_with_embedding_masks_matches_keras(keras):
    """Masks flow from `Embedding(mask_zero=True)` into the attention layers' query/value masks."""

    def build(library):
        tokens = library.Input((5,), dtype="int32")
        embedded = library.layers.Embedding(10, 6, mask_zero=True)(tokens)
        attended = library.layers.MultiHeadAttention(2, 3)(embedded, embedded, use_causal_mask=True)
        # A second embedding: Keras's MultiHeadAttention erases the masks of the tensors it is called
        # on, so a later layer reading `embedded` would see no mask in Keras.
        other = library.layers.Embedding(10, 6, mask_zero=True)(tokens)
        grouped = library.layers.GroupQueryAttention(3, 4, 2)(attended, other)
        outputs = library.layers.Attention(use_scale=True)([grouped, other])
        return library.Model(tokens, outputs)

    theirs = build(keras)
    ours = build(lamina)
    ours.set_weights(_their_weights(theirs))
    tokens = np.array([[1, 2, 3, 0, 0], [4, 5, 6, 7, 0]], dtype="int32")
    assert_close(ours(tokens), np.asarray(theirs(tokens)), atol=1e-5)
