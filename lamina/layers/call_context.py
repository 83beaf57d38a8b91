"""The call context: carries `training` from an outer layer call to the nested ones."""

from lamina.backend.common import global_state


class CallContext:
    def __init__(self, training):
        self.training = training


def call_contexts():
    """The stack of call contexts (innermost last), for callers that push and pop several times."""
    return global_state.get_global_attribute("call_contexts", [], set_to_default=True)


def current_call_context():
    stack = call_contexts()
    return stack[-1] if stack else None


def push_call_context(context):
    global_state.get_global_attribute("call_contexts", [], set_to_default=True).append(context)


def pop_call_context():
    global_state.get_global_attribute("call_contexts", [], set_to_default=True).pop()
