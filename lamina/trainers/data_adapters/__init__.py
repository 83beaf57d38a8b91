"""Data adapters: turn what users pass to `fit` into batches."""

from lamina.trainers.data_adapters.array_data_adapter import ArrayDataAdapter
from lamina.trainers.data_adapters.data_adapter_utils import get_data_adapter
from lamina.trainers.data_adapters.data_adapter_utils import pack_x_y_sample_weight
from lamina.trainers.data_adapters.data_adapter_utils import unpack_x_y_sample_weight
from lamina.trainers.data_adapters.generator_data_adapter import GeneratorDataAdapter

__all__ = [
    "ArrayDataAdapter",
    "GeneratorDataAdapter",
    "get_data_adapter",
    "pack_x_y_sample_weight",
    "unpack_x_y_sample_weight",
]
