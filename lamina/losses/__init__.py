"""`lamina.losses`: what training minimizes.

Each loss exists as a class (`CategoricalCrossentropy`, with a reduction and
sample weights) and as a function returning per-sample values
(`categorical_crossentropy`).
"""

import inspect

from lamina.losses.ctc import CTC
from lamina.losses.ctc import ctc
from lamina.losses.focal import BinaryFocalCrossentropy
from lamina.losses.focal import CategoricalFocalCrossentropy
from lamina.losses.focal import binary_focal_crossentropy
from lamina.losses.focal import categorical_focal_crossentropy
from lamina.losses.hinge import CategoricalHinge
from lamina.losses.hinge import Hinge
from lamina.losses.hinge import SquaredHinge
from lamina.losses.hinge import categorical_hinge
from lamina.losses.hinge import hinge
from lamina.losses.hinge import squared_hinge
from lamina.losses.loss import Loss
from lamina.losses.loss import LossFunctionWrapper
from lamina.losses.probabilistic import BinaryCrossentropy
from lamina.losses.probabilistic import CategoricalCrossentropy
from lamina.losses.probabilistic import SparseCategoricalCrossentropy
from lamina.losses.probabilistic import binary_crossentropy
from lamina.losses.probabilistic import categorical_crossentropy
from lamina.losses.probabilistic import sparse_categorical_crossentropy
from lamina.losses.regression import MeanAbsoluteError
from lamina.losses.regression import MeanAbsolutePercentageError
from lamina.losses.regression import MeanSquaredError
from lamina.losses.regression import MeanSquaredLogarithmicError
from lamina.losses.regression import mean_absolute_error
from lamina.losses.regression import mean_absolute_percentage_error
from lamina.losses.regression import mean_squared_error
from lamina.losses.regression import mean_squared_logarithmic_error
from lamina.losses.segmentation import Dice
from lamina.losses.segmentation import Tversky
from lamina.losses.segmentation import dice
from lamina.losses.segmentation import tversky
from lamina.losses.similarity import CosineSimilarity
from lamina.losses.similarity import Huber
from lamina.losses.similarity import KLDivergence
from lamina.losses.similarity import LogCosh
from lamina.losses.similarity import Poisson
from lamina.losses.similarity import cosine_similarity
from lamina.losses.similarity import huber
from lamina.losses.similarity import kl_divergence
from lamina.losses.similarity import log_cosh
from lamina.losses.similarity import poisson
from lamina.saving import object_registration
from lamina.saving import serialization

ALL_OBJECTS = (
    Loss,
    LossFunctionWrapper,
    BinaryCrossentropy,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
    MeanSquaredError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError,
    binary_crossentropy,
    categorical_crossentropy,
    sparse_categorical_crossentropy,
    mean_squared_error,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_logarithmic_error,
    BinaryFocalCrossentropy,
    CategoricalFocalCrossentropy,
    Huber,
    LogCosh,
    KLDivergence,
    Poisson,
    CosineSimilarity,
    Hinge,
    SquaredHinge,
    CategoricalHinge,
    Dice,
    Tversky,
    CTC,
    binary_focal_crossentropy,
    categorical_focal_crossentropy,
    huber,
    log_cosh,
    kl_divergence,
    poisson,
    cosine_similarity,
    hinge,
    squared_hinge,
    categorical_hinge,
    dice,
    tversky,
    ctc,
)
ALL_OBJECTS_DICT = {obj.__name__: obj for obj in ALL_OBJECTS}
ALL_OBJECTS_DICT.update(
    {
        "bce": binary_crossentropy,
        "BCE": binary_crossentropy,
        "mae": mean_absolute_error,
        "MAE": mean_absolute_error,
        "mse": mean_squared_error,
        "MSE": mean_squared_error,
        "mape": mean_absolute_percentage_error,
        "MAPE": mean_absolute_percentage_error,
        "msle": mean_squared_logarithmic_error,
        "MSLE": mean_squared_logarithmic_error,
        "kld": kl_divergence,
        "KLD": kl_divergence,
    }
)


def serialize(loss):
    """Returns the config dict of a loss object or function.

    Example:

    >>> serialize(MeanSquaredError())["config"]
    {'name': 'mean_squared_error', 'reduction': 'sum_over_batch_size'}
    """
    return serialization.serialize_keras_object(loss)


def deserialize(config, custom_objects=None):
    """Returns a loss (object or function) from its config dict or name.

    Example:

    >>> deserialize({"class_name": "MeanAbsoluteError", "config": {}}).name
    'mean_absolute_error'
    """
    return serialization.deserialize_keras_object(
        config, custom_objects=custom_objects, module_objects=ALL_OBJECTS_DICT, printable_module_name="loss"
    )


def get(identifier):
    """Returns a loss from a name, a config dict, a class, an instance or a function.

    Names of functions (`"mse"`, `"categorical_crossentropy"`) give the
    function; names of classes (`"CategoricalCrossentropy"`) give an instance.

    Args:
        identifier: A string, a dict from `serialize`, a `Loss` class or
            instance, a function, or None.

    Returns:
        A `Loss` instance or a loss function (None for None).

    Example:

    >>> get("mse").__name__
    'mean_squared_error'
    >>> get("CategoricalCrossentropy").name
    'categorical_crossentropy'
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        found = deserialize(identifier)
    elif isinstance(identifier, str):
        found = ALL_OBJECTS_DICT.get(identifier) or object_registration.get_registered_object(identifier)
    else:
        found = identifier
    if callable(found):
        return found() if inspect.isclass(found) else found
    raise ValueError(
        f"Could not interpret loss identifier: {identifier!r}. Expected a loss name such as "
        f"'mse' or 'categorical_crossentropy', a Loss instance, or a function."
    )
