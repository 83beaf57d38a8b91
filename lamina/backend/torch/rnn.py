"""The recurrent time loop on PyTorch: a Python loop, plus torch's fused LSTM/GRU kernels."""

import optree
import torch
from torch.nn.utils.rnn import PackedSequence
from torch.nn.utils.rnn import pack_padded_sequence
from torch.nn.utils.rnn import pad_packed_sequence

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


def _fusable(activation, recurrent_activation, unroll, tensors):
    return (
        not unroll
        and getattr(activation, "__name__", None) == "tanh"
        and getattr(recurrent_activation, "__name__", None) == "sigmoid"
        and all(tensor is None or tensor.dtype == torch.float32 for tensor in tensors)
    )


def _right_padded_lengths(mask, time_steps):
    """Each row's valid length when `mask` is right-padded (True then False), else None.

    One host transfer per call: the packed kernel needs the lengths on the host anyway.
    """
    mask = convert_to_tensor(mask).to(torch.bool).cpu()
    lengths = mask.sum(dim=1)
    if not torch.equal(mask, torch.arange(time_steps)[None, :] < lengths[:, None]):
        return None
    return lengths


def _reverse_valid_steps(inputs, lengths):
    """Reverses each row's first `length` steps in place, leaving its padding where it is."""
    positions = torch.arange(inputs.shape[1], device=inputs.device)[None, :]
    lengths = lengths[:, None]
    index = torch.where(positions < lengths, lengths - 1 - positions, positions)
    return inputs[torch.arange(inputs.shape[0], device=inputs.device)[:, None], index]


def _packed_states_and_outputs(kernel, inputs, initial_states, params, has_bias, lengths_host):
    """Runs `kernel` on packed rows: the states after each row's last valid step, padded outputs."""
    packed = pack_padded_sequence(inputs, lengths_host.clamp(min=1), batch_first=True, enforce_sorted=False)
    sorted_states = [state.index_select(0, packed.sorted_indices)[None] for state in initial_states]
    hidden = tuple(sorted_states) if len(sorted_states) > 1 else sorted_states[0]
    packed_outputs, *final_states = kernel(
        packed.data, packed.batch_sizes, hidden, params, has_bias, 1, 0.0, False, False
    )
    final_states = [state[0].index_select(0, packed.unsorted_indices) for state in final_states]

    def padded_outputs():
        padded, _ = pad_packed_sequence(
            PackedSequence(
                packed_outputs, packed.batch_sizes, packed.sorted_indices, packed.unsorted_indices
            ),
            batch_first=True,
            total_length=inputs.shape[1],
        )
        return padded

    return final_states, padded_outputs


def _gru_states_and_outputs(kernel, inputs, initial_states, params, has_bias, lengths):
    """Like `_packed_states_and_outputs` for a GRU, whose state is its output.

    The unpacked kernel (about 3x faster than the packed one on CPU) runs every row to
    the end; the state after a row's last valid step is its output there, and what
    the later steps compute is never read, so it gets no gradient.
    """
    outputs, _ = kernel(inputs, initial_states[0][None], params, has_bias, 1, 0.0, False, False, True)
    rows = torch.arange(inputs.shape[0], device=inputs.device)
    return [outputs[rows, (lengths - 1).clamp(min=0)]], lambda: outputs


def _run_right_padded(
    kernel, inputs, initial_states, params, has_bias, lengths_host, go_backwards, return_sequences
):
    """The fused kernel over right-padded rows, with the generic loop's masking semantics.

    Masked steps keep the states and output the previous output; going backwards, a
    row's padding comes first (outputting the initial `h`), then its valid steps
    reversed. Rows of length 0 keep their initial states; what the kernel computes
    for them is discarded.
    """
    batch_size, time_steps = inputs.shape[:2]
    lengths = lengths_host.to(inputs.device)
    if go_backwards:
        inputs = _reverse_valid_steps(inputs, lengths)
    if len(initial_states) == 1:  # a GRU: its one state is its output
        final_states, padded_outputs = _gru_states_and_outputs(
            kernel, inputs, initial_states, params, has_bias, lengths
        )
    else:
        final_states, padded_outputs = _packed_states_and_outputs(
            kernel, inputs, initial_states, params, has_bias, lengths_host
        )
    empty = (lengths == 0)[:, None]
    final_states = [
        torch.where(empty, initial, final) for initial, final in zip(initial_states, final_states)
    ]
    # Whichever the direction, the last processed step outputs the final `h`.
    last_output = final_states[0]
    if not return_sequences:
        return last_output, last_output[:, None], final_states
    padded = padded_outputs()
    positions = torch.arange(time_steps, device=inputs.device)[None, :]
    if go_backwards:
        start = (time_steps - lengths)[:, None]
        rows = torch.arange(batch_size, device=inputs.device)[:, None]
        padded = padded[rows, (positions - start).clamp(min=0)]
        valid, fill = positions >= start, initial_states[0]
    else:
        valid, fill = positions < lengths[:, None], last_output
    outputs = torch.where(valid[:, :, None], padded, fill[:, None, :].to(padded.dtype))
    return last_output, outputs, final_states


