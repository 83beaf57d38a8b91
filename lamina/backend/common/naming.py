"""Automatic names, following Keras's rules (`dense`, `dense_1`, ...)."""

import re

from lamina.backend.common import global_state


def to_snake_case(name):
    """Converts a class name to Keras's snake case (`Conv2D` -> `conv2d`, `ReLU` -> `re_lu`)."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    name = re.sub("([a-z])([A-Z])", r"\1_\2", name)
    return name.lower()


def uniquify(prefix):
    """Returns `prefix` the first time, then `prefix_1`, `prefix_2`, ..."""
    counters = global_state.get_global_attribute("name_counters", {}, set_to_default=True)
    count = counters.get(prefix, 0)
    counters[prefix] = count + 1
    return prefix if count == 0 else f"{prefix}_{count}"


def auto_name(class_name):
    return uniquify(to_snake_case(class_name))


def validate_name(name, owner):
    if not isinstance(name, str) or "/" in name:
        raise ValueError(f"{owner} name must be a string without '/'. Received: name={name!r}")
    return name
