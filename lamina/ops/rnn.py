"""Internal recurrent ops the RNN layers call: the time loop and the fused LSTM/GRU paths.

Not part of `lamina.ops`: the layers in `lamina.layers.rnn` are the public
surface. The backend's `rnn` module is imported on first use, so the backend
packages need not list it.
"""

import importlib

from lamina.backend import current


def _backend_rnn():
    return importlib.import_module(f"{current.__name__}.rnn")


def _tensor(x):
    return None if x is None else current.core.convert_to_tensor(x)


def _zero_masked_outputs(result, mask, go_backwards, return_sequences):
    """Zeroes the outputs of masked steps, turning "repeat the previous output" into zeros."""
    last_output, outputs, states = result
    processing_mask = current.numpy.flip(mask, axis=1) if go_backwards else mask
    processing_mask = current.numpy.expand_dims(current.core.cast(processing_mask, "bool"), -1)
    zeros = current.numpy.zeros_like(last_output)
    last_output = current.numpy.where(processing_mask[:, -1], last_output, zeros)
    if return_sequences:
        outputs = current.numpy.where(processing_mask, outputs, current.numpy.zeros_like(outputs))
    else:
        outputs = current.numpy.expand_dims(last_output, 1)
    return last_output, outputs, states


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
    """Runs `step_function` over the time axis of batch-major `inputs`.

    Args:
        step_function: `(step_inputs, states) -> (output, new_states)`.
        inputs: Tensor of shape `(batch, time, ...)`.
        initial_states: List (possibly nested) of `(batch, ...)` tensors.
        go_backwards: Whether to walk the time axis in reverse; the outputs
            are then in processing order.
        mask: Optional `(batch, time)` boolean tensor. A masked step keeps the
            previous states and outputs the previous output (zeros with
            `zero_output_for_mask`).
        unroll: Whether to unroll the loop.
        zero_output_for_mask: Whether masked steps output zeros.
        return_all_outputs: Whether every step's output is needed.

    Returns:
        `(last_output, outputs, new_states)`.

    Example:

    >>> import lamina
    >>> from lamina import ops
    >>> from lamina.ops.rnn import rnn
    >>> def running_sum(x, states):
    ...     total = states[0] + x
    ...     return total, [total]
    >>> last, outputs, states = rnn(running_sum, ops.ones((1, 3, 2)), [ops.zeros((1, 2))])
    >>> ops.convert_to_numpy(outputs)[0].tolist()
    [[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]]
    """
    return _backend_rnn().rnn(
        step_function,
        _tensor(inputs),
        initial_states,
        go_backwards=go_backwards,
        mask=_tensor(mask),
        unroll=unroll,
        zero_output_for_mask=zero_output_for_mask,
        return_all_outputs=return_all_outputs,
    )


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
    zero_output_for_mask=False,
):
    """The backend's fused LSTM, where it has one for this configuration.

    Args:
        inputs: Tensor `(batch, time, features)`.
        initial_state_h: Initial hidden state `(batch, units)`.
        initial_state_c: Initial carry state `(batch, units)`.
        mask: Optional `(batch, time)` mask.
        kernel: `(features, 4 * units)`, gates in Keras order i, f, c, o.
        recurrent_kernel: `(units, 4 * units)`.
        bias: `(4 * units,)` or None.
        activation: Cell activation.
        recurrent_activation: Gate activation.
        return_sequences: Whether all outputs are needed.
        go_backwards: Whether to walk the time axis in reverse.
        unroll: Whether the loop is to be unrolled.
        zero_output_for_mask: Whether masked steps output zeros (else the
            previous output).

    Returns:
        `(last_output, outputs, [h, c])`.

    Raises:
        NotImplementedError: when the backend cannot fuse this configuration.

    Example:

    >>> import lamina
    >>> from lamina.ops.rnn import lstm
    >>> try:
    ...     lstm(None, None, None, None, None, None, None, None, None, unroll=True)
    ... except NotImplementedError:
    ...     print("generic loop")
    generic loop
    """
    result = _backend_rnn().lstm(
        _tensor(inputs),
        _tensor(initial_state_h),
        _tensor(initial_state_c),
        _tensor(mask),
        _tensor(kernel),
        _tensor(recurrent_kernel),
        _tensor(bias),
        activation,
        recurrent_activation,
        return_sequences=return_sequences,
        go_backwards=go_backwards,
        unroll=unroll,
    )
    if mask is None or not zero_output_for_mask:
        return result
    return _zero_masked_outputs(result, _tensor(mask), go_backwards, return_sequences)


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
    zero_output_for_mask=False,
):
    """The backend's fused GRU, where it has one for this configuration.

    Args:
        inputs: Tensor `(batch, time, features)`.
        initial_state: Initial state `(batch, units)`.
        mask: Optional `(batch, time)` mask.
        kernel: `(features, 3 * units)`, gates in Keras order z, r, h.
        recurrent_kernel: `(units, 3 * units)`.
        bias: `(2, 3 * units)` when `reset_after`, else `(3 * units,)`; or None.
        activation: Candidate activation.
        recurrent_activation: Gate activation.
        return_sequences: Whether all outputs are needed.
        go_backwards: Whether to walk the time axis in reverse.
        unroll: Whether the loop is to be unrolled.
        reset_after: Whether the reset gate applies after the recurrent product.
        zero_output_for_mask: Whether masked steps output zeros (else the
            previous output).

    Returns:
        `(last_output, outputs, [h])`.

    Raises:
        NotImplementedError: when the backend cannot fuse this configuration.

    Example:

    >>> import lamina
    >>> from lamina.ops.rnn import gru
    >>> try:
    ...     gru(None, None, None, None, None, None, None, None, reset_after=False)
    ... except NotImplementedError:
    ...     print("generic loop")
    generic loop
    """
    result = _backend_rnn().gru(
        _tensor(inputs),
        _tensor(initial_state),
        _tensor(mask),
        _tensor(kernel),
        _tensor(recurrent_kernel),
        _tensor(bias),
        activation,
        recurrent_activation,
        return_sequences=return_sequences,
        go_backwards=go_backwards,
        unroll=unroll,
        reset_after=reset_after,
    )
    if mask is None or not zero_output_for_mask:
        return result
    return _zero_masked_outputs(result, _tensor(mask), go_backwards, return_sequences)