def _run_fused(kernel, inputs, initial_states, params, has_bias, mask, go_backwards, return_sequences):
    """Runs `kernel` (`torch.lstm` or `torch.gru`); raises NotImplementedError for unfusable masks."""
    time_steps = inputs.shape[1]
    if mask is not None and time_steps > 0:
        lengths_host = _right_padded_lengths(mask, time_steps)
        if lengths_host is None:
            raise NotImplementedError("Only right-padded masks have a fused torch kernel.")
        if not bool((lengths_host == time_steps).all()):
            return _run_right_padded(
                kernel, inputs, initial_states, params, has_bias, lengths_host, go_backwards, return_sequences
            )
    if go_backwards:
        inputs = torch.flip(inputs, dims=(1,))
    hidden = tuple(state[None] for state in initial_states)
    hidden = hidden if len(hidden) > 1 else hidden[0]
    outputs, *final_states = kernel(inputs, hidden, params, has_bias, 1, 0.0, False, False, True)
    return outputs[:, -1], outputs, [state[0] for state in final_states]


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

    A right-padded mask (each row valid for its first steps, padded after) runs the
    kernel on packed sequences; masked steps then keep the states and output the
    previous output, as in the generic loop.

    Returns:
        `(last_output, outputs, [h, c])` as the generic loop would (`outputs`
        holds only the last step when a mask is given without `return_sequences`).

    Raises:
        NotImplementedError: for a mask that is not right-padded, unrolling,
            non-default activations or non-float32 tensors; the layer then runs
            its generic loop.
    """
    tensors = [convert_to_tensor(x) if x is not None else None for x in (inputs, kernel, recurrent_kernel)]
    inputs, kernel, recurrent_kernel = tensors
    if not _fusable(activation, recurrent_activation, unroll, tensors):
        raise NotImplementedError("This LSTM configuration has no fused torch kernel.")
    params = [kernel.t().contiguous(), recurrent_kernel.t().contiguous()]
    if bias is not None:
        bias = convert_to_tensor(bias)
        params += [bias, torch.zeros_like(bias)]
    initial_states = [convert_to_tensor(initial_state_h), convert_to_tensor(initial_state_c)]
    return _run_fused(
        torch.lstm, inputs, initial_states, params, bias is not None, mask, go_backwards, return_sequences
    )


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

    A right-padded mask runs the kernel on packed sequences, as in `lstm`.

    Returns:
        `(last_output, outputs, [h])` as the generic loop would (`outputs` holds
        only the last step when a mask is given without `return_sequences`).

    Raises:
        NotImplementedError: for `reset_after=False`, a mask that is not
            right-padded, unrolling, non-default activations or non-float32 tensors.
    """
    tensors = [convert_to_tensor(x) if x is not None else None for x in (inputs, kernel, recurrent_kernel)]
    inputs, kernel, recurrent_kernel = tensors
    if not reset_after or not _fusable(activation, recurrent_activation, unroll, tensors):
        raise NotImplementedError("This GRU configuration has no fused torch kernel.")
    units = recurrent_kernel.shape[0]
    order = (1, 0, 2)
    params = [
        _gate_columns(kernel, units, order).t().contiguous(),
        _gate_columns(recurrent_kernel, units, order).t().contiguous(),
    ]
    if bias is not None:
        bias = _gate_columns(convert_to_tensor(bias), units, order)
        params += [bias[0], bias[1]]
    initial_states = [convert_to_tensor(initial_state)]
    return _run_fused(
        torch.gru, inputs, initial_states, params, bias is not None, mask, go_backwards, return_sequences
    )
