"""`DropoutRNNCell`: the dropout masks a recurrent cell draws once per sequence."""

from lamina import ops
from lamina import random


class DropoutRNNCell:
    """Mixin for cells with `dropout` / `recurrent_dropout`.

    A recurrent cell must drop the same units at every timestep, so each mask
    is drawn once per layer call (from the cell's `seed_generator`) and
    reused by every step. The `RNN` layer draws the masks before its time
    loop and clears them after it, so the loop itself stays free of random
    state (which JAX's `scan` needs).

    The cell using it sets `dropout`, `recurrent_dropout` and
    `seed_generator`.

    Example:

    >>> import lamina
    >>> cell = lamina.layers.LSTMCell(2, dropout=0.5, seed=1)
    >>> mask = cell.get_dropout_mask(lamina.ops.ones((1, 4)))
    >>> mask is cell.get_dropout_mask(lamina.ops.ones((1, 4)))
    True
    >>> sorted(set(lamina.ops.convert_to_numpy(mask).ravel().tolist())) in ([0.0, 2.0], [0.0], [2.0])
    True
    >>> cell.reset_dropout_mask()
    """

    def _mask(self, attribute, rate, step_input):
        mask = getattr(self, attribute, None)
        if mask is None and 0 < rate < 1:
            mask = random.dropout(ops.ones_like(step_input), rate, seed=self.seed_generator)
            object.__setattr__(self, attribute, mask)
        return mask

    def get_dropout_mask(self, step_input):
        """Returns the input dropout mask (drawn on first use), or None without dropout.

        Args:
            step_input: A `(batch, features)` input of one timestep.

        Returns:
            A tensor shaped like `step_input`: 0 or `1 / (1 - dropout)`.
        """
        return self._mask("_dropout_mask", self.dropout, step_input)

    def get_recurrent_dropout_mask(self, step_state):
        """Returns the recurrent dropout mask (drawn on first use), or None.

        Args:
            step_state: A `(batch, units)` state of one timestep.

        Returns:
            A tensor shaped like `step_state`.
        """
        return self._mask("_recurrent_dropout_mask", self.recurrent_dropout, step_state)

    def reset_dropout_mask(self):
        """Forgets the input dropout mask, so the next call draws a new one."""
        object.__setattr__(self, "_dropout_mask", None)

    def reset_recurrent_dropout_mask(self):
        """Forgets the recurrent dropout mask, so the next call draws a new one."""
        object.__setattr__(self, "_recurrent_dropout_mask", None)
