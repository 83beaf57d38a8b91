"""What is in force while a file loads: safe mode, and the objects shared between configs.

Safe mode refuses Python lambdas (marshalled bytecode) in configs. It is on
unless `safe_mode=False` is passed to the loader or
`lamina.config.enable_unsafe_deserialization()` was called; an outer scope
wins over a nested call's argument, so a layer's own `from_config` cannot
turn it back off or on halfway through a file.
"""

from lamina.backend.common import global_state


def _safe_mode_stack():
    return global_state.get_global_attribute("safe_mode_scopes", [], set_to_default=True)


def _shared_objects_stack():
    return global_state.get_global_attribute("shared_object_scopes", [], set_to_default=True)


def enable_unsafe_deserialization():
    """Turns safe mode off for the whole process (`lamina.config.enable_unsafe_deserialization`)."""
    global_state.set_global_attribute("unsafe_deserialization", True)


def effective_safe_mode(requested):
    """The safe mode a loader runs under: an enclosing scope's, else unsafe if enabled, else `requested`."""
    stack = _safe_mode_stack()
    if stack:
        return stack[-1]
    if global_state.get_global_attribute("unsafe_deserialization", False):
        return False
    return True if requested is None else bool(requested)


def in_safe_mode():
    """Whether Python lambdas in a config are refused right now."""
    return effective_safe_mode(None)


def refuse_lambda_if_safe(what):
    """Raises the safe-mode error for a Python lambda in `what` unless safe mode is off."""
    if in_safe_mode():
        raise ValueError(
            f"Requested the deserialization of {what} that is a Python lambda (marshalled "
            "bytecode). Loading it would run code stored in the file, so it is disallowed by "
            "default. If you trust the source of the file, pass `safe_mode=False` to the loader "
            "or call `lamina.config.enable_unsafe_deserialization()`."
        )


class SafeModeScope:
    """Sets safe mode for the loaders called inside it.

    Args:
        safe_mode: True to refuse Python lambdas, False to allow them.

    Example:

    >>> with SafeModeScope(True):
    ...     in_safe_mode()
    True
    """

    def __init__(self, safe_mode=True):
        self.safe_mode = bool(safe_mode)

    def __enter__(self):
        _safe_mode_stack().append(self.safe_mode)
        return self

    def __exit__(self, *exc_info):
        _safe_mode_stack().pop()


class SharedObjectLoadingScope:
    """Makes configs that carry the same `shared_object_id` load as one object.

    Example:

    >>> with SharedObjectLoadingScope():
    ...     remember_shared_object(7, "policy")
    ...     shared_object(7)
    'policy'
    """

    def __enter__(self):
        _shared_objects_stack().append({})
        return self

    def __exit__(self, *exc_info):
        _shared_objects_stack().pop()


def shared_object(shared_id):
    """The object already loaded for `shared_id` in the active scope, or None."""
    stack = _shared_objects_stack()
    if not isinstance(shared_id, int) or not stack:
        return None
    return stack[-1].get(shared_id)


def remember_shared_object(shared_id, instance):
    """Records `instance` as the object for `shared_id` in the active scope."""
    stack = _shared_objects_stack()
    if isinstance(shared_id, int) and stack:
        stack[-1][shared_id] = instance
