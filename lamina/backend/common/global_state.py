"""Thread-local globals (name counters, scopes) cleared by `clear_session`."""

import threading

_STATE = threading.local()


def get_global_attribute(name, default=None, set_to_default=False):
    value = getattr(_STATE, name, None)
    if value is None and set_to_default:
        setattr(_STATE, name, default)
        return default
    return default if value is None else value


def set_global_attribute(name, value):
    setattr(_STATE, name, value)


def clear_session():
    """Resets all global state: automatic name counters and the global RNG.

    Example:

    >>> import lamina
    >>> lamina.utils.clear_session()
    >>> lamina.layers.Dense(2).name
    'dense'
    """
    for key in list(vars(_STATE)):
        delattr(_STATE, key)
