"""`ResidentData`: datasets a step runner has placed on the device, reused across epochs.

It keeps the two most recent (training and validation data during `fit`) and
holds a reference to each adapter so an id can never be reused for another.
Datasets larger than `max_bytes` stay on the host and are sent batch by batch.
"""

import numpy as np
import optree

MAX_RESIDENT_BYTES = 2 * 1024**3


class ResidentData:
    def __init__(self, capacity=2, max_bytes=MAX_RESIDENT_BYTES):
        self.capacity = capacity
        self.max_bytes = max_bytes
        self._entries = []

    def get(self, adapter, place):
        """Returns the device copy of `adapter`'s data, or None if it is too large.

        `place()` makes the copy the first time.
        """
        for entry_adapter, data in self._entries:
            if entry_adapter is adapter:
                return data
        nbytes = sum(
            int(np.asarray(leaf).nbytes) for leaf in optree.tree_leaves(adapter.data(), none_is_leaf=False)
        )
        data = place() if nbytes <= self.max_bytes else None
        self._entries.append((adapter, data))
        if len(self._entries) > self.capacity:
            self._entries.pop(0)
        return data
