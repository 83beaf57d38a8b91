"""Torch's fused LSTM/GRU under a right-padded mask: same results and gradients as the generic loop."""

import numpy as np
import pytest
from testing_utils import assert_close

from lamina import layers
from lamina import ops

LENGTHS = [6, 3, 0, 1]


def _right_padded_mask(lengths, time_steps):
    return np.arange(time_steps)[None, :] < np.array(lengths)[:, None]


def _spy_on_fused(monkeypatch, name):
    from lamina.backend.torch import rnn as torch_rnn

    calls = []
    original = getattr(torch_rnn, name)

    def spy(*args, **kwargs):
        result = original(*args, **kwargs)
        calls.append(True)
        return result

    monkeypatch.setattr(torch_rnn, name, spy)
    return calls


def _fused_and_generic(class_name, **kwargs):
    fused = getattr(layers, class_name)(5, return_state=True, **kwargs)
    generic = getattr(layers, class_name)(5, return_state=True, use_cudnn=False, **kwargs)
    x = np.zeros((len(LENGTHS), 6, 4), "float32")
    fused(x)
    generic(x)
    generic.set_weights(fused.get_weights())
    return fused, generic


@pytest.mark.torch_only
@pytest.mark.parametrize("class_name", ["LSTM", "GRU"])
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"return_sequences": True},
        {"go_backwards": True},
        {"go_backwards": True, "return_sequences": True},
        {"return_sequences": True, "zero_output_for_mask": True},
        {"go_backwards": True, "return_sequences": True, "zero_output_for_mask": True},
        {"zero_output_for_mask": True},
        {"go_backwards": True, "zero_output_for_mask": True, "use_bias": False},
    ],
)
@pytest.mark.parametrize("use_initial_state", [False, True])
def test_masked_fused_path_equals_the_generic_loop(monkeypatch, class_name, kwargs, use_initial_state):
    import torch

    fused, generic = _fused_and_generic(class_name, **kwargs)
    generator = torch.Generator().manual_seed(3)
    num_states = 2 if class_name == "LSTM" else 1

    def leaves():
        inputs = torch.randn(len(LENGTHS), 6, 4, generator=torch.Generator().manual_seed(2))
        initial = [torch.randn(len(LENGTHS), 5, generator=generator) for _ in range(num_states)]
        return inputs.requires_grad_(), [state.requires_grad_() for state in initial]

    mask = torch.tensor(_right_padded_mask(LENGTHS, 6))
    fused_inputs, fused_initial = leaves()
    generator.manual_seed(3)
    generic_inputs, generic_initial = leaves()
    calls = _spy_on_fused(monkeypatch, class_name.lower())
    fused_outputs = fused(fused_inputs, initial_state=fused_initial if use_initial_state else None, mask=mask)
    assert calls, "the fused kernel was not used"
    monkeypatch.undo()
    generic_outputs = generic(
        generic_inputs, initial_state=generic_initial if use_initial_state else None, mask=mask
    )
    assert len(fused_outputs) == len(generic_outputs) == 1 + num_states
    for left, right in zip(fused_outputs, generic_outputs):
        assert tuple(left.shape) == tuple(right.shape)
        assert_close(left, ops.convert_to_numpy(right), rtol=1e-5, atol=1e-5)

    # Weights each output differently, so a wrong step or row cannot hide in a sum.
    def loss(outputs):
        return sum(
            torch.sum(output * torch.linspace(-1.0, 2.0, output.numel()).reshape(output.shape)) ** 2
            for output in outputs
        )

    fused_leaves = [v.value for v in fused.trainable_weights] + [fused_inputs]
    generic_leaves = [v.value for v in generic.trainable_weights] + [generic_inputs]
    if use_initial_state:
        fused_leaves += fused_initial
        generic_leaves += generic_initial
    fused_grads = torch.autograd.grad(loss(fused_outputs), fused_leaves)
    generic_grads = torch.autograd.grad(loss(generic_outputs), generic_leaves)
    for left, right in zip(fused_grads, generic_grads):
        assert_close(left, right.numpy(), rtol=1e-4, atol=1e-4)
    # The zero-length row's and the padding's inputs get no gradient, as in the loop.
    assert not np.any(fused_grads[len(fused.trainable_weights)].numpy()[~_right_padded_mask(LENGTHS, 6)])


@pytest.mark.torch_only
@pytest.mark.parametrize("class_name", ["LSTM", "GRU"])
def test_masked_fused_path_matches_one_row_at_a_time(class_name):
    """Each row equals the same layer run, unmasked, on that row's valid steps alone."""
    layer = getattr(layers, class_name)(5, return_sequences=True, return_state=True)
    x = np.random.default_rng(4).standard_normal((len(LENGTHS), 6, 4)).astype("float32")
    outputs, *states = layer(x, mask=_right_padded_mask(LENGTHS, 6))
    for row, length in enumerate(LENGTHS):
        if length == 0:
            assert_close(outputs[row], np.zeros((6, 5)))
            continue
        row_outputs, *row_states = layer(x[row : row + 1, :length])
        assert_close(outputs[row, :length], ops.convert_to_numpy(row_outputs)[0], atol=1e-5)
        last = ops.convert_to_numpy(row_outputs)[0, -1]
        assert_close(outputs[row, length:], np.broadcast_to(last, (6 - length, 5)), atol=1e-5)
        for state, row_state in zip(states, row_states):
            assert_close(state[row], ops.convert_to_numpy(row_state)[0], atol=1e-5)


@pytest.mark.torch_only
@pytest.mark.parametrize("class_name", ["LSTM", "GRU"])
def test_masks_that_are_not_right_padded_run_the_generic_loop(monkeypatch, class_name):
    from lamina.backend.torch import rnn as torch_rnn

    fused, generic = _fused_and_generic(class_name, return_sequences=True)
    x = np.random.default_rng(5).standard_normal((len(LENGTHS), 6, 4)).astype("float32")
    left_padded = _right_padded_mask(LENGTHS, 6)[:, ::-1].copy()
    with pytest.raises(NotImplementedError, match="right-padded"):
        getattr(torch_rnn, class_name.lower())(
            x,
            *[np.zeros((4, 5), "float32")] * (2 if class_name == "LSTM" else 1),
            left_padded,
            fused.cell.kernel.value,
            fused.cell.recurrent_kernel.value,
            None,
            fused.cell.activation,
            fused.cell.recurrent_activation,
        )
    for left, right in zip(fused(x, mask=left_padded), generic(x, mask=left_padded)):
        assert_close(left, ops.convert_to_numpy(right), atol=1e-5)


@pytest.mark.torch_only
@pytest.mark.parametrize("class_name", ["LSTM", "GRU"])
def test_an_all_true_mask_runs_the_unmasked_kernel(monkeypatch, class_name):
    import torch

    layer = getattr(layers, class_name)(
        5, return_sequences=True, go_backwards=True, zero_output_for_mask=True
    )
    x = np.random.default_rng(6).standard_normal((3, 4, 2)).astype("float32")
    unmasked = ops.convert_to_numpy(layer(x))
    kernel_name = class_name.lower()
    original = getattr(torch, kernel_name)
    input_ranks = []

    def spy(inputs, *args):
        input_ranks.append(inputs.ndim)
        return original(inputs, *args)

    monkeypatch.setattr(torch, kernel_name, spy)
    masked = layer(x, mask=np.ones((3, 4), bool))
    # Packed data is 2D (steps of all rows, features); the unmasked kernel takes the 3D batch.
    assert input_ranks == [3]
    assert_close(masked, unmasked, atol=1e-6)
