"""`EpochIterator`: one epoch of steps, grouped `steps_per_execution` at a time.

For array data a step is an index array into the dataset (the backend
gathers the rows, on the device when it can). For generators a step is a
NumPy batch. Each group has one shape, so a compiled multi-step function is
traced for at most a few shapes.
"""

import numpy as np

from lamina.trainers.data_adapters.array_data_adapter import ArrayDataAdapter

# Loops shorter than this run one step per call (see EpochIterator.group_automatically).
MIN_BATCHES_TO_GROUP = 32


class EpochIterator:
    """Iterates over `(begin_step, end_step, payload)` groups for one epoch.

    `payload` is an int32 array of shape `(steps, batch)` for array data, or a
    list of `(x, y, sample_weight)` NumPy batches for generator data.

    Args:
        adapter: An ArrayDataAdapter or GeneratorDataAdapter.
        steps_per_execution: Steps per group.
        rng: Optional NumPy Generator for shuffling.
    """

    def __init__(self, adapter, steps_per_execution=1, rng=None):
        self.adapter = adapter
        self.steps_per_execution = max(1, int(steps_per_execution))
        self.rng = rng
        self.exhausted = False

    def group_automatically(self, callback_list, mode, auto_steps_per_call):
        """Serves groups of `auto_steps_per_call` steps when nothing needs to see each one.

        Called when the user left `steps_per_execution` at 1: array data of at
        least `MIN_BATCHES_TO_GROUP` batches (shorter loops do not repay compiling
        a multi-step function) and no callback watching `mode`'s batches let the
        runner take several steps per call (it decides how to run them, see
        lamina/backend/jax/_step_grouping.py); the progress bar then moves once
        per group.
        """
        if (
            self.is_array_data
            and self.num_batches >= MIN_BATCHES_TO_GROUP
            and not callback_list.observes_batches(mode)
        ):
            self.steps_per_execution = auto_steps_per_call

    @property
    def is_array_data(self):
        return isinstance(self.adapter, ArrayDataAdapter)

    @property
    def num_batches(self):
        return self.adapter.num_batches

    def __iter__(self):
        if self.is_array_data:
            yield from self._array_groups()
        else:
            yield from self._generator_groups()

    def _array_groups(self):
        group = []
        step = 0
        for indices in self.adapter.index_batches(self.rng):
            if group and (len(group) == self.steps_per_execution or len(indices) != len(group[0])):
                yield step - len(group), step - 1, np.stack(group)
                group = []
            group.append(indices)
            step += 1
        if group:
            yield step - len(group), step - 1, np.stack(group)

    def _generator_groups(self):
        group = []
        step = 0
        for batch in self.adapter.batches():
            group.append(batch)
            step += 1
            if len(group) == self.steps_per_execution:
                yield step - len(group), step - 1, group
                group = []
        if group:
            yield step - len(group), step - 1, group
        if step == 0:
            self.exhausted = True
