"""`lamina.callbacks`: hooks into `fit`, `evaluate` and `predict`."""

from lamina.callbacks.callback import Callback
from lamina.callbacks.callback_list import CallbackList
from lamina.callbacks.history import History
from lamina.callbacks.progbar_logger import ProgbarLogger

__all__ = [
    "Callback",
    "CallbackList",
    "History",
    "ProgbarLogger",
]
