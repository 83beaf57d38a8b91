"""`StackedRNNCells`: several recurrent cells run as one, each feeding the next."""

import inspect

from lamina import ops
from lamina.layers.layer import Layer


def _size_of(cell):
    output_size = getattr(cell, "output_size", None)
    if output_size is not None:
        return output_size
    state_size = cell.state_size
    return state_size if isinstance(state_size, int) else state_size[0]


class StackedRNNCells(Layer):
    """Wraps a list of RNN cells so that an `RNN` runs them as one cell.

    At every timestep the first cell reads the step's inputs, and each next
    cell reads the output of the one before; the stack's output is the last
    cell's. The states are one list per cell.

    Args:
        cells: List of RNN cells.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`).

    Example:

    >>> import lamina
    >>> cells = [lamina.layers.LSTMCell(4), lamina.layers.GRUCell(3)]
    >>> layer = lamina.layers.RNN(lamina.layers.StackedRNNCells(cells))
    >>> layer(lamina.ops.ones((2, 5, 6))).shape
    (2, 3)
    >>> layer.cell.state_size
    [[4, 4], 3]
    """

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(cells, (list, tuple)) or not cells:
            raise ValueError(
                f"{self._describe()} expects a non-empty list of cells. Received: cells={cells!r}"
            )
        for cell in cells:
            if not callable(getattr(cell, "call", None)) or getattr(cell, "state_size", None) is None:
                raise ValueError(
                    f"{self._describe()} expects cells with a call(inputs, states) method and a "
                    f"state_size attribute. Received: {cell!r}"
                )
        self.cells = list(cells)

    @property
    def state_size(self):
        return [cell.state_size for cell in self.cells]

    @property
    def output_size(self):
        return _size_of(self.cells[-1])

    def get_initial_state(self, batch_size=None):
        """Returns one list of initial states per cell."""
        states = []
        for cell in self.cells:
            initial_state = getattr(cell, "get_initial_state", None)
            if initial_state is not None:
                cell_states = initial_state(batch_size=batch_size)
                cell_states = list(cell_states) if isinstance(cell_states, (list, tuple)) else [cell_states]
            else:
                sizes = cell.state_size if isinstance(cell.state_size, (list, tuple)) else [cell.state_size]
                cell_states = [
                    ops.zeros((batch_size, size), dtype=self.dtype_policy.compute_dtype) for size in sizes
                ]
            states.append(cell_states)
        return states

    def build(self, input_shape):
        for cell in self.cells:
            if isinstance(cell, Layer) and not cell.built:
                cell.build(input_shape)
            input_shape = (input_shape[0], _size_of(cell))

    def call(self, inputs, states, training=False):
        new_states = []
        for cell, cell_states in zip(self.cells, states):
            cell_states = list(cell_states) if isinstance(cell_states, (list, tuple)) else [cell_states]
            kwargs = {}
            if "training" in inspect.signature(cell.call).parameters:
                kwargs["training"] = training
            inputs, cell_new_states = cell(inputs, cell_states, **kwargs)
            if not isinstance(cell_new_states, (list, tuple)):
                cell_new_states = [cell_new_states]
            new_states.append(list(cell_new_states))
        return inputs, new_states

    def get_config(self):
        from lamina.layers.layer_serialization import serialize

        config = super().get_config()
        config["cells"] = [serialize(cell) for cell in self.cells]
        return config

    @classmethod
    def from_config(cls, config):
        from lamina.layers.layer_serialization import deserialize

        config = dict(config)
        config["cells"] = [deserialize(cell) for cell in config["cells"]]
        return super().from_config(config)
