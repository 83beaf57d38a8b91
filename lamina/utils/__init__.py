"""`lamina.utils`: progress bars, one-hot encoding, seeding, serialization helpers."""

from lamina.backend.common.global_state import clear_session
from lamina.random.seed_generator import set_random_seed
from lamina.saving.object_registration import CustomObjectScope
from lamina.saving.object_registration import custom_object_scope
from lamina.saving.object_registration import get_custom_objects
from lamina.saving.object_registration import get_registered_name
from lamina.saving.object_registration import get_registered_object
from lamina.saving.object_registration import register_keras_serializable
from lamina.saving.serialization import deserialize_keras_object
from lamina.saving.serialization import serialize_keras_object
from lamina.trainers.data_adapters.data_adapter_utils import pack_x_y_sample_weight
from lamina.trainers.data_adapters.data_adapter_utils import unpack_x_y_sample_weight
from lamina.utils.dataset_utils import split_dataset
from lamina.utils.numerical_utils import normalize
from lamina.utils.numerical_utils import to_categorical
from lamina.utils.progbar import Progbar
from lamina.utils.py_dataset import PyDataset
from lamina.utils.py_dataset import Sequence
from lamina.utils.sequence_utils import pad_sequences
from lamina.utils.timeseries_dataset import timeseries_dataset_from_array

__all__ = [
    "CustomObjectScope",
    "Progbar",
    "PyDataset",
    "Sequence",
    "clear_session",
    "custom_object_scope",
    "deserialize_keras_object",
    "get_custom_objects",
    "get_registered_name",
    "get_registered_object",
    "normalize",
    "pack_x_y_sample_weight",
    "pad_sequences",
    "register_keras_serializable",
    "serialize_keras_object",
    "set_random_seed",
    "split_dataset",
    "timeseries_dataset_from_array",
    "to_categorical",
    "unpack_x_y_sample_weight",
]
