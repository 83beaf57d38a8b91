"""`lamina.models`: Model, Sequential and the Functional API; saving, loading and cloning models."""

from lamina.models.cloning import clone_model
from lamina.models.functional import Functional
from lamina.models.model import Model
from lamina.models.model_saving import model_from_json
from lamina.models.sequential import Sequential
from lamina.saving.saving_api import load_model
from lamina.saving.saving_api import save_model

__all__ = ["Functional", "Model", "Sequential", "clone_model", "load_model", "model_from_json", "save_model"]
