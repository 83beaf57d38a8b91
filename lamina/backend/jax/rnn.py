"""The recurrent time loop on JAX: `jax.lax.scan` when traced, so it compiles inside a jitted step."""

import jax
import jax.numpy as jnp
import optree


def _expand_mask(mask_t, tensor):
    """`(batch,)` booleans reshaped to broadcast against `tensor` (batch first)."""
    return jnp.reshape(mask_t, (mask_t.shape[0],) + (1,) * (tensor.ndim - 1))


def _previous_output(states):
    """What a masked step outputs: the step's first state (the last cell's, for stacked cells)."""
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
    """Runs `step_function` over the time axis of `inputs`.

    Args:
        step_function: `(step_inputs, states) -> (output, new_states)`, where
            `states` has the structure of `initial_states`.
        inputs: Tensor of shape `(batch, time, ...)`.
        initial_states: List (possibly nested) of `(batch, ...)` tensors.
        go_backwards: Whether to walk the time axis in reverse (the outputs
            are then in processing order, as in Keras).
        mask: Optional `(batch, time)` boolean tensor; a masked step keeps the
            previous states and outputs the previous output (or zeros).
        unroll: Whether to unroll the loop (larger graph, no loop construct).
        zero_output_for_mask: Whether masked steps output zeros.
        return_all_outputs: Whether every step's output is needed.

    Returns:
        `(last_output, outputs, new_states)`; `outputs` is `(batch, time, ...)`.
    """
    del return_all_outputs  # scan collects every step's output at no extra cost
    sequence = jnp.swapaxes(inputs, 0, 1)
    if mask is not None:
        time_mask = jnp.swapaxes(jnp.asarray(mask).astype(bool), 0, 1)
    if go_backwards:
        sequence = jnp.flip(sequence, axis=0)
        if mask is not None:
            time_mask = jnp.flip(time_mask, axis=0)

    def keep_dtypes(new_states, states):
        return optree.tree_map(lambda new, old: jnp.asarray(new).astype(old.dtype), new_states, states)

    def step(states, step_inputs):
        if mask is None:
            output, new_states = step_function(step_inputs, states)
            return keep_dtypes(list(new_states), states), output
        step_inputs, mask_t = step_inputs
        output, new_states = step_function(step_inputs, states)
        new_states = optree.tree_map(
            lambda new, old: jnp.where(_expand_mask(mask_t, new), new, old),
            keep_dtypes(list(new_states), states),
            states,
        )
        if zero_output_for_mask:
            fallback = jnp.zeros_like(output)
        else:
            fallback = _previous_output(states)
        output = jnp.where(_expand_mask(mask_t, output), output, fallback.astype(output.dtype))
        return new_states, output

    scanned = sequence if mask is None else (sequence, time_mask)
    traced = any(isinstance(leaf, jax.core.Tracer) for leaf in optree.tree_leaves([inputs, initial_states]))
    if traced and not unroll:
        new_states, outputs = jax.lax.scan(step, list(initial_states), scanned)
    else:
        # Eagerly, a scan would be traced and compiled anew at every call (its step
        # closure is new each time); running the steps one by one is much faster.
        new_states, outputs = list(initial_states), []
        for time in range(sequence.shape[0]):
            step_inputs = optree.tree_map(lambda x, time=time: x[time], scanned)
            new_states, output = step(new_states, step_inputs)
            outputs.append(output)
        outputs = jnp.stack(outputs)
    outputs = jnp.swapaxes(outputs, 0, 1)
    return outputs[:, -1], outputs, new_states


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
    """A fused LSTM kernel; JAX has none, so the layer runs its generic loop.

    Args:
        inputs: Tensor of shape `(batch, time, features)`.
        initial_state_h: Initial hidden state `(batch, units)`.
        initial_state_c: Initial carry state `(batch, units)`.
        mask: Optional `(batch, time)` mask.
        kernel: Input kernel `(features, 4 * units)` (gates i, f, c, o).
        recurrent_kernel: Recurrent kernel `(units, 4 * units)`.
        bias: Bias `(4 * units,)` or None.
        activation: Cell activation.
        recurrent_activation: Gate activation.
        return_sequences: Whether all outputs are needed.
        go_backwards: Whether to walk the time axis in reverse.
        unroll: Whether the loop is to be unrolled.

    Raises:
        NotImplementedError: always on this backend.
    """
    raise NotImplementedError("The jax backend has no fused LSTM kernel.")


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
    """A fused GRU kernel; JAX has none, so the layer runs its generic loop.

    Args:
        inputs: Tensor of shape `(batch, time, features)`.
        initial_state: Initial state `(batch, units)`.
        mask: Optional `(batch, time)` mask.
        kernel: Input kernel `(features, 3 * units)` (gates z, r, h).
        recurrent_kernel: Recurrent kernel `(units, 3 * units)`.
        bias: Bias `(2, 3 * units)` (reset_after) or `(3 * units,)`, or None.
        activation: Candidate activation.
        recurrent_activation: Gate activation.
        return_sequences: Whether all outputs are needed.
        go_backwards: Whether to walk the time axis in reverse.
        unroll: Whether the loop is to be unrolled.
        reset_after: Whether the reset gate applies after the recurrent product.

    Raises:
        NotImplementedError: always on this backend.
    """
    raise NotImplementedError("The jax backend has no fused GRU kernel.")
