"""The backends' time loop (lamina.ops.rnn), torch's fused kernels, and a jitted fit on JAX."""

import numpy as np
import pytest
from testing_utils import assert_close
from testing_utils import gradient
from testing_utils import numerical_gradient

import lamina
from lamina import layers
from lamina import ops
from lamina.ops import rnn as rnn_ops


def _decaying_sum(weight):
    def step(inputs, states):
        total = states[0] * 0.5 + inputs * weight
        return total, [total]

    return step


def _numpy_decaying_sum(x, mask, go_backwards, zero_output_for_mask, weight=1.0):
    order = list(range(x.shape[1]))[::-1] if go_backwards else list(range(x.shape[1]))
    state = np.zeros_like(x[:, 0])
    outputs = []
    for time in order:
        new_state = state * 0.5 + x[:, time] * weight
        keep = mask[:, time][:, None] if mask is not None else np.ones_like(new_state, bool)
        output = np.where(keep, new_state, 0.0 if zero_output_for_mask else state)
        state = np.where(keep, new_state, state)
        outputs.append(output)
    return np.stack(outputs, axis=1), state


@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("use_mask", [False, True])
@pytest.mark.parametrize("zero_output_for_mask", [False, True])
@pytest.mark.parametrize("unroll", [False, True])
def test_rnn_loop_matches_numpy(go_backwards, use_mask, zero_output_for_mask, unroll):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 4, 3)).astype("float32")
    mask = np.array([[1, 0, 1, 1], [0, 1, 1, 0]], bool) if use_mask else None
    last, outputs, states = rnn_ops.rnn(
        _decaying_sum(1.0),
        ops.convert_to_tensor(x),
        [ops.zeros((2, 3))],
        go_backwards=go_backwards,
        mask=None if mask is None else ops.convert_to_tensor(mask),
        unroll=unroll,
        zero_output_for_mask=zero_output_for_mask,
    )
    expected_outputs, expected_state = _numpy_decaying_sum(x, mask, go_backwards, zero_output_for_mask)
    assert ops.dtype(outputs) == "float32"
    assert_close(outputs, expected_outputs)
    assert_close(last, expected_outputs[:, -1])
    assert_close(states[0], expected_state)


def test_rnn_loop_last_output_only():
    x = np.ones((1, 3, 2), "float32")
    last, _, states = rnn_ops.rnn(_decaying_sum(1.0), x, [ops.zeros((1, 2))], return_all_outputs=False)
    assert_close(last, np.full((1, 2), 1.75))
    assert_close(states[0], np.full((1, 2), 1.75))


@pytest.mark.requires_trainable_backend
def test_rnn_loop_gradient_matches_finite_differences():
    x = np.random.default_rng(1).standard_normal((2, 3, 2)).astype("float32")
    mask = ops.convert_to_tensor(np.array([[1, 1, 0], [1, 0, 1]], bool))

    def function(weight):
        step = _decaying_sum(weight)
        _, outputs, _ = rnn_ops.rnn(step, ops.convert_to_tensor(x), [ops.zeros((2, 2))], mask=mask)
        return outputs * outputs

    def numpy_function(weight):
        outputs, _ = _numpy_decaying_sum(
            x.astype("float64"), np.array([[1, 1, 0], [1, 0, 1]], bool), False, False, weight
        )
        return outputs * outputs

    weight = np.array([0.7, -1.3], "float32")
    assert_close(
        gradient(function, weight)[0], numerical_gradient(numpy_function, weight)[0], rtol=1e-3, atol=1e-3
    )


@pytest.mark.torch_only
@pytest.mark.parametrize("class_name", ["LSTM", "GRU"])
@pytest.mark.parametrize(
    "kwargs", [{}, {"go_backwards": True, "return_sequences": True}, {"use_bias": False}]
)
def test_torch_fused_path_equals_the_generic_loop(class_name, kwargs):
    import torch

    from lamina.backend.torch import rnn as torch_rnn

    x = np.random.default_rng(2).standard_normal((3, 6, 4)).astype("float32")
    fused = getattr(layers, class_name)(5, return_state=True, **kwargs)
    generic = getattr(layers, class_name)(5, return_state=True, use_cudnn=False, **kwargs)
    fused(x)
    generic(x)
    generic.set_weights(fused.get_weights())
    calls = []
    original = getattr(torch_rnn, class_name.lower())

    def spy(*args, **call_kwargs):
        result = original(*args, **call_kwargs)
        calls.append(True)
        return result

    inputs = torch.tensor(x)
    initial = [
        torch.randn(3, 5, generator=torch.Generator().manual_seed(0))
        for _ in range(2 if class_name == "LSTM" else 1)
    ]
    setattr(torch_rnn, class_name.lower(), spy)
    try:
        fused_outputs = fused(inputs, initial_state=initial)
    finally:
        setattr(torch_rnn, class_name.lower(), original)
    assert calls, "the fused kernel was not used"
    generic_outputs = generic(inputs, initial_state=initial)
    for left, right in zip(fused_outputs, generic_outputs):
        assert_close(left, ops.convert_to_numpy(right), rtol=1e-5, atol=1e-5)
    fused_loss = sum(torch.sum(output**2) for output in fused_outputs)
    generic_loss = sum(torch.sum(output**2) for output in generic_outputs)
    fused_grads = torch.autograd.grad(fused_loss, [v.value for v in fused.trainable_weights])
    generic_grads = torch.autograd.grad(generic_loss, [v.value for v in generic.trainable_weights])
    for left, right in zip(fused_grads, generic_grads):
        assert_close(left, right.numpy(), rtol=1e-4, atol=1e-5)


@pytest.mark.torch_only
def test_torch_fused_path_declines_what_it_cannot_compute():
    from lamina.backend.torch import rnn as torch_rnn

    x = np.ones((1, 2, 3), "float32")
    h = np.zeros((1, 2), "float32")
    kernel, recurrent = np.ones((3, 6), "float32"), np.ones((2, 6), "float32")
    arguments = (x, h, None, kernel, recurrent, None, lamina.activations.tanh, lamina.activations.sigmoid)
    with pytest.raises(NotImplementedError):
        torch_rnn.gru(*arguments, reset_after=False)
    with pytest.raises(NotImplementedError):
        torch_rnn.gru(*arguments[:2], np.array([[False, True]]), *arguments[3:])
    with pytest.raises(NotImplementedError):
        torch_rnn.gru(*arguments[:6], lamina.activations.relu, arguments[7])


@pytest.mark.jax_only
def test_jitted_fit_learns_a_sequence_task():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((256, 6, 1)).astype("float32")
    y = (x.sum(axis=(1, 2)) > 0).astype("float32")
    model = lamina.Sequential(
        [
            lamina.Input((6, 1)),
            layers.GRU(8, dropout=0.1, recurrent_dropout=0.1, seed=0),
            layers.Dense(1, "sigmoid"),
        ]
    )
    model.compile(optimizer=lamina.optimizers.Adam(0.05), loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, batch_size=32, epochs=5, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert model.evaluate(x, y, verbose=0, return_dict=True)["accuracy"] > 0.9
