"""The recurrent time loop on NumPy (inference): a Python loop that keeps lamina dtypes."""

import numpy as np
import optree

from lamina.backend.numpy.core import convert_to_tensor


def _expand_mask(mask_t, tensor):
    return np.reshape(mask_t, (mask_t.shape[0],) + (1,) * (np.ndim(tensor) - 1))


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
        mask = np.asarray(mask).astype(bool)
    order = range(time_steps - 1, -1, -1) if go_backwards else range(time_steps)
    states = list(initial_states)
    outputs = []
    for time in order:
        output, new_states = step_function(inputs[:, time], states)
        new_states = list(new_states)
        if mask is not None:
            mask_t = mask[:, time]
            new_states = optree.tree_map(
                lambda new, old, mask_t=mask_t: np.where(_expand_mask(mask_t, new), new, old).astype(
                    new.dtype
                ),
                new_states,
                states,
            )
            if zero_output_for_mask:
                fallback = np.zeros_like(output)
            else:
                fallback = _previous_output(states)
            output = np.where(_expand_mask(mask_t, output), output, fallback).astype(output.dtype)
        states = new_states
        if return_all_outputs or not outputs:
            outputs.append(output)
        else:
            outputs[0] = output
    stacked = np.stack(outputs, axis=1)
    return output, stacked, states


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
    """A fused LSTM kernel; NumPy has none, so the layer runs its generic loop.

    Raises:
        NotImplementedError: always on this backend.
    """
    raise NotImplementedError("The numpy backend has no fused LSTM kernel.")


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
    """A fused GRU kernel; NumPy has none, so the layer runs its generic loop.

    Raises:
        NotImplementedError: always on this backend.
    """
    raise NotImplementedError("The numpy backend has no fused GRU kernel.")
