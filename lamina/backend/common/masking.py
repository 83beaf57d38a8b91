"""Where masks live: on the tensor when it accepts attributes, else in a side table."""

import weakref

_SIDE_TABLE = {}


def set_keras_mask(x, mask):
    try:
        x._keras_mask = mask
        return
    except AttributeError:
        pass
    key = id(x)
    try:
        weakref.finalize(x, _SIDE_TABLE.pop, key, None)
    except TypeError:
        return
    _SIDE_TABLE[key] = mask


def get_keras_mask(x):
    mask = getattr(x, "_keras_mask", None)
    if mask is not None:
        return mask
    return _SIDE_TABLE.get(id(x))
