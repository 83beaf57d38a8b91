"""Connectionist Temporal Classification (CTC) loss.

The loss is the negative log-likelihood of a label sequence summed over all
its alignments with the time steps of the predictions (Graves et al., 2006).
It is computed by the forward (alpha) recursion in log space over the label
sequence extended with blanks, `[blank, l1, blank, l2, ..., blank]`, as an
`ops.scan` over time, so it runs compiled on JAX and step by step elsewhere.
"""

from lamina import ops
from lamina.losses.loss import Loss
from lamina.losses.loss import LossFunctionWrapper

# Log-probability of impossible states: finite (unlike -inf) so that
# `logaddexp` and its gradient never produce NaN.
_LOG_ZERO = -1e5


def _shift_right(values, steps, fill):
    """Shifts `values` along its last axis by `steps`, filling the front with `fill`."""
    padding = ops.full(tuple(values.shape[:-1]) + (steps,), fill, dtype=values.dtype)
    return ops.concatenate([padding, values[..., :-steps]], axis=-1)


def ctc_log_likelihood(labels, logits, label_length, blank_index=0):
    """Returns the log-likelihood of each label sequence under the CTC model.

    Args:
        labels: Integer tensor `(batch_size, max_label_length)`; entries past
            `label_length` are ignored.
        logits: Float tensor `(batch_size, time_steps, num_classes)` of
            unnormalized scores (a log-softmax is applied over classes).
        label_length: Integer tensor `(batch_size,)` of label lengths.
        blank_index: The class index of the blank (default 0).

    Returns:
        A float tensor `(batch_size,)` of log-likelihoods.

    Example:

    >>> import lamina
    >>> value = ctc_log_likelihood([[1]], lamina.ops.zeros((1, 2, 2)), lamina.ops.convert_to_tensor([1]))
    >>> round(float(value[0]), 4)  # 3 of the 4 alignments spell "1", each of probability 1/4
    -0.2877
    """
    logits = ops.convert_to_tensor(logits)
    labels = ops.cast(ops.convert_to_tensor(labels), "int32")
    label_length = ops.cast(ops.convert_to_tensor(label_length), "int32")
    batch_size, max_label_length = labels.shape
    log_probs = ops.log_softmax(logits, axis=-1)
    # Extended sequence: blanks at even positions, the labels at odd positions.
    blanks = ops.full((batch_size, max_label_length), blank_index, dtype="int32")
    extended = ops.reshape(ops.stack([blanks, labels], axis=-1), (batch_size, 2 * max_label_length))
    extended = ops.concatenate([extended, ops.full((batch_size, 1), blank_index, dtype="int32")], axis=-1)
    # emissions[t, b, s] = log p(extended[b, s] at time t)
    emissions = ops.take_along_axis(log_probs, ops.expand_dims(extended, 1), axis=2)
    emissions = ops.transpose(emissions, (1, 0, 2))
    # A label may be reached by skipping the blank before it when it differs from the label before.
    previous_label = ops.concatenate(
        [ops.full((batch_size, 2), blank_index, dtype="int32"), extended[:, :-2]], axis=-1
    )
    can_skip = ops.logical_and(ops.not_equal(extended, blank_index), ops.not_equal(extended, previous_label))
    log_zero = ops.convert_to_tensor(_LOG_ZERO, dtype=emissions.dtype)
    positions = ops.arange(2 * max_label_length + 1)
    initial = ops.where(ops.expand_dims(positions < 2, 0), emissions[0], log_zero)

    def step(alpha, emission):
        stay = alpha
        advance = _shift_right(alpha, 1, _LOG_ZERO)
        skip = ops.where(can_skip, _shift_right(alpha, 2, _LOG_ZERO), log_zero)
        alpha = ops.logaddexp(ops.logaddexp(stay, advance), skip) + emission
        return alpha, None

    alpha, _ = ops.scan(step, initial, emissions[1:])
    last_blank = ops.expand_dims(2 * label_length, -1)
    last_label = ops.maximum(last_blank - 1, 0)
    end_blank = ops.squeeze(ops.take_along_axis(alpha, last_blank, axis=1), -1)
    end_label = ops.squeeze(ops.take_along_axis(alpha, last_label, axis=1), -1)
    end_label = ops.where(label_length > 0, end_label, log_zero)
    return ops.logaddexp(end_blank, end_label)


def ctc(y_true, y_pred):
    """Computes the CTC loss of integer label sequences against per-step logits.

    Every time step of `y_pred` is used; the length of each label sequence is
    its number of non-zero entries (`0` is the blank and pads the labels).

    Args:
        y_true: Integer labels `(batch_size, max_label_length)`; `0` is the
            blank/padding index and must not be used as a class.
        y_pred: Logits `(batch_size, time_steps, num_classes)` (not softmaxed).

    Returns:
        The per-sample negative log-likelihood, shape `(batch_size,)`.

    Example:

    >>> import lamina
    >>> round(float(ctc([[1]], lamina.ops.zeros((1, 2, 2)))[0]), 4)
    0.2877
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    if len(y_true.shape) != 2:
        raise ValueError(
            "ctc: targets `y_true` are expected to be a tensor of shape (batch_size, max_length) "
            f"in integer format. Received: y_true.shape={tuple(y_true.shape)}"
        )
    if len(y_pred.shape) != 3:
        raise ValueError(
            "ctc: logits `y_pred` are expected to be a tensor of shape "
            f"(batch_size, max_length, num_classes). Received: y_pred.shape={tuple(y_pred.shape)}"
        )
    labels = ops.cast(y_true, "int32")
    label_length = ops.sum(ops.cast(ops.not_equal(labels, 0), "int32"), axis=-1)
    return -ctc_log_likelihood(labels, y_pred, label_length, blank_index=0)


class CTC(LossFunctionWrapper):
    """Computes the CTC (Connectionist Temporal Classification) loss.

    `y_true` holds integer label sequences `(batch_size, max_label_length)`
    padded with the blank `0`; `y_pred` holds logits
    `(batch_size, time_steps, num_classes)`.

    Args:
        reduction: See `lamina.losses.Loss` (default `"sum_over_batch_size"`).
        name: Optional name (default `"ctc"`).
        dtype: The dtype of the computations (default `floatx()`).

    Example:

    >>> import lamina
    >>> round(float(CTC()([[1], [1]], lamina.ops.zeros((2, 2, 2)))), 4)
    0.2877
    """

    def __init__(self, reduction="sum_over_batch_size", name="ctc", dtype=None):
        super().__init__(ctc, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)
