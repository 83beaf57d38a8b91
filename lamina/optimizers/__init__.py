"""`lamina.optimizers`: how weights change from their gradients."""

from lamina.optimizers import schedules
from lamina.optimizers.adadelta import Adadelta
from lamina.optimizers.adafactor import Adafactor
from lamina.optimizers.adagrad import Adagrad
from lamina.optimizers.adam import Adam
from lamina.optimizers.adamax import Adamax
from lamina.optimizers.adamw import AdamW
from lamina.optimizers.ftrl import Ftrl
from lamina.optimizers.lamb import Lamb
from lamina.optimizers.lion import Lion
from lamina.optimizers.loss_scale_optimizer import LossScaleOptimizer
from lamina.optimizers.nadam import Nadam
from lamina.optimizers.optimizer import Optimizer
from lamina.optimizers.rmsprop import RMSprop
from lamina.optimizers.sgd import SGD
from lamina.saving import serialization

ALL_OBJECTS = (
    Optimizer,
    SGD,
    Adam,
    RMSprop,
    AdamW,
    Adagrad,
    Adadelta,
    Adamax,
    Nadam,
    Ftrl,
    Lion,
    Lamb,
    Adafactor,
    LossScaleOptimizer,
)
# Keras resolves optimizer names case-insensitively ("adam", "Adam", "SGD").
ALL_OBJECTS_DICT = {cls.__name__.lower(): cls for cls in ALL_OBJECTS}


def serialize(optimizer):
    """Returns the config dict of an optimizer.

    Example:

    >>> serialize(SGD())["class_name"]
    'SGD'
    """
    return serialization.serialize_keras_object(optimizer)


def deserialize(config, custom_objects=None):
    """Returns an optimizer from its config dict.

    Example:

    >>> deserialize({"class_name": "adam", "config": {"learning_rate": 0.01}}).__class__.__name__
    'Adam'
    """
    if isinstance(config, dict) and str(config.get("class_name", "")).lower() in ALL_OBJECTS_DICT:
        config = dict(config, class_name=config["class_name"].lower())
    return serialization.deserialize_keras_object(
        config,
        custom_objects=custom_objects,
        module_objects=ALL_OBJECTS_DICT,
        printable_module_name="optimizer",
    )


def get(identifier):
    """Returns an optimizer from a name (with Keras's defaults), a config dict or an instance.

    Args:
        identifier: `"sgd"`, `"adam"` (any case), a dict from `serialize`,
            or an `Optimizer` instance.

    Returns:
        An `Optimizer` instance (None for None).

    Example:

    >>> get("adam").get_config()["beta_1"]
    0.9
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        found = deserialize(identifier)
    elif isinstance(identifier, str):
        found = deserialize({"class_name": identifier, "config": {}})
    else:
        found = identifier
    if isinstance(found, Optimizer):
        return found
    raise ValueError(
        f"Could not interpret optimizer identifier: {identifier!r}. Expected an optimizer name "
        "such as 'adam' or 'sgd', a config dict, or an Optimizer instance."
    )
