"""Turning trainer logs (which may hold backend scalars) into plain Python values."""


def to_python_number(value):
    """Returns `value` as a Python float when it is a scalar (number or 0-d array), else unchanged.

    Converting a JAX or PyTorch scalar waits for the device, so call this only
    where the value is read (an epoch's end, a progress-bar redraw).
    """
    if isinstance(value, (bool, int, float)):
        return float(value)
    shape = getattr(value, "shape", None)
    if shape is not None and tuple(shape) == ():
        try:
            return float(value)
        except (TypeError, ValueError):
            return value
    return value


def flatten_logs(logs):
    """Flattens nested dicts of logs into one dict sorted by key (Keras's display order).

    Args:
        logs: A dict of logs (possibly nested), or `None`.

    Returns:
        A new flat dict; values are left as they are.
    """
    flat = {}
    for key, value in sorted((logs or {}).items()):
        if isinstance(value, dict):
            flat.update(flatten_logs(value))
        else:
            flat[key] = value
    return flat


def pythonify_logs(logs):
    """Flattens, sorts and converts every scalar log value to a Python float.

    Keys are sorted at each level and a nested dict's entries take its place,
    as Keras does.

    Args:
        logs: A dict of logs (possibly nested), or `None`.

    Returns:
        A new flat dict sorted by key.

    Example:

    >>> import numpy as np
    >>> pythonify_logs({"loss": np.float32(0.5), "metrics": {"accuracy": 1}})
    {'loss': 0.5, 'accuracy': 1.0}
    """
    return {key: to_python_number(value) for key, value in flatten_logs(logs).items()}
