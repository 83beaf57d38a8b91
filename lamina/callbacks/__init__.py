"""`lamina.callbacks`: hooks into `fit`, `evaluate` and `predict`."""

from lamina.callbacks.backup_and_restore import BackupAndRestore
from lamina.callbacks.callback import Callback
from lamina.callbacks.callback_list import CallbackList
from lamina.callbacks.history import History
from lamina.callbacks.model_checkpoint import ModelCheckpoint
from lamina.callbacks.progbar_logger import ProgbarLogger

__all__ = [
    "BackupAndRestore",
    "Callback",
    "CallbackList",
    "History",
    "ModelCheckpoint",
    "ProgbarLogger",
]
