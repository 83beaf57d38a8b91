"""Containers that report the layers and variables put into them.

A list or dict assigned to a layer attribute is wrapped so that sublayers and
variables added later (`self.blocks.append(Dense(4))`) are tracked too.
"""


class TrackedList(list):
    def __init__(self, values, owner):
        super().__init__(values)
        self._owner = owner
        for value in values:
            owner._track(value)

    def append(self, value):
        self._owner._track(value)
        super().append(value)

    def extend(self, values):
        values = list(values)
        for value in values:
            self._owner._track(value)
        super().extend(values)

    def insert(self, index, value):
        self._owner._track(value)
        super().insert(index, value)

    def __setitem__(self, index, value):
        if isinstance(index, slice):
            value = list(value)
            for item in value:
                self._owner._track(item)
        else:
            self._owner._track(value)
        super().__setitem__(index, value)

    def __iadd__(self, values):
        self.extend(values)
        return self


class TrackedDict(dict):
    def __init__(self, values, owner):
        super().__init__(values)
        self._owner = owner
        for value in values.values():
            owner._track(value)

    def __setitem__(self, key, value):
        self._owner._track(value)
        super().__setitem__(key, value)

    def update(self, *args, **kwargs):
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def setdefault(self, key, default=None):
        if key not in self:
            self[key] = default
        return self[key]


def wrap(value, owner):
    """Wraps plain lists and dicts (recursively) so additions are tracked by `owner`."""
    if isinstance(value, (TrackedList, TrackedDict)):
        return value
    if type(value) is list:
        return TrackedList([wrap(item, owner) for item in value], owner)
    if type(value) is dict:
        return TrackedDict({key: wrap(item, owner) for key, item in value.items()}, owner)
    if type(value) is tuple:
        for item in value:
            owner._track(item)
    return value
