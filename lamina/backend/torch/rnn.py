"""The recurrent time loop on PyTorch: a Python loop, plus torch's fused LSTM/GRU kernels."""

import optree
import torch

from lamina.backend.torch.core import convert_to_tensor


def _expand_mask(mask_t, tensor):
    return torch.reshape(mask_t, (mask_t.shape[0],) + (1,) * (tensor.ndim - 1))


def _previous_output(states):
    first = states[0]
    if isinstance(first, (list, tuple)):
        first = optree.tree_leaves(states[-1])[0]
    return first


def rnn(
    step_function,
    inputs,
    initial_states,
    go_backwards=False,
    mask=None,
    unroll=False,
    zero_output_for_mask=False,
    return_all_outputs=True,
):
    """Runs `step_function` over the time axis of `inputs` (see the jax backend's `rnn`)."""
    del unroll  # a Python loop is already unrolled
    inputs = convert_to_tensor(inputs)
    time_steps = inputs.shape[1]
    if mask is not None:
        mask = convert_to_tensor(mask).to(torch.bool)
    order = range(time_steps - 1, -1, -1) if go_backwards else range(time_steps)
    states = list(initial_states)
    outputs = []
    for time in order:
        output, new_states = step_function(inputs[:, time], states)
        new_states = list(new_states)
        if mask is not None:
            mask_t = mask[:, time]
            new_states = optree.tree_map(
                lambda new, old, mask_t=mask_t: torch.where(_expand_mask(mask_t, new), new, old),
                new_states,
                states,
            )
            if zero_output_for_mask:
                fallback = torch.zeros_like(output)
            else:
                fallback = _previous_output(states).to(output.dtype)
            output = torch.where(_expand_mask(mask_t, output), output, fallback)
        states = new_states
        if return_all_outputs or not outputs:
            outputs.append(output)
        else:
            outputs[0] = output
    stacked = torch.stack(outputs, dim=1)
    return output, stacked, states


def _fusable(mask, activation, recurrent_activation, unroll, tensors):
    return (
        mask is None
        and not unroll
        and getattr(activation, "__name__", None) == "tanh"
        and getattr(recurrent_activation, "__name__", None) == "sigmoid"
        and all(tensor is None or tensor.dtype == torch.float32 for tensor in tensors)
    )


def _gate_columns(weight, units, order):
    """Reorders the gate blocks of the last axis (Keras z, r, h -> torch r, z, n)."""
    blocks = [weight[..., index * units : (index + 1) * units] for index in order]
    return torch.cat(blocks, dim=-1)


def lstm(
    inputs,
    initial_state_h,
    initial_state_c,
    mask,
    kernel,
    recurrent_kernel,
    bias,
    activation,
    recurrent_activation,
    return_sequences=False,
    go_backwards=False,
    unroll=False,
):
    """Torch's fused LSTM (`torch.lstm`) for the configurations it computes exactly.

    Returns:
        `(last_output, outputs, [h, c])` as the generic loop would.

    Raises:
        NotImplementedError: for a mask, unrolling, non-default activations or
            non-float32 tensors; the layer then runs its generic loop.
    """
    tensors = [convert_to_tensor(x) if x is not None else None for x in (inputs, kernel, recurrent_kernel)]
    inputs, kernel, recurrent_kernel = tensors
    if not _fusable(mask, activation, recurrent_activation, unroll, tensors):
        raise NotImplementedError("This LSTM configuration has no fused torch kernel.")
    if go_backwards:
        inputs = torch.flip(inputs, dims=(1,))
    params = [kernel.t().contiguous(), recurrent_kernel.t().contiguous()]
    if bias is not None:
        bias = convert_to_tensor(bias)
        params += [bias, torch.zeros_like(bias)]
    hidden = (convert_to_tensor(initial_state_h)[None], convert_to_tensor(initial_state_c)[None])
    outputs, last_h, last_c = torch.lstm(inputs, hidden, params, bias is not None, 1, 0.0, False, False, True)
    return outputs[:, -1], outputs, [last_h[0], last_c[0]]


def gru(
    inputs,
    initial_state,
    mask,
    kernel,
    recurrent_kernel,
    bias,
    activation,
    recurrent_activation,
    return_sequences=False,
    go_backwards=False,
    unroll=False,
    reset_after=True,
):
    """Torch's fused GRU (`torch.gru`) for the configurations it computes exactly.

    Returns:
        `(last_output, outputs, [h])` as the generic loop would.

    Raises:
        NotImplementedError: for `reset_after=False`, a mask, unrolling,
            non-default activations or non-float32 tensors.
    """
    tensors = [convert_to_tensor(x) if x is not None else None for x in (inputs, kernel, recurrent_kernel)]
    inputs, kernel, recurrent_kernel = tensors
    if not reset_after or not _fusable(mask, activation, recurrent_activation, unroll, tensors):
        raise NotImplementedError("This GRU configuration has no fused torch kernel.")
    units = recurrent_kernel.shape[0]
    order = (1, 0, 2)
    if go_backwards:
        inputs = torch.flip(inputs, dims=(1,))
    params = [
        _gate_columns(kernel, units, order).t().contiguous(),
        _gate_columns(recurrent_kernel, units, order).t().contiguous(),
    ]
    if bias is not None:
        bias = _gate_columns(convert_to_tensor(bias), units, order)
        params += [bias[0], bias[1]]
    hidden = convert_to_tensor(initial_state)[None]
    outputs, last_h = torch.gru(inputs, hidden, params, bias is not None, 1, 0.0, False, False, True)
    return outputs[:, -1], outputs, [last_h[0]]
